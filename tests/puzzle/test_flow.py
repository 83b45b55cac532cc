"""The issue's done-when for puzzles, through GraphQL only: start a session, send a message
and watch the reply stream, see the draft, fail to publish with the blockers listed, fix
them with real uploaded assets, publish, find the work in the gallery, like it, and see a
`galleryChanges` subscriber (and the creator's `puzzleEvents`) receive each change."""

from __future__ import annotations

from typing import Any

import httpx

import schema.build  # noqa: F401
from resolvers.gallery.model import GALLERY_STREAM
from resolvers.puzzle.model import owner_stream
from subscriptions.channels import stream_channel
from tests.factories import puzzle
from tests.factories.auth import make_user
from tests.factories.creation import send
from tests.fixtures import GraphQLClient
from tests.waiting import subscribed, subscribing
from tests.ws import graphql_socket

TASK_EVENTS = """
subscription($t: ID!) { aiTaskEvents(taskId: $t) { sequence kind deltaText } }
"""
GALLERY_CHANGES = """
subscription { galleryChanges { sequence kind playType workId likeCount
  work { workId title ... on PuzzleWork { publicWorkCode } } } }
"""
PUZZLE_EVENTS = """
subscription($after: Int) { puzzleEvents(after: $after) { sequence kind workId sessionId
  work { title publicationStatus } } }
"""
GALLERY = """
{ gallery(playType: PUZZLE) { nodes { workId title likeCount viewerHasLiked author { displayName }
  ... on PuzzleWork { publicWorkCode levels { name gridSize imageUrl } } } } }
"""
LIKE = """
mutation($w: ID!) { workLike(playType: PUZZLE, workId: $w) { errors { code } liked likeCount } }
"""


async def test_a_puzzle_from_first_message_to_a_liked_gallery_work(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    creator = await make_user("creator")
    fan = await make_user("fan")
    token = creator.access_token
    # 1. the creator opens the puzzle form: an empty session and a draft work
    started = await puzzle.start(gql, token, "Night market lanterns")
    session_id, work_id = started["session"]["sessionId"], started["work"]["workId"]
    # 2. they send a message and watch the agent's reply stream
    sent = await send(gql, token, session_id, "Three levels of lanterns, please")
    assert sent["errors"] == []
    async with graphql_socket(client, token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": sent["operation"]["taskId"]})
        events: list[dict[str, Any]] = []
        while not events or events[-1]["kind"] != "COMPLETED":
            (payload,) = await socket.next_payloads(1, timeout=10)
            assert "errors" not in payload, payload
            events.append(payload["data"]["aiTaskEvents"])
    streamed = "".join(e["deltaText"] for e in events if e["kind"] == "TEXT_CHUNK")
    assert streamed
    # 3. they see the draft the reply produced
    session = await puzzle.session(gql, token, session_id)
    assert session["lastAssistantReply"] == streamed
    levels = session["puzzleDraft"]["levels"]
    assert levels and all(level["name"] and 3 <= level["gridSize"] <= 8 for level in levels)
    # 4. publishing fails, and every blocker is named
    refused = await puzzle.publish(gql, token, work_id)
    assert refused["errors"][0]["code"] == "PUBLISH_BLOCKED"
    assert [b["code"] for b in refused["blockers"]] == ["COVER_MISSING"] + [
        "LEVEL_IMAGE_MISSING"
    ] * len(levels)
    assert {b["levelId"] for b in refused["blockers"][1:]} == {lv["levelId"] for lv in levels}
    async with (
        graphql_socket(client, None) as watcher,
        graphql_socket(client, token) as creator_socket,
    ):
        async with subscribing(stream_channel(GALLERY_STREAM)):
            await watcher.subscribe(GALLERY_CHANGES)
        await creator_socket.subscribe(PUZZLE_EVENTS)
        await subscribed(stream_channel(owner_stream(creator.user_id)))
        # 5. they fix the blockers with real uploaded images, bound through the assets flow
        await puzzle.bind_everything(gql, token, await puzzle.work(gql, token, work_id))
        # 6. and publish
        published = await puzzle.publish(gql, token, work_id)
        assert published["errors"] == [], published
        code = published["work"]["publicWorkCode"]
        # 7. anyone finds the work in the gallery
        feed = (await gql.execute(GALLERY, token=fan.access_token))["data"]["gallery"]["nodes"]
        assert [(w["workId"], w["publicWorkCode"], w["author"]) for w in feed] == [
            (work_id, code, {"displayName": "creator"})
        ]
        assert [lv["name"] for lv in feed[0]["levels"]] == [lv["name"] for lv in levels]
        assert all(lv["imageUrl"] for lv in feed[0]["levels"])
        # 8. a fan likes it
        liked = await gql.execute(LIKE, {"w": work_id}, token=fan.access_token)
        assert liked["data"]["workLike"] == {"errors": [], "liked": True, "likeCount": 1}
        # then the creator renames it and updates the published work, and finally unpublishes
        await puzzle.autosave(
            gql,
            token,
            session_id,
            draft={**_draft_input(session["puzzleDraft"]), "title": "Lantern Night"},
        )
        assert (await puzzle.publish(gql, token, work_id, update=True))["errors"] == []
        unpublished = await gql.execute(puzzle.UNPUBLISH, {"w": work_id}, token=token)
        assert unpublished["data"]["puzzleWorkUnpublish"]["errors"] == []
        # 9. the gallery subscriber received each change, in order
        changes = [p["data"]["galleryChanges"] for p in await watcher.next_payloads(4)]
        creator_events = [p["data"]["puzzleEvents"] for p in await creator_socket.next_payloads(3)]
    assert [(c["sequence"], c["kind"], c["playType"], c["workId"]) for c in changes] == [
        (1, "PUBLISHED", "PUZZLE", work_id),
        (2, "LIKE_COUNT_CHANGED", "PUZZLE", work_id),
        (3, "UPDATED", "PUZZLE", work_id),
        (4, "UNPUBLISHED", "PUZZLE", work_id),
    ]
    assert changes[1]["likeCount"] == 1
    assert changes[3]["work"] is None
    # and the creator's puzzle stream saw its publications
    assert [(e["sequence"], e["kind"], e["workId"], e["sessionId"]) for e in creator_events] == [
        (1, "PUBLISHED", work_id, session_id),
        (2, "UPDATED", work_id, session_id),
        (3, "UNPUBLISHED", work_id, session_id),
    ]
    assert all(e["work"] is not None for e in creator_events)


def _draft_input(draft: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": draft["title"],
        "description": draft["description"],
        "theme": draft["theme"],
        "tags": draft["tags"],
        "levels": draft["levels"],
    }
