"""Big-fish benchmark: live runs ticking at 10 Hz in one process, each watched.

    .venv/bin/python bench/big_fish.py
    .venv/bin/python bench/big_fish.py --database-url postgres://postgres@127.0.0.1:5432/postgres

In one run, bounded in time:
1. a new PostgreSQL database beside the URL given (dropped at the end), migrated;
2. in a child process (one event loop, like one server process): --runs runs inserted
   (the example work's levels with only the smallest fish, so no run ends), each ticked by
   `resolvers.big_fish.live` with the real tick source at BIG_FISH_TICK_HZ and watched by
   one in-process subscriber draining its frame queue (what `bigFishRunFrames` does), for
   --seconds; every run saves its world once a second on PostgreSQL as in production;
and prints: ticks per second, the tick lag (how late each tick ran after it was due)
p50 / p99 / max, the CPU time per tick (the whole process: stepping, frames, saves,
subscribers) and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def orchestrate(options: argparse.Namespace) -> int:
    name = f"genarrative_bench_big_fish_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(harness.postgres(options.database_url, f'CREATE DATABASE "{name}"'))
    database_url = urlunparse(urlparse(options.database_url)._replace(path=f"/{name}"))
    try:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url,
            "BROADCAST_URL": "memory://",
            "GENERATION_WORKER_ENABLED": "false",
        }
        print("engine: postgres; migrating …", flush=True)
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        print(f"{options.runs} live runs for {options.seconds:g} s …", flush=True)
        result = json.loads(
            harness.run(
                [
                    PYTHON,
                    str(Path(__file__)),
                    "live",
                    "--runs",
                    str(options.runs),
                    "--seconds",
                    str(options.seconds),
                ],
                env,
                timeout=options.seconds + 120,
            )
        )
    finally:
        asyncio.run(
            harness.postgres(options.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )
    print(
        f"runs {result['runs']}  ticks/s {result['ticks_per_second']:.1f}  "
        f"lag p50 {result['lag_p50_ms']:.2f} ms  p99 {result['lag_p99_ms']:.2f} ms  "
        f"max {result['lag_max_ms']:.1f} ms  CPU/tick {result['cpu_per_tick_ms']:.3f} ms  "
        f"frames {result['frames']}  load {result['load']}"
    )
    target = "met" if result["lag_p99_ms"] < 20 else "MISSED"
    print(f"target p99 lag < 20 ms: {target}")
    return 0


async def live(options: argparse.Namespace) -> dict[str, Any]:
    from db.engine import close_pool, start_pool
    from db.tables.big_fish import BigFishRuntimeRun
    from resolvers import clock
    from resolvers.big_fish import simulation
    from resolvers.big_fish.live import LIVE_RUNS
    from resolvers.big_fish.plugin import BIG_FISH
    from resolvers.big_fish.store.sessions import as_json
    from resolvers.ids import new_id

    engine = BigFishRuntimeRun._meta.db
    await start_pool(engine, max_size=10)
    levels = BIG_FISH.example_draft()["levels"]
    levels = [levels[0], {**levels[1], "count": 0}, {**levels[2], "count": 0}]
    run_ids = []
    for _ in range(options.runs):
        seed = secrets.randbits(48)
        world = simulation.world(
            seed=seed,
            levels=levels,
            thresholds=[1.2, 4.0],
            start_level=0,
            player_speed=4.0,
            win_size=1000.0,
        )
        run_id, now = new_id(), clock.now()
        await BigFishRuntimeRun.insert(
            BigFishRuntimeRun(
                run_id=run_id,
                session_id="bench",
                owner_user_id="bench",
                status="running",
                snapshot_json=as_json(world),
                tick=0,
                created_at=now,
                updated_at=now,
                seed=seed,
            )
        )
        run_ids.append(run_id)
    frames = 0
    stop = asyncio.Event()

    async def never() -> bool:
        return False

    async def watcher(run_id: str) -> None:
        nonlocal frames
        async with LIVE_RUNS.watch(run_id, is_over=never) as queue:
            while not stop.is_set():
                if await queue.get() is None:
                    return
                frames += 1

    watchers = [asyncio.create_task(watcher(run_id)) for run_id in run_ids]
    await asyncio.sleep(1.0)  # every run joined and ticking: measure from here
    for live_run in LIVE_RUNS.runs.values():
        live_run.lags.clear()
        live_run.cpu.clear()
    cpu_before, wall_before, frames_before = time.process_time(), time.monotonic(), frames
    await asyncio.sleep(options.seconds)
    cpu, wall = time.process_time() - cpu_before, time.monotonic() - wall_before
    lags = sorted(lag for run in LIVE_RUNS.runs.values() for lag in run.lags)
    ticks = len(lags)
    load = [round(value, 2) for value in os.getloadavg()]
    stop.set()
    await LIVE_RUNS.stop_all()
    for task in watchers:
        task.cancel()
    await asyncio.gather(*watchers, return_exceptions=True)
    await close_pool(engine)
    return {
        "runs": len(run_ids),
        "ticks_per_second": ticks / wall,
        "lag_p50_ms": statistics.median(lags) * 1000,
        "lag_p99_ms": lags[int(0.99 * (ticks - 1))] * 1000,
        "lag_max_ms": lags[-1] * 1000,
        "cpu_per_tick_ms": cpu / ticks * 1000,
        "frames": frames - frames_before,
        "load": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server (the bench creates and drops its own database)",
    )
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    commands = parser.add_subparsers(dest="command")
    live_parser = commands.add_parser("live")
    live_parser.add_argument("--runs", type=int, required=True)
    live_parser.add_argument("--seconds", type=float, required=True)
    options = parser.parse_args()
    if options.command == "live":
        print(json.dumps(asyncio.run(live(options))))
    else:
        sys.exit(orchestrate(options))


if __name__ == "__main__":
    main()
