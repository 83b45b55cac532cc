"""The OpenAI-compatible generator against a streaming server on loopback: directly, and
through the generation worker (normal, cut mid-way, slow + cancel, error statuses)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from resolvers.ai_tasks.generation import GenerationRequest
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.ai_tasks.openai_compatible import (
    CONTINUE_PROMPT,
    OpenAICompatibleGenerator,
    ProviderError,
)
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.providers.fake_openai import API_KEY, NORMAL_REPLY, FakeProvider, running_provider
from tests.waiting import eventually

GENERATE = "mutation($p: String!) { aiTaskGenerate(input: {prompt: $p}) { errors { code } task { taskId } } }"
TASK = "query($t: ID!) { aiTask(taskId: $t) { status failureMessage text } }"
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}


@pytest.fixture
async def provider(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeProvider]:
    """The fake provider, and settings that send the app's worker to it."""
    from settings import get_settings

    async with running_provider() as state:
        monkeypatch.setenv("GENERATION_BACKEND", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_MODEL", "test-model")
        get_settings.cache_clear()
        yield state


def _generator(provider: FakeProvider, key: str = API_KEY) -> OpenAICompatibleGenerator:
    return OpenAICompatibleGenerator(base_url=provider.base_url, api_key=key, model="test-model")


def _request(prompt: str) -> GenerationRequest:
    return GenerationRequest(task_id="t", kind=AiTaskKind.TEXT_GENERATION, prompt=prompt)


async def test_a_normal_stream_yields_every_delta(provider: FakeProvider) -> None:
    deltas = [delta async for delta in _generator(provider).stream(_request("normal"))]
    assert deltas == NORMAL_REPLY
    sent = provider.requests[0]
    assert (sent["model"], sent["stream"], sent["messages"][-1]) == (  # type: ignore[index]
        "test-model",
        True,
        {"role": "user", "content": "normal"},
    )


async def test_a_taken_over_request_asks_the_provider_to_continue_the_partial_reply(
    provider: FakeProvider,
) -> None:
    # given a request another worker had written part of the reply for
    provider.scripted.append(" a time, a fox.")
    request = GenerationRequest(
        task_id="t", kind=AiTaskKind.TEXT_GENERATION, prompt="a fox", written_text="Once upon"
    )
    # when it is streamed
    deltas = [delta async for delta in _generator(provider).stream(request)]
    # then the provider got the partial reply as the assistant's, was asked to go on, and
    # only its continuation is yielded
    assert "".join(deltas) == " a time, a fox."
    assert provider.requests[0]["messages"][1:] == [  # type: ignore[index]
        {"role": "user", "content": "a fox"},
        {"role": "assistant", "content": "Once upon"},
        {"role": "user", "content": CONTINUE_PROMPT},
    ]


@pytest.mark.parametrize(
    ("prompt", "key", "message"),
    [
        ("cut", API_KEY, "RemoteProtocolError"),
        ("error", API_KEY, "HTTP 500: model overloaded"),
        ("normal", "wrong-key", "HTTP 401: invalid api key"),
    ],
)
async def test_failures_raise_provider_errors(
    provider: FakeProvider, prompt: str, key: str, message: str
) -> None:
    received: list[str] = []
    with pytest.raises(ProviderError) as failed:
        async for delta in _generator(provider, key).stream(_request(prompt)):
            received.append(delta)
    assert message in str(failed.value)
    assert received == (["partial", " text"] if prompt == "cut" else [])


async def _generate(gql: GraphQLClient, token: str, prompt: str) -> str:
    result = await gql.execute(GENERATE, {"p": prompt}, token=token)
    payload = result["data"]["aiTaskGenerate"]
    assert payload["errors"] == []
    return str(payload["task"]["taskId"])


async def _until(
    gql: GraphQLClient, token: str, task_id: str, done: Any, timeout: float = 10
) -> dict[str, Any]:
    async def task() -> dict[str, Any]:
        found: dict[str, Any] = (await gql.execute(TASK, {"t": task_id}, token=token))["data"][
            "aiTask"
        ]
        return found

    return await eventually(task, done, timeout=timeout)


async def test_the_worker_streams_a_provider_reply_to_completion(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    user = await make_user()
    task_id = await _generate(gql, user.access_token, "normal")
    task = await _until(gql, user.access_token, task_id, lambda t: t["status"] in TERMINAL)
    assert task == {"status": "COMPLETED", "failureMessage": None, "text": "".join(NORMAL_REPLY)}


async def test_a_stream_cut_midway_fails_the_task_and_keeps_the_partial_text(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    user = await make_user()
    task_id = await _generate(gql, user.access_token, "cut")
    task = await _until(gql, user.access_token, task_id, lambda t: t["status"] in TERMINAL)
    assert task["status"] == "FAILED"
    assert task["failureMessage"].startswith("The text generator failed: RemoteProtocolError")
    assert task["text"] == "partial text"


async def test_an_error_status_fails_the_task_with_the_providers_message(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    user = await make_user()
    task_id = await _generate(gql, user.access_token, "error")
    task = await _until(gql, user.access_token, task_id, lambda t: t["status"] in TERMINAL)
    assert task == {
        "status": "FAILED",
        "failureMessage": "The text generator failed: HTTP 500: model overloaded",
        "text": "",
    }


async def test_cancelling_a_slow_provider_stops_it_within_a_second(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    # given a task streaming slowly from the provider
    user = await make_user()
    task_id = await _generate(gql, user.access_token, "slow")
    await _until(gql, user.access_token, task_id, lambda t: t["text"].count(" ") >= 2)
    # when its owner cancels it
    cancelled_at = time.monotonic()
    result = await gql.execute(
        "mutation($t: ID!) { aiTaskCancel(taskId: $t) { errors { code } task { status } } }",
        {"t": task_id},
        token=user.access_token,
    )
    assert result["data"]["aiTaskCancel"] == {"errors": [], "task": {"status": "CANCELLED"}}
    text_at_cancel = (await gql.execute(TASK, {"t": task_id}, token=user.access_token))["data"][
        "aiTask"
    ]["text"]
    # then the provider's stream is closed within a second
    async with asyncio.timeout(1):
        await provider.stream_closed.wait()
    assert provider.stream_closed_at is not None
    assert provider.stream_closed_at - cancelled_at < 1
    # and nothing was added while it was still streaming, nor after (an append to a task
    # that is not running is refused, and nothing streams any more)
    final = (await gql.execute(TASK, {"t": task_id}, token=user.access_token))["data"]["aiTask"]
    assert final["status"] == "CANCELLED"
    assert final["text"] == text_at_cancel
