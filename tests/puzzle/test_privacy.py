"""Who may see and change puzzles: anonymous callers are refused everything private, other
users get NOT_FOUND for someone else's session or draft work, and a refused write leaves
no row. Also the `puzzleEvents` stream: replay after a cursor, then live, per viewer."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import schema.build  # noqa: F401
from db.tables.ai_tasks import AiTask
from db.tables.creation import CreationAgentOperation
from db.tables.gallery import GalleryPublicWork
from db.tables.puzzle import PuzzleAgentMessage, PuzzleAgentSession, PuzzleEvent, PuzzleWorkProfile
from resolvers.auth.admin import issue_service_token
from resolvers.puzzle.model import owner_stream
from subscriptions.channels import stream_channel
from tests.factories import puzzle
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.waiting import subscribed
from tests.ws import graphql_socket

OPERATIONS: list[tuple[str, str]] = [
    ("query($s: ID!) { puzzleSession(sessionId: $s) { sessionId } }", "session"),
    ("query($w: ID!) { puzzleWork(workId: $w) { workId } }", "work"),
    (
        'mutation($s: ID!) { puzzleSessionAutosave(input: {sessionId: $s, seedText: "mine"}) '
        "{ errors { code } } }",
        "session",
    ),
    (
        "mutation($s: ID!) { creationMessageSend(input: {playType: PUZZLE, sessionId: $s, "
        'text: "hello"}) { errors { code } } }',
        "session",
    ),
    ("mutation($w: ID!) { puzzleWorkPublish(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { puzzleWorkUpdate(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { puzzleWorkUnpublish(workId: $w) { errors { code } } }", "work"),
]
ANONYMOUS_ONLY = [
    "{ viewer { puzzleWorks { nodes { workId } } } }",
    "{ viewer { puzzleSessions { nodes { sessionId } } } }",
    "mutation { puzzleSessionStart { errors { code } } }",
]
NODE = "query($id: ID!) { node(id: $id) { ... on PuzzleWork { workId title } } }"
EVENTS = "subscription($after: Int) { puzzleEvents(after: $after) { sequence kind workId } }"


async def _snapshot() -> list[Any]:
    tables = [
        PuzzleAgentSession,
        PuzzleAgentMessage,
        PuzzleWorkProfile,
        PuzzleEvent,
        CreationAgentOperation,
        AiTask,
        GalleryPublicWork,
    ]
    return [await table.select().order_by(table._meta.primary_key) for table in tables]


async def _ready_draft(gql: GraphQLClient, token: str) -> dict[str, Any]:
    started = await puzzle.start(gql, token, "Secret garden")
    saved = await puzzle.autosave(
        gql,
        token,
        started["session"]["sessionId"],
        draft={"title": "Secret", "levels": puzzle.levels(4)},
    )
    work = await puzzle.work(gql, token, saved["work"]["workId"])
    await puzzle.bind_everything(gql, token, work)
    return work


async def test_nobody_but_the_owner_reads_or_changes_a_session_or_draft(
    gql: GraphQLClient,
) -> None:
    # given an owner's publishable draft, another user, a service worker and no one
    owner = await make_user()
    intruder = await make_user()
    service = await issue_service_token(name="worker", days=1)
    work = await _ready_draft(gql, owner.access_token)
    ids = {"s": work["sessionId"], "w": work["workId"]}
    before = await _snapshot()
    for document, target in OPERATIONS:
        variables = {"s": ids["s"]} if target == "session" else {"w": ids["w"]}
        # anonymous callers: UNAUTHENTICATED
        anonymous = await gql.execute(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
        # service workers: FORBIDDEN
        worker = await gql.execute(document, variables, token=service.token)
        assert worker["errors"][0]["extensions"]["code"] == "FORBIDDEN", document
        # other users: NOT_FOUND, as if it did not exist
        other = await gql.execute(document, variables, token=intruder.access_token)
        assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", document
    for document in ANONYMOUS_ONLY:
        refused = await gql.execute(document)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
    # then nothing was written by any refusal
    assert await _snapshot() == before
    # and a draft is no node for others, nor in their lists
    node = await gql.execute(NODE, {"id": work["id"]}, token=intruder.access_token)
    assert node["data"]["node"] is None
    mine = await gql.execute(NODE, {"id": work["id"]}, token=owner.access_token)
    assert mine["data"]["node"] == {"workId": work["workId"], "title": "Secret"}
    listed = await gql.execute(ANONYMOUS_ONLY[0], token=intruder.access_token)
    assert listed["data"]["viewer"]["puzzleWorks"]["nodes"] == []
    # once published, anyone may read the work, but not its private fields
    assert (await puzzle.publish(gql, owner.access_token, work["workId"]))["errors"] == []
    public = await puzzle.work(gql, intruder.access_token, work["workId"])
    assert (public["title"], public["sessionId"], public["publishBlockers"]) == ("Secret", None, [])
    by_node = await gql.execute(NODE, {"id": work["id"]})
    assert by_node["data"]["node"] == {"workId": work["workId"], "title": "Secret"}


async def test_puzzle_events_replay_after_a_cursor_then_arrive_live_for_their_owner_only(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given an owner who published a work (event 1) and then updated it (event 2)
    owner = await make_user()
    other = await make_user()
    work = await _ready_draft(gql, owner.access_token)
    assert (await puzzle.publish(gql, owner.access_token, work["workId"]))["errors"] == []
    assert (await puzzle.publish(gql, owner.access_token, work["workId"], update=True))[
        "errors"
    ] == []
    async with (
        graphql_socket(client, owner.access_token) as socket,
        graphql_socket(client, other.access_token) as other_socket,
    ):
        # when the owner subscribes after event 1, and someone else from the start
        await socket.subscribe(EVENTS, {"after": 1})
        await other_socket.subscribe(EVENTS, {"after": 0})
        await subscribed(stream_channel(owner_stream(owner.user_id)))
        await subscribed(stream_channel(owner_stream(other.user_id)))
        replayed = await socket.next_payloads(1)
        # then event 2 is replayed, and event 3 arrives live
        unpublished = await gql.execute(
            puzzle.UNPUBLISH, {"w": work["workId"]}, token=owner.access_token
        )
        assert unpublished["data"]["puzzleWorkUnpublish"]["errors"] == []
        live = await socket.next_payloads(1)
        received = [p["data"]["puzzleEvents"] for p in replayed + live]
        assert received == [
            {"sequence": 2, "kind": "UPDATED", "workId": work["workId"]},
            {"sequence": 3, "kind": "UNPUBLISHED", "workId": work["workId"]},
        ]
        # and the other user's stream carries none of it
        with pytest.raises(TimeoutError):
            await other_socket.next_payloads(1, timeout=0.3)
    # a cursor beyond the end is refused, and anonymous sockets may not subscribe
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(EVENTS, {"after": 4})
        (beyond,) = await socket.next_payloads(1)
        assert beyond["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    async with graphql_socket(client, None) as socket:
        await socket.subscribe(EVENTS, {"after": 0})
        (anonymous,) = await socket.next_payloads(1)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
