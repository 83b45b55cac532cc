"""The issue's done-when for custom worlds, through GraphQL: start a session, send a
message and watch the reply stream, see the draft and its cards, fail to publish with the
blockers listed, fix them with real uploaded assets, publish, find the work in the gallery,
like it, and see a `galleryChanges` subscriber receive each change."""

from __future__ import annotations

from typing import Any

from resolvers.gallery.model import GALLERY_STREAM
from subscriptions.channels import stream_channel
from tests.factories.auth import make_user
from tests.factories.worlds import (
    AUTOSAVE,
    UNPUBLISH,
    bind_cover,
    create_session,
    finished_turn,
    publish,
    send,
)
from tests.fixtures import GraphQLClient
from tests.waiting import subscribing
from tests.ws import graphql_socket

TASK_EVENTS = """
subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { kind deltaText } }
"""
CHANGES = """
subscription { galleryChanges { sequence kind playType workId likeCount
  work { workId title coverUrl likeCount ... on CustomWorldWork { publicWorkCode landmarkCount } }
} }
"""
FEED = """
query { gallery(playType: CUSTOM_WORLD, order: NEWEST) { nodes {
  workId title likeCount viewerHasLiked author { displayName }
  ... on CustomWorldWork { publicWorkCode subtitle playableNpcCount world { places { name } } }
} } }
"""
LIKE = """
mutation($w: ID!) { workLike(playType: CUSTOM_WORLD, workId: $w) {
  errors { code } liked likeCount changed
} }
"""


async def test_a_custom_world_from_first_message_to_the_gallery(
    gql: GraphQLClient, client: Any
) -> None:
    creator = await make_user("creator")
    fan = await make_user("fan")
    async with graphql_socket(client, None) as watcher:
        # given an anonymous subscriber of the gallery's changes
        async with subscribing(stream_channel(GALLERY_STREAM)):
            await watcher.subscribe(CHANGES)
        # when the creator starts a session and sends a message
        created = await create_session(gql, creator.access_token, "Islands that drift at night")
        session_id = created["session"]["sessionId"]
        profile_id = created["session"]["profileId"]
        sent = await send(gql, creator.access_token, session_id, "tone: wistful\nname: Driftmere")
        assert sent["errors"] == []
        # then they watch the reply stream to the end
        streamed: list[str] = []
        async with graphql_socket(client, creator.access_token) as socket:
            await socket.subscribe(TASK_EVENTS, {"t": sent["operation"]["taskId"]})
            while True:
                (payload,) = await socket.next_payloads(1)
                event = payload["data"]["aiTaskEvents"]
                if event["kind"] == "TEXT_CHUNK":
                    streamed.append(event["deltaText"])
                if event["kind"] in ("COMPLETED", "FAILED"):
                    assert event["kind"] == "COMPLETED"
                    break
        # and see the draft and its cards
        found = await finished_turn(gql, creator.access_token, session_id)
        assert found["lastAssistantReply"] == "".join(streamed)
        draft = found["worldDraft"]
        assert draft["worldName"] == "Driftmere"
        assert {a["key"]: a["text"] for a in found["anchors"]}["TONE"] == "wistful"
        assert {c["kind"] for c in found["cards"]} == {"CHARACTER", "PLACE", "CHAPTER"}
        assert len(found["cards"]) == (
            len(draft["characters"]) + len(draft["places"]) + len(draft["chapters"])
        )
        # when they clear an anchor and publish, every blocker is listed
        await gql.execute(
            AUTOSAVE,
            {"i": {"sessionId": session_id, "anchors": [{"key": "STAKES", "text": ""}]}},
            token=creator.access_token,
        )
        refused = await publish(gql, creator.access_token, profile_id)
        assert [(b["code"], b["anchor"]) for b in refused["blockers"]] == [
            ("ANCHOR_MISSING", "STAKES"),
            ("COVER_MISSING", None),
        ]
        # when they fix them: the anchor by autosave, the cover with a real uploaded image
        await gql.execute(
            AUTOSAVE,
            {"i": {"sessionId": session_id, "anchors": [{"key": "STAKES", "text": "Home."}]}},
            token=creator.access_token,
        )
        await bind_cover(gql, creator.access_token, profile_id)
        published = await publish(gql, creator.access_token, profile_id)
        # then the world is published with a public work code
        assert published["errors"] == []
        code = published["work"]["publicWorkCode"]
        # and anyone finds it in the gallery, and a fan likes it
        feed = (await gql.execute(FEED, token=fan.access_token))["data"]["gallery"]["nodes"]
        assert [(n["workId"], n["title"], n["publicWorkCode"]) for n in feed] == [
            (profile_id, "Driftmere", code)
        ]
        assert feed[0]["author"] == {"displayName": "creator"}
        assert feed[0]["world"]["places"] == [{"name": p["name"]} for p in draft["places"]]
        liked = await gql.execute(LIKE, {"w": profile_id}, token=fan.access_token)
        assert liked["data"]["workLike"] == {
            "errors": [],
            "liked": True,
            "likeCount": 1,
            "changed": True,
        }
        again = await gql.execute(FEED, token=fan.access_token)
        assert again["data"]["gallery"]["nodes"][0]["viewerHasLiked"] is True
        # when the creator renames it and then unpublishes it
        await gql.execute(
            AUTOSAVE,
            {"i": {"sessionId": session_id, "worldName": "Driftmere Isles"}},
            token=creator.access_token,
        )
        await gql.execute(UNPUBLISH, {"p": profile_id}, token=creator.access_token)
        # then the subscriber received each change, in order
        changes = [p["data"]["galleryChanges"] for p in await watcher.next_payloads(4)]
    assert [(c["kind"], c["playType"], c["workId"]) for c in changes] == [
        ("PUBLISHED", "CUSTOM_WORLD", profile_id),
        ("LIKE_COUNT_CHANGED", "CUSTOM_WORLD", profile_id),
        ("UPDATED", "CUSTOM_WORLD", profile_id),
        ("UNPUBLISHED", "CUSTOM_WORLD", profile_id),
    ]
    assert [c["sequence"] for c in changes] == sorted(c["sequence"] for c in changes)
    assert changes[1]["likeCount"] == 1
    # the work rendered as delivered: gone once unpublished
    assert changes[3]["work"] is None
    assert all(c["work"] is None or c["work"]["publicWorkCode"] == code for c in changes[:3])
