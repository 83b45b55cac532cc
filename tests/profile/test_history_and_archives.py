"""Browse history (one row per world, newest first, clear) and save archives."""

from __future__ import annotations

from typing import Any

from db.tables.profile import ProfileSaveArchive, RuntimeSnapshot, UserBrowseHistory
from tests.factories.auth import TestUser, make_user
from tests.fixtures import FakeClock, GraphQLClient

RECORD = """
mutation($i: BrowseHistoryRecordInput!) { browseHistoryRecord(input: $i) {
    errors { code field } entry { id worldName visitedAt }
} }
"""
HISTORY = """
query($f: Int, $a: String) { viewer { browseHistory(first: $f, after: $a) {
    nodes { profileId worldName themeMode } pageInfo { hasNextPage endCursor }
} } }
"""
CLEAR = "mutation { browseHistoryClear { errors { code } deletedCount } }"
UPSERT = """
mutation($i: SaveArchiveUpsertInput!) { saveArchiveUpsert(input: $i) {
    errors { code field } saveArchive { id worldKey worldName bottomTab }
} }
"""
ARCHIVES = "{ viewer { saveArchives(first: 10) { nodes { id worldKey worldName } } } }"
RESUME = """
mutation($a: ID!) { saveArchiveResume(archiveId: $a) {
    errors { code } runtimeSnapshot { version bottomTab gameState currentStory }
} }
"""
DELETE = "mutation($a: ID!) { saveArchiveDelete(archiveId: $a) { errors { code } archiveId } }"


async def _visit(gql: GraphQLClient, user: TestUser, profile: str, name: str) -> dict[str, Any]:
    result = await gql.execute(
        RECORD,
        {"i": {"ownerUserId": "owner1", "profileId": profile, "worldName": name}},
        token=user.access_token,
    )
    entry: dict[str, Any] = result["data"]["browseHistoryRecord"]
    return entry


async def _history(gql: GraphQLClient, user: TestUser, first: int = 10) -> list[str]:
    result = await gql.execute(HISTORY, {"f": first}, token=user.access_token)
    return [n["worldName"] for n in result["data"]["viewer"]["browseHistory"]["nodes"]]


async def test_a_revisit_updates_the_one_row_and_moves_it_to_the_top(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    user = await make_user()
    ids = []
    for profile, name in (("p1", "Forest"), ("p2", "Desert"), ("p3", "Sea")):
        ids.append((await _visit(gql, user, profile, name))["entry"]["id"])
        clock.advance(seconds=1)
    assert await _history(gql, user) == ["Sea", "Desert", "Forest"]
    # when the first world is entered again (renamed meanwhile)
    again = await _visit(gql, user, "p1", "Forest II")
    # then it keeps its row, moves to the top, and nothing is duplicated
    assert again["entry"]["id"] == ids[0]
    assert await _history(gql, user) == ["Forest II", "Sea", "Desert"]
    assert await UserBrowseHistory.count() == 3


async def test_history_pages_walk_the_list_and_clear_empties_only_the_viewers(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    user, other = await make_user(), await make_user()
    for number in range(5):
        await _visit(gql, user, f"p{number}", f"World {number}")
        clock.advance(seconds=1)
    await _visit(gql, other, "p0", "Other's")
    seen: list[str] = []
    after = None
    while True:
        result = await gql.execute(HISTORY, {"f": 2, "a": after}, token=user.access_token)
        page = result["data"]["viewer"]["browseHistory"]
        seen += [n["worldName"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"World {n}" for n in (4, 3, 2, 1, 0)]
    cleared = await gql.execute(CLEAR, token=user.access_token)
    assert cleared["data"]["browseHistoryClear"] == {"errors": [], "deletedCount": 5}
    assert await _history(gql, user) == []
    assert await _history(gql, other) == ["Other's"]


async def test_a_history_page_costs_the_same_for_one_row_or_many(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    user = await make_user()
    for number in range(6):
        await _visit(gql, user, f"p{number}", f"W{number}")
        clock.advance(seconds=1)
    await _history(gql, user, 1)  # warm up the app
    costs = []
    for first in (1, 6):
        with count_statements() as counter:
            assert len(await _history(gql, user, first)) == first
        costs.append(counter.count)
    assert costs == [3, 3]  # auth, viewer, one page


async def test_bad_visits_are_refused_and_write_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    result = await gql.execute(
        RECORD,
        {"i": {"ownerUserId": "o", "profileId": "", "worldName": "W"}},
        token=user.access_token,
    )
    assert result["data"]["browseHistoryRecord"]["errors"] == [
        {"code": "TEXT_INVALID", "field": "profileId"}
    ]
    assert await UserBrowseHistory.count() == 0


async def _save(
    gql: GraphQLClient, user: TestUser, world: str, state: dict[str, Any]
) -> dict[str, Any]:
    result = await gql.execute(
        UPSERT,
        {
            "i": {
                "worldKey": world,
                "worldName": world.title(),
                "bottomTab": "play",
                "gameState": state,
                "currentStory": {"at": world},
            }
        },
        token=user.access_token,
    )
    archive: dict[str, Any] = result["data"]["saveArchiveUpsert"]["saveArchive"]
    return archive


async def test_saves_are_slots_per_world_listed_newest_first_and_resume_into_the_snapshot(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    user = await make_user()
    forest = await _save(gql, user, "forest", {"hp": 1})
    clock.advance(seconds=1)
    await _save(gql, user, "sea", {"hp": 2})
    clock.advance(seconds=1)
    again = await _save(gql, user, "forest", {"hp": 9})
    assert again["id"] == forest["id"]
    listed = (await gql.execute(ARCHIVES, token=user.access_token))["data"]["viewer"]
    assert [n["worldKey"] for n in listed["saveArchives"]["nodes"]] == ["forest", "sea"]
    resumed = await gql.execute(RESUME, {"a": forest["id"]}, token=user.access_token)
    assert resumed["data"]["saveArchiveResume"]["runtimeSnapshot"] == {
        "version": 1,
        "bottomTab": "play",
        "gameState": {"hp": 9},
        "currentStory": {"at": "forest"},
    }
    deleted = await gql.execute(DELETE, {"a": forest["id"]}, token=user.access_token)
    assert deleted["data"]["saveArchiveDelete"] == {"errors": [], "archiveId": forest["id"]}
    assert await ProfileSaveArchive.count() == 1


async def test_another_users_archive_is_not_found_and_left_alone(gql: GraphQLClient) -> None:
    owner, intruder = await make_user(), await make_user()
    archive = await _save(gql, owner, "forest", {"hp": 1})
    for operation in (RESUME, DELETE):
        result = await gql.execute(operation, {"a": archive["id"]}, token=intruder.access_token)
        assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await ProfileSaveArchive.count() == 1
    assert await RuntimeSnapshot.count() == 0
    listed = (await gql.execute(ARCHIVES, token=intruder.access_token))["data"]["viewer"]
    assert listed["saveArchives"]["nodes"] == []
