"""Creation tests: a fast embedded agent, a storage directory per test, and waiting for
agent turns through GraphQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import GraphQLClient

SEND = """
mutation($i: CreationMessageSendInput!) {
  creationMessageSend(input: $i) {
    errors { code field message }
    userMessageId
    operation { operationId status replyFormat taskId progress }
  }
}
"""


def fast_agent(monkeypatch: pytest.MonkeyPatch, storage: Path) -> Iterator[None]:
    """The embedded generator streams 12 words at 2000 words/s; asset bytes go to `storage`."""
    from resolvers.assets.storage import set_storage
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORDS_PER_SECOND", "2000")
    monkeypatch.setenv("GENERATION_WORD_COUNT", "12")
    monkeypatch.setenv("ASSET_STORAGE_DIR", str(storage))
    get_settings.cache_clear()
    set_storage(None)
    yield
    set_storage(None)
    get_settings.cache_clear()


async def send(
    gql: GraphQLClient, token: str, session_id: str, text: str, play_type: str = "PUZZLE"
) -> dict[str, Any]:
    result = await gql.execute(
        SEND,
        {"i": {"playType": play_type, "sessionId": session_id, "text": text}},
        token=token,
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["creationMessageSend"]
    return payload


def service() -> Any:
    """A service principal (a trusted worker) for driving AI tasks by hand."""
    from resolvers.principal import Principal, Role

    return Principal(role=Role.SERVICE, credential_id="tests:creation")


async def answer(task_id: str, text: str) -> None:
    """Run a queued task by hand, as a worker would: start, one chunk, complete."""
    from resolvers.ai_tasks import chunk_appends, stage_transitions, transitions
    from resolvers.ai_tasks.model import AiTaskStageKind

    worker = service()
    stage = AiTaskStageKind.REQUEST_MODEL
    await transitions.start_task(viewer=worker, task_id=task_id)
    await stage_transitions.start_stage(viewer=worker, task_id=task_id, stage_kind=stage)
    await chunk_appends.append_chunk(
        viewer=worker, task_id=task_id, stage_kind=stage, chunk_id="1", delta_text=text
    )
    await stage_transitions.complete_stage(viewer=worker, task_id=task_id, stage_kind=stage)
    await transitions.complete_task(viewer=worker, task_id=task_id)
