"""The creation agent through GraphQL with the app's generation worker: the reply streams
to `aiTaskEvents` and lands in the session; with GENERATION_BACKEND=openai (a loopback
provider) the agent asks for JSON, a valid JSON draft becomes the draft, and invalid JSON
or an invalid draft keeps the previous draft with a warning."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

import schema.build  # noqa: F401
from tests.factories import puzzle
from tests.factories.auth import make_user
from tests.factories.creation import send
from tests.fixtures import GraphQLClient
from tests.providers.fake_openai import API_KEY, FakeProvider, running_provider
from tests.ws import graphql_socket

EVENTS = """
subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { sequence kind deltaText status } }
"""


@pytest.fixture
async def provider(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeProvider]:
    """The fake provider, and settings that send the app's worker to it (set before the
    `app` fixture builds the worker)."""
    from settings import get_settings

    async with running_provider() as state:
        monkeypatch.setenv("GENERATION_BACKEND", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_MODEL", "test-model")
        get_settings.cache_clear()
        yield state


async def test_the_reply_streams_to_task_subscribers_then_lands_in_the_session(
    gql: GraphQLClient,
) -> None:
    # given a puzzle session and a subscriber to its turn's task
    user = await make_user()
    started = await puzzle.start(gql, user.access_token, "Koi pond in spring")
    session_id = started["session"]["sessionId"]
    sent = await send(gql, user.access_token, session_id, "Four levels with koi")
    assert sent["errors"] == []
    assert (sent["operation"]["status"], sent["operation"]["replyFormat"]) == ("RUNNING", "TEXT")
    async with graphql_socket(gql.http, user.access_token) as socket:
        await socket.subscribe(EVENTS, {"t": sent["operation"]["taskId"]})
        # when the worker streams the reply
        events: list[dict[str, Any]] = []
        while not events or events[-1]["kind"] != "COMPLETED":
            (payload,) = await socket.next_payloads(1, timeout=10)
            events.append(payload["data"]["aiTaskEvents"])
    # then the subscriber saw every chunk in order, then the completion
    assert [event["sequence"] for event in events] == list(range(1, len(events) + 1))
    streamed = "".join(event["deltaText"] for event in events if event["kind"] == "TEXT_CHUNK")
    assert len(streamed.split()) == 12
    # and the session shows the reply and a draft with named levels and grid sizes
    found = await puzzle.session(gql, user.access_token, session_id)
    assert found["lastAssistantReply"] == streamed
    assert [message["role"] for message in found["messages"]["nodes"]] == ["USER", "ASSISTANT"]
    assert found["puzzleStage"] == "DRAFT_READY"
    levels = found["puzzleDraft"]["levels"]
    assert levels and all(level["name"] and 3 <= level["gridSize"] <= 8 for level in levels)
    assert found["latestOperation"]["status"] == "COMPLETED"


def _json_reply(levels: list[dict[str, Any]], title: str = "Koi") -> str:
    return json.dumps(
        {
            "reply": "Here are your levels.",
            "draft": {
                "title": title,
                "description": "Koi in a pond",
                "theme": "nature",
                "tags": ["koi"],
                "levels": levels,
            },
        }
    )


async def test_a_json_agent_sets_the_draft_and_bad_replies_keep_it_with_a_warning(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    # given a session whose agent is an OpenAI-compatible model
    provider.scripted = [
        _json_reply([{"name": "Pond", "gridSize": 4}, {"name": "Lilies", "gridSize": 6}]),
        "Sorry, I cannot answer in JSON today.",
        "```json\n" + _json_reply([{"name": "Huge", "gridSize": 12}]) + "\n```",
    ]
    user = await make_user()
    started = await puzzle.start(gql, user.access_token, "Koi pond")
    session_id = started["session"]["sessionId"]
    # when the model answers with a valid JSON object
    found = await puzzle.turn(gql, user.access_token, session_id, "Two levels")
    # then the prompt asked for JSON, and the draft is the model's
    assert '"draft"' in provider.prompts[0] and "Koi pond" in provider.prompts[0]
    assert found["latestOperation"]["replyFormat"] == "JSON"
    assert found["lastAssistantReply"] == "Here are your levels."
    draft = found["puzzleDraft"]
    assert (draft["title"], [(lv["name"], lv["gridSize"]) for lv in draft["levels"]]) == (
        "Koi",
        [("Pond", 4), ("Lilies", 6)],
    )
    assert (found["puzzleStage"], found["progress"]) == ("DRAFT_READY", 100)
    kept = draft
    # when it answers with prose, then with a draft the puzzle model refuses (grid 12)
    for text, reason in [("More koi", "not valid JSON"), ("Bigger", "draft was invalid")]:
        found = await puzzle.turn(gql, user.access_token, session_id, text)
        # then the previous draft is kept, and the turn and the log say why
        assert found["puzzleDraft"] == kept
        warning = found["latestOperation"]["warningMessage"]
        assert reason in warning and "previous draft was kept" in warning
        assert found["latestOperation"]["status"] == "COMPLETED"
        assert found["messages"]["nodes"][-1]["kind"] == "WARNING"
        assert found["messages"]["nodes"][-1]["role"] == "SYSTEM"
    assert "gridSize" in found["latestOperation"]["warningMessage"]
    # the raw replies stay readable in the conversation
    said = [m["text"] for m in found["messages"]["nodes"] if m["role"] == "ASSISTANT"]
    assert said[1] == "Sorry, I cannot answer in JSON today."
