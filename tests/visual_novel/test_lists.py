"""Visual novels in lists: `viewer.runs` with each `VisualNovelRun`'s state,
`viewer.visualNovelWorks` and the gallery's feed with each work's scenes, each at a
constant number of statements."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from tests.factories import visual_novel as vn
from tests.factories.auth import TestUser, make_user
from tests.fixtures import GraphQLClient

RUNS = """
{ viewer { runs(first: 50) { nodes { runId status ... on VisualNovelRun {
  currentSceneId flags metrics availableChoices { choiceId } narrative turnIndex
  history { turnIndex snapshotBeforeHash } work { workId title } } } } } }
"""
GALLERY = """
{ gallery(playType: VISUAL_NOVEL, first: 50) { nodes { workId title
  ... on VisualNovelWork { scenes { sceneId imageUrl } endings } } } }
"""
WORKS = """
{ viewer { visualNovelWorks(first: 50) { nodes { workId title publishReady
  publishBlockers { code } scenes { sceneId imageUrl } } } } }
"""


async def _count(gql: GraphQLClient, count_statements: Any, query: str, user: TestUser) -> Any:
    with count_statements() as counter:
        result = await gql.execute(query, token=user.access_token)
    assert "errors" not in result, result
    return counter.count, result["data"]


async def test_runs_works_and_the_gallery_cost_the_same_whatever_their_number(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given an author with one work, another with three; a player with one run, another six
    lone, author, few, many = [await make_user() for _ in range(4)]
    single = await vn.ready_work(gql, lone.access_token)
    assert (await vn.publish(gql, lone.access_token, single["workId"]))["errors"] == []
    work_ids = []
    for _ in range(3):
        ready = await vn.ready_work(gql, author.access_token)
        assert (await vn.publish(gql, author.access_token, ready["workId"]))["errors"] == []
        work_ids.append(ready["workId"])
    await vn.start_run(gql, few.access_token, work_ids[0])
    for number in range(6):
        await vn.start_run(gql, many.access_token, work_ids[number % 3])
    # when each reads their runs / then both cost the same and show the story state
    (one, _), (six, data) = [await _count(gql, count_statements, RUNS, p) for p in (few, many)]
    assert one == six
    nodes = data["viewer"]["runs"]["nodes"]
    assert [(n["currentSceneId"], n["turnIndex"], n["work"]["title"]) for n in nodes] == [
        ("platform", 0, "Last Train")
    ] * 6
    # and the authors' lists cost the same for one published work as for three
    (mine, _), (theirs, listed) = [
        await _count(gql, count_statements, WORKS, user) for user in (lone, author)
    ]
    assert mine == theirs
    assert len(listed["viewer"]["visualNovelWorks"]["nodes"]) == 3
    assert single["publishReady"] is True
    # and the gallery's feed (read once: the day's 7-day plays refresh) costs the same
    await gql.execute(GALLERY, token=few.access_token)
    feed_four, feed = await _count(gql, count_statements, GALLERY, few)
    assert len(feed["gallery"]["nodes"]) == 4
    assert all(s["imageUrl"] for node in feed["gallery"]["nodes"] for s in node["scenes"])
    for work_id in work_ids[1:]:
        result = await gql.execute(vn.UNPUBLISH, {"w": work_id}, token=author.access_token)
        assert result["data"]["visualNovelWorkUnpublish"]["errors"] == []
    feed_two, feed = await _count(gql, count_statements, GALLERY, few)
    assert (feed_two, len(feed["gallery"]["nodes"])) == (feed_four, 2)
