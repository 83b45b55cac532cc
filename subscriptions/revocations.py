"""Token revocations travel on the bus so every process closes the affected sockets.

A revocation is either "every token of user U below version V" (logout-all) or "session S
of user U" (logout, refresh-token reuse). Each process keeps the watches of its live
connections in memory and trips them when a revocation arrives: no database query per
event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from subscriptions import bus
from subscriptions.channels import AUTH_REVOCATIONS
from subscriptions.subscriber import SubscriberOverflow

logger = logging.getLogger("genarrative.revocations")


@dataclass(eq=False)
class Watch:
    """One connection's credentials; `revoked` is set once they stop being valid."""

    user_id: str | None
    session_id: str | None
    token_version: int
    expires_at: datetime | None
    revoked: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, message: dict[str, Any]) -> bool:
        if message.get("user_id") != self.user_id:
            return False
        if "session_id" in message:
            return bool(message["session_id"] == self.session_id)
        return self.token_version < int(message.get("token_version", 0))


class Revocations:
    """The per-process registry of watches, fed by the bus."""

    def __init__(self, hub: bus.Hub) -> None:
        self._hub = hub
        self._watches: dict[str, set[Watch]] = {}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())
        await self._ready.wait()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def watch(self, watch: Watch) -> Watch:
        if watch.user_id is not None:
            self._watches.setdefault(watch.user_id, set()).add(watch)
        return watch

    def unwatch(self, watch: Watch) -> None:
        if watch.user_id is None:
            return
        watches = self._watches.get(watch.user_id)
        if watches is not None:
            watches.discard(watch)
            if not watches:
                del self._watches[watch.user_id]

    async def _listen(self) -> None:
        while True:
            try:
                async with self._hub.subscribe(AUTH_REVOCATIONS) as subscription:
                    self._ready.set()
                    async for message in subscription:
                        for watch in list(self._watches.get(message.get("user_id", ""), ())):
                            if watch.matches(message):
                                watch.revoked.set()
            except SubscriberOverflow:
                # Revocations are rare; falling behind means a storm. Resubscribe and go on.
                logger.warning("revocation listener fell behind; resubscribing")


_registry: Revocations | None = None


def current_registry() -> Revocations | None:
    return _registry


def install_registry(registry: Revocations | None) -> None:
    global _registry
    _registry = registry


async def publish_user_revoked(*, user_id: str, token_version: int) -> None:
    """Every token of `user_id` older than `token_version` is revoked (logout-all)."""
    await bus.publish(AUTH_REVOCATIONS, {"user_id": user_id, "token_version": token_version})


async def publish_session_revoked(*, user_id: str, session_id: str) -> None:
    await bus.publish(AUTH_REVOCATIONS, {"user_id": user_id, "session_id": session_id})
