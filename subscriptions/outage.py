"""What the hub does while its backend (Redis, PostgreSQL LISTEN) is unreachable.

A bus outage must degrade delivery, not silence it, and must not flood the log:
- **Polling.** While the hub's listening connection is down, every local subscriber is
  nudged with a `{"resync": true}` marker every `REALTIME_OUTAGE_POLL_SECONDS` (1): stream
  followers read their stream's log after their cursor (subscriptions/streams.py), so live
  delivery goes on from the database, at most that much later. The nudges stop once the
  hub is subscribed again (which sends one last marker itself).
- **One line per change of state.** The listener going down is one warning, coming back
  one more (with how long it was away); publishes failing is one warning for the first
  failure and one line when publishing works again (with how many were dropped). No
  traceback per publish: a dropped publish loses nothing, its entry is in the stream's log.
- **No waiting on a dead bus.** After a failed publish, publishes are dropped without
  trying for a poll period; then one tries again. A writer never waits on the bus more
  than once a period (an unreachable host costs the hub's call timeout, not each publish).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

logger = logging.getLogger("genarrative.bus")

DEFAULT_POLL_SECONDS = 1.0
RESYNC: dict[str, Any] = {"resync": True}


class Nudgeable(Protocol):
    def nudge(self, message: dict[str, Any]) -> None: ...


class Outage:
    """The bus's health as this process sees it: listening or not, publishing or not."""

    def __init__(
        self,
        subscribers: Callable[[], Iterable[Nudgeable]],
        *,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self._subscribers = subscribers
        self.poll_seconds = poll_seconds
        self.listening = True
        self._down_since = 0.0
        self._poller: asyncio.Task[None] | None = None
        self.dropped_publishes = 0
        self._last_publish_try = 0.0

    def listener_lost(self, error: BaseException) -> None:
        """The listening connection failed: warn once and poll until it is back."""
        if not self.listening:
            return
        self.listening = False
        self._down_since = time.monotonic()
        logger.warning(
            "bus unreachable (%s); stream followers read their logs every %.1f s until it is back",
            _describe(error),
            self.poll_seconds,
        )
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll())

    def listener_back(self) -> None:
        if self.listening:
            return
        self.listening = True
        self._stop_polling()
        logger.warning(
            "bus reachable again after %.1f s; live delivery resumes",
            time.monotonic() - self._down_since,
        )

    def should_try_publish(self) -> bool:
        """False while publishing is failing, except once per poll period (the probe)."""
        if not self.dropped_publishes:
            return True
        now = time.monotonic()
        if now - self._last_publish_try < self.poll_seconds:
            self.dropped_publishes += 1
            return False
        self._last_publish_try = now
        return True

    def publish_failed(self, error: BaseException) -> None:
        self._last_publish_try = time.monotonic()
        self.dropped_publishes += 1
        if self.dropped_publishes == 1:
            logger.warning(
                "publishing on the bus failed (%s); dropping publishes until it answers "
                "(subscribers read them from the streams' logs)",
                _describe(error),
            )

    def published(self) -> None:
        if self.dropped_publishes:
            logger.warning(
                "publishing on the bus works again; %d publishes were dropped meanwhile",
                self.dropped_publishes,
            )
            self.dropped_publishes = 0

    async def close(self) -> None:
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller

    def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None

    async def _poll(self) -> None:
        while not self.listening:
            await asyncio.sleep(self.poll_seconds)
            for subscriber in list(self._subscribers()):
                subscriber.nudge(RESYNC)


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
