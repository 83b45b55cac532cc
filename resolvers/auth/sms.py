"""Sending sign-in codes: an interface, and the default sender that writes to the log."""

from __future__ import annotations

import logging
from typing import Protocol

logger = logging.getLogger("genarrative.sms")


class SmsSender(Protocol):
    async def send_code(self, *, phone_e164: str, code: str) -> None:
        """Deliver `code` to `phone_e164`; raise on failure."""


class LogSmsSender:
    """The embedded default: no SMS provider, the code goes to the log."""

    async def send_code(self, *, phone_e164: str, code: str) -> None:
        logger.warning("sign-in code for %s: %s", phone_e164, code)


_sender: SmsSender = LogSmsSender()


def get_sms_sender() -> SmsSender:
    return _sender


def set_sms_sender(sender: SmsSender) -> SmsSender:
    """Install another sender (a provider, or a test's recorder); returns the previous one."""
    global _sender
    previous, _sender = _sender, sender
    return previous
