"""Agent turns of custom worlds: the reply streams like any task, lands in the message log,
updates the session and is mirrored in `custom_world_agent_operation`; failed or cancelled
turns change no draft; a model's JSON reply updates the draft or is kept with a warning."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from db.tables.worlds import CustomWorldAgentMessage, CustomWorldAgentOperation
from tests.factories.auth import make_user
from tests.factories.worlds import (
    bind_cover,
    create_session,
    finished_turn,
    publish,
    send,
    talk,
)
from tests.fixtures import GraphQLClient
from tests.worlds.fake_model import API_KEY, FakeModel, running_model
from tests.ws import graphql_socket

EVENTS = """
subscription($t: ID!) {
  aiTaskEvents(taskId: $t, after: 0) { sequence kind deltaText status }
}
"""
CANCEL = "mutation($t: ID!) { aiTaskCancel(taskId: $t) { errors { code } } }"


async def test_a_message_streams_its_reply_and_updates_the_session(
    gql: GraphQLClient, client: Any
) -> None:
    # given a session
    user = await make_user()
    created = await create_session(gql, user.access_token, "Lantern city")
    session_id = created["session"]["sessionId"]
    # when the creator sends a message
    sent = await send(gql, user.access_token, session_id, "Make it rain a lot.")
    assert sent["errors"] == []
    operation = sent["operation"]
    assert operation["status"] == "RUNNING"
    # then the reply streams to a subscriber of its AI task, chunk by chunk, to completion
    streamed: list[str] = []
    async with graphql_socket(client, user.access_token) as socket:
        await socket.subscribe(EVENTS, {"t": operation["taskId"]})
        while True:
            (payload,) = await socket.next_payloads(1)
            event = payload["data"]["aiTaskEvents"]
            if event["kind"] == "TEXT_CHUNK":
                streamed.append(event["deltaText"])
            if event["kind"] == "COMPLETED":
                break
    assert len(streamed) == 12
    # and the finished reply lands in the log and updates the session
    found = await finished_turn(gql, user.access_token, session_id)
    reply = "".join(streamed)
    assert [(m["role"], m["kind"]) for m in found["messages"]["nodes"]] == [
        ("ASSISTANT", "CHAT"),
        ("USER", "CHAT"),
        ("ASSISTANT", "CHAT"),
    ]
    assert found["messages"]["nodes"][2]["text"] == reply == found["lastAssistantReply"]
    assert (found["stage"], found["progress"], found["currentTurn"]) == ("drafting", 92, 1)
    assert all(anchor["filled"] for anchor in found["anchors"])
    draft = found["worldDraft"]
    assert found["cards"] == sorted(
        found["cards"], key=lambda c: ["CHARACTER", "PLACE", "CHAPTER"].index(c["kind"])
    )
    assert [c["cardId"] for c in found["cards"]] == [
        e["id"] for e in draft["characters"] + draft["places"] + draft["chapters"]
    ]
    assert {c["assetStatus"] for c in found["cards"] if c["kind"] != "CHAPTER"} == {"MISSING"}
    assert [b["code"] for b in found["publishGate"]["blockers"]] == ["COVER_MISSING"]
    # and the catalog's operation row mirrors the turn (same id, its task)
    assert found["worldOperations"] == [
        {
            "operationId": operation["operationId"],
            "status": "COMPLETED",
            "progress": 100,
            "phaseLabel": "Reply applied",
            "taskId": operation["taskId"],
            "errorMessage": None,
        }
    ]
    rows = await CustomWorldAgentMessage.select(CustomWorldAgentMessage.related_operation_id).where(
        CustomWorldAgentMessage.session_id == session_id
    )
    assert sorted(r["related_operation_id"] or "" for r in rows) == [
        "",
        operation["operationId"],
        operation["operationId"],
    ]


async def test_different_seeds_give_different_drafts(gql: GraphQLClient) -> None:
    user = await make_user()
    drafts = []
    for seed in ("Salt towns on stilts", "A canyon city of pulleys"):
        created = await create_session(gql, user.access_token, seed)
        found = await talk(gql, user.access_token, created["session"]["sessionId"], "Go on.")
        drafts.append(found["worldDraft"])
    names = [
        (d["worldName"], [c["name"] for c in d["characters"]], [p["name"] for p in d["places"]])
        for d in drafts
    ]
    assert names[0] != names[1]


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()


async def test_one_turn_at_a_time_and_a_cancelled_turn_changes_no_draft(
    no_worker: None, gql: GraphQLClient
) -> None:
    # given a running turn (no worker answers it)
    user = await make_user()
    created = await create_session(gql, user.access_token, "Frozen frontier")
    session_id = created["session"]["sessionId"]
    first = await send(gql, user.access_token, session_id, "Hello")
    # when a second message comes while it runs
    second = await send(gql, user.access_token, session_id, "Again")
    # then it is refused and not written
    assert [e["code"] for e in second["errors"]] == ["TURN_IN_PROGRESS"]
    assert (
        await CustomWorldAgentMessage.count().where(
            CustomWorldAgentMessage.session_id == session_id
        )
        == 2
    )
    # when the turn's task is cancelled
    cancelled = await gql.execute(
        CANCEL, {"t": first["operation"]["taskId"]}, token=user.access_token
    )
    assert cancelled["data"]["aiTaskCancel"]["errors"] == []
    # then the turn is CANCELLED in both operation tables and the draft is unchanged
    found = await finished_turn(gql, user.access_token, session_id)
    assert found["latestOperation"]["status"] == "CANCELLED"
    assert found["worldOperations"][0]["status"] == "CANCELLED"
    assert (found["stage"], found["progress"], found["worldDraft"]["characters"]) == (
        "collecting_anchors",
        8,
        [],
    )
    assert [m["role"] for m in found["messages"]["nodes"]] == ["ASSISTANT", "USER"]


@pytest.fixture
async def model(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeModel]:
    from settings import get_settings

    async with running_model() as state:
        monkeypatch.setenv("GENERATION_BACKEND", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        get_settings.cache_clear()
        yield state


def _json_reply(places: list[str]) -> str:
    anchors = {
        key: f"{key} text"
        for key in (
            "premise",
            "tone",
            "setting",
            "rules",
            "factions",
            "player_role",
            "conflict",
            "stakes",
        )
    }
    draft = {
        "worldName": "Tidegate",
        "summary": "A harbour at the end of the world.",
        "themeMode": "mystery",
        "anchors": anchors,
        "characters": [{"name": "Mira", "role": "smuggler", "playable": True}],
        "places": [{"name": name, "region": "south"} for name in places],
        "chapters": [{"title": "Arrival", "characters": ["Mira"], "places": places[:1]}],
    }
    return orjson.dumps({"reply": "Here is your harbour.", "draft": draft}).decode()


async def test_a_model_json_reply_updates_the_draft_and_invalid_json_keeps_it(
    model: FakeModel, gql: GraphQLClient
) -> None:
    user = await make_user()
    created = await create_session(gql, user.access_token, "A harbour")
    session_id = created["session"]["sessionId"]
    # when the model answers with the JSON asked for
    model.reply = _json_reply(["Harbour"])
    found = await talk(gql, user.access_token, session_id, "Build a harbour town.")
    # then the prompt asked for JSON and the draft is the model's
    assert '"reply"' in model.prompts[0] and "Build a harbour town." in model.prompts[0]
    assert found["worldDraft"]["worldName"] == "Tidegate"
    assert found["lastAssistantReply"] == "Here is your harbour."
    assert [c["title"] for c in found["cards"]] == ["Mira", "Harbour", "Arrival"]
    before = found["worldDraft"]
    # when the model answers with broken JSON
    model.reply = '{"reply": "oops", "draft": {'
    kept = await talk(gql, user.access_token, session_id, "Change everything.")
    # then the previous draft is kept and a warning is recorded
    assert kept["worldDraft"] == before
    assert kept["latestOperation"]["status"] == "COMPLETED"
    assert "not valid JSON" in kept["latestOperation"]["warningMessage"]
    assert [(m["role"], m["kind"]) for m in kept["messages"]["nodes"][-2:]] == [
        ("ASSISTANT", "CHAT"),
        ("SYSTEM", "WARNING"),
    ]
    assert kept["worldOperations"][0]["status"] == "COMPLETED"


async def test_a_reply_that_would_break_a_published_world_keeps_its_draft(
    model: FakeModel, gql: GraphQLClient
) -> None:
    # given a published world drafted by the model
    user = await make_user()
    created = await create_session(gql, user.access_token, "A harbour")
    session_id = created["session"]["sessionId"]
    profile_id = created["session"]["profileId"]
    model.reply = _json_reply(["Harbour", "Lighthouse"])
    await talk(gql, user.access_token, session_id, "Build it.")
    await bind_cover(gql, user.access_token, profile_id)
    assert (await publish(gql, user.access_token, profile_id))["errors"] == []
    # when the model's next draft has no place at all
    model.reply = _json_reply([])
    found = await talk(gql, user.access_token, session_id, "Remove every place.")
    # then the published world keeps its draft, with a warning saying why
    assert [p["name"] for p in found["worldDraft"]["places"]] == ["Harbour", "Lighthouse"]
    assert found["stage"] == "published"
    warning = found["messages"]["nodes"][-1]
    assert (warning["role"], warning["kind"]) == ("SYSTEM", "WARNING")
    assert "unpublishable" in warning["text"] and "previous draft was kept" in warning["text"]
    assert await CustomWorldAgentOperation.count() == 2
