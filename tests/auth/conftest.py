"""Auth fixtures: a recording SMS sender, and a fake WeChat the settings point at."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

import pytest

from resolvers.auth.sms import set_sms_sender
from tests.auth.fake_wechat import (
    APP_ID,
    APP_SECRET,
    MINI_APP_ID,
    MINI_APP_SECRET,
    FakeWechat,
    running_wechat,
)

REDIRECT_URI = "https://app.example.com/wechat/return"


@dataclass
class RecordingSender:
    sent: list[tuple[str, str]] = field(default_factory=list)

    async def send_code(self, *, phone_e164: str, code: str) -> None:
        self.sent.append((phone_e164, code))

    def last_code(self) -> str:
        return self.sent[-1][1]


@pytest.fixture
def sms() -> Iterator[RecordingSender]:
    sender = RecordingSender()
    previous = set_sms_sender(sender)
    yield sender
    set_sms_sender(previous)


@pytest.fixture
async def wechat(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeWechat]:
    """The fake WeChat on a real port, and WECHAT_* settings that use it.

    The timeout is generous (10 s) so a loaded CI machine never turns a normal answer into
    WECHAT_TIMEOUT; the one test of the timeout shortens it for itself.
    """
    from settings import get_settings

    async with running_wechat() as fake:
        monkeypatch.setenv("WECHAT_API_BASE_URL", fake.base_url)
        monkeypatch.setenv("WECHAT_APP_ID", APP_ID)
        monkeypatch.setenv("WECHAT_APP_SECRET", APP_SECRET)
        monkeypatch.setenv("WECHAT_MINI_APP_ID", MINI_APP_ID)
        monkeypatch.setenv("WECHAT_MINI_APP_SECRET", MINI_APP_SECRET)
        monkeypatch.setenv("WECHAT_REDIRECT_ALLOWLIST", json.dumps([REDIRECT_URI]))
        monkeypatch.setenv("WECHAT_HTTP_TIMEOUT_SECONDS", "10")
        get_settings.cache_clear()
        yield fake
