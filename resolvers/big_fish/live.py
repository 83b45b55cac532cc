"""Live runs: the one process that ticks a run, its frames, and pausing.

Whoever watches a run's frames (`bigFishRunFrames`) makes its process tick it: `watch`
claims the run's lease (leases.py; while another process holds it, it retries every
half lease), loads the saved world and starts a `LiveRun`, or joins the one already
ticking here. A `LiveRun` steps the world (simulation.step) at `BIG_FISH_TICK_HZ` with
the latest direction (from `submit_input` in this process, or over the bus from any
other), hands every subscriber each frame through a bounded queue (a full queue drops
its oldest frame: a slow client skips frames, the simulation never waits), saves the
world once a second (never per tick; renewing the lease) and when the run ends. With no
subscriber for `BIG_FISH_PAUSE_SECONDS` it saves the run as PAUSED and stops: its clock
stops until someone watches again, on any process. Pausing, resuming (the claim) and the
end move the run framework's row too, in the save's transaction (leases.py,
resolvers/runs/server_clock.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from resolvers.big_fish import leases, simulation
from resolvers.big_fish.model import BigFishRunStatus
from resolvers.big_fish.run_rows import BigFishFrameRow, BigFishRunRow
from resolvers.big_fish.runs import input_channel
from resolvers.big_fish.ticks import RealTicks, TickSource
from resolvers.ids import new_id
from settings import get_settings
from subscriptions import bus

logger = logging.getLogger("genarrative.big_fish")

FRAME_QUEUE_SIZE = 8
# What ends a subscriber's stream (the run ended, paused, or this process lost it).
END = None
Frame = BigFishFrameRow


def offer(queue: asyncio.Queue[Frame | None], frame: Frame | None) -> None:
    """Put without waiting: a full queue loses its oldest frame (the end always fits)."""
    while True:
        try:
            queue.put_nowait(frame)
            return
        except asyncio.QueueFull:
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()


class LiveRun:
    def __init__(self, row: BigFishRunRow, source: TickSource, holder: str) -> None:
        self.run_id = row.run_id
        # The world stays the JSON document the simulation steps and `leases.save` stores.
        self.world: dict[str, Any] = row.snapshot_json
        self.direction = (row.last_input_x, row.last_input_y)
        self.input_at = 0.0
        self.source = source
        self.holder = holder
        self.subscribers: set[asyncio.Queue[Frame | None]] = set()
        self.task: asyncio.Task[None] | None = None
        # Tick lag (s) and CPU time (s) per tick, for bench/big_fish.py.
        self.lags: list[float] = []
        self.cpu: list[float] = []

    def steer(self, message: dict[str, Any]) -> None:
        at = float(message.get("at", 0.0))
        if at >= self.input_at:
            self.input_at = at
            self.direction = (float(message["x"]), float(message["y"]))

    def frame(self) -> Frame:
        return BigFishFrameRow.from_world(self.world)

    async def _inputs(self) -> None:
        hub = bus.current_hub()
        if hub is None:
            return
        async with hub.subscribe(input_channel(self.run_id)) as messages:
            async for message in messages:
                if "x" in message and "y" in message:
                    self.steer(message)

    async def run(self) -> None:
        settings = get_settings()
        hz, lease = settings.big_fish_tick_hz, settings.big_fish_lease_seconds
        dt, pause_ticks = 1.0 / hz, max(1, round(settings.big_fish_pause_seconds * hz))
        idle = since_save = 0
        status = BigFishRunStatus.RUNNING
        inputs = asyncio.create_task(self._inputs())
        try:
            while True:
                lag = await self.source.next_tick()
                started = time.process_time()
                self.world = simulation.step(self.world, self.direction, dt)
                if self.subscribers:  # a frame is read off the world only for a watcher
                    frame = self.frame()
                    for queue in self.subscribers:
                        offer(queue, frame)
                since_save += 1
                idle = 0 if self.subscribers else idle + 1
                if self.world["status"] != simulation.RUNNING:
                    status = BigFishRunStatus(self.world["status"])
                elif idle >= pause_ticks:
                    status = BigFishRunStatus.PAUSED
                if status is not BigFishRunStatus.RUNNING or since_save >= hz:
                    since_save = 0
                    kept = await leases.save(
                        run_id=self.run_id,
                        holder=self.holder,
                        world=self.world,
                        status=status,
                        lease_seconds=lease,
                    )
                    if not kept or status is not BigFishRunStatus.RUNNING:
                        break
                self.lags.append(lag)
                self.cpu.append(time.process_time() - started)
                self.source.tick_done()
        finally:
            inputs.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await inputs
            for queue in self.subscribers:
                offer(queue, END)
            LIVE_RUNS.forget(self)
            stop = getattr(self.source, "stop", None)
            if stop is not None:
                stop()


class LiveRuns:
    """The runs this process ticks."""

    def __init__(self) -> None:
        self.holder = new_id()
        self.runs: dict[str, LiveRun] = {}
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self.tick_source: Callable[[str], TickSource] = lambda _run_id: RealTicks(
            get_settings().big_fish_tick_hz
        )

    def steer(self, run_id: str, message: dict[str, Any]) -> None:
        live = self.runs.get(run_id)
        if live is not None:
            live.steer(message)

    def forget(self, live: LiveRun) -> None:
        if self.runs.get(live.run_id) is live:
            del self.runs[live.run_id]

    async def _join(self, run_id: str, queue: asyncio.Queue[Frame | None]) -> bool:
        # One lock per event loop (tests run one loop each; a lock belongs to its loop).
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            self._locks = {loop: (lock := asyncio.Lock())}
        async with lock:
            live = self.runs.get(run_id)
            if live is None:
                row = await leases.claim(
                    run_id=run_id,
                    holder=self.holder,
                    lease_seconds=get_settings().big_fish_lease_seconds,
                )
                if row is None:
                    return False
                live = LiveRun(row, self.tick_source(run_id), self.holder)
                self.runs[run_id] = live
                live.task = asyncio.get_running_loop().create_task(live.run())
            live.subscribers.add(queue)
            offer(queue, live.frame())
            return True

    @contextlib.asynccontextmanager
    async def watch(
        self, run_id: str, *, is_over: Callable[[], Any]
    ) -> AsyncIterator[asyncio.Queue[Frame | None]]:
        """Frames of a run, ticking it here (`is_over()`: an awaitable saying whether the
        run ended meanwhile, asked while another process holds it)."""
        queue: asyncio.Queue[Frame | None] = asyncio.Queue(FRAME_QUEUE_SIZE)
        retry = get_settings().big_fish_lease_seconds / 2
        while not await self._join(run_id, queue):
            if await is_over():
                offer(queue, END)
                break
            await asyncio.sleep(retry)
        try:
            yield queue
        finally:
            live = self.runs.get(run_id)
            if live is not None:
                live.subscribers.discard(queue)

    async def stop_all(self) -> None:
        """Shutdown: save every run as PAUSED and release it (another process resumes)."""
        for live in list(self.runs.values()):
            if live.task is not None:
                live.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await live.task
            with contextlib.suppress(Exception):
                await leases.save(
                    run_id=live.run_id,
                    holder=self.holder,
                    world=live.world,
                    status=BigFishRunStatus.PAUSED,
                    lease_seconds=0,
                )


LIVE_RUNS = LiveRuns()
