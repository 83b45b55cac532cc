"""AI-task tests generate fast: the embedded generator streams 12 words at 400 words/s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def fast_generation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORDS_PER_SECOND", "400")
    monkeypatch.setenv("GENERATION_WORD_COUNT", "12")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
async def service_token() -> str:
    from resolvers.auth.admin import issue_service_token

    return (await issue_service_token(name="test-worker", days=1)).token
