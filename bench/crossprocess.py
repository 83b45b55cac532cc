"""Cross-process fan-out: how long a streamed chunk takes to reach subscribers on another
uvicorn process, against subscribers on the writing process itself, in one run.

Two servers share a fresh PostgreSQL database and a broadcast backend (Redis or
PostgreSQL LISTEN/NOTIFY). Process A runs the generation worker; half of the subscribers
listen on A (same process), half on B (every event crosses the bus). Each subscriber
follows `viewerAiTaskEvents` of one user whose tasks stream `--words` chunks at `--rate`
chunks/s. Reported per side: the delay from append (`occurredAt`) to arrival (p50, p99,
max, after a warm-up), deliveries, and lost/duplicated events. Bounded by `--timeout`.

    .venv/bin/python bench/crossprocess.py --broadcast redis
    .venv/bin/python bench/crossprocess.py --broadcast postgres
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg
import httpx
from httpx_ws import aconnect_ws

ROOT = Path(__file__).resolve().parent.parent
EVENTS = "subscription { viewerAiTaskEvents(after: null) { sequence kind taskId occurredAt } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_server(env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        *[
            sys.executable,
            "-m",
            "uvicorn",
            "app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-per-message-deflate",
            "false",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as probe:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get(f"{base}/readyz")).status_code == 200:
                    return process, base
            await asyncio.sleep(0.1)
    process.kill()
    raise SystemExit("a server did not start")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def subscriber(
    base: str,
    token: str,
    delays: list[float],
    seen: list[tuple[str, int]],
    stop: asyncio.Event,
    ready: asyncio.Event,
    warmup_until: list[float],
) -> None:
    async with (
        httpx.AsyncClient() as client,
        aconnect_ws(f"{base}/graphql", client, subprotocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        )
        assert (await ws.receive_json())["type"] == "connection_ack"
        await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": EVENTS}})
        ready.set()
        while not stop.is_set():
            try:
                message = await ws.receive_json(timeout=0.5)
            except TimeoutError:
                continue
            if message.get("type") != "next":
                continue
            event = message["payload"]["data"]["viewerAiTaskEvents"]
            arrived = time.time()
            seen.append((event["taskId"], event["sequence"]))
            if event["kind"] == "TEXT_CHUNK" and arrived >= warmup_until[0]:
                sent = datetime.fromisoformat(event["occurredAt"]).timestamp()
                delays.append((arrived - sent) * 1000)


async def run(args: argparse.Namespace) -> dict[str, object]:
    admin_url = args.postgres_url
    name = f"genarrative_xbench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    database_url = urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    broadcast_url = args.redis_url if args.broadcast == "redis" else database_url
    base_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BROADCAST_URL": broadcast_url,
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST_KIB": "8",
        "ARGON2_PARALLELISM": "1",
    }
    servers: list[asyncio.subprocess.Process] = []
    try:
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "manage.py", "migrate"],
            cwd=ROOT,
            env=base_env,
            check=True,
            capture_output=True,
        )
        writer, writer_url = await start_server(
            {
                **base_env,
                "GENERATION_WORKER_ENABLED": "true",
                "GENERATION_WORDS_PER_SECOND": str(args.rate),
                "GENERATION_WORD_COUNT": str(args.words),
            }
        )
        servers.append(writer)
        reader, reader_url = await start_server({**base_env, "GENERATION_WORKER_ENABLED": "false"})
        servers.append(reader)
        async with httpx.AsyncClient() as client:
            registered = await client.post(
                f"{writer_url}/graphql",
                json={
                    "query": 'mutation { authRegister(input: {username: "bench_user", password: "bench password"}) { tokens { accessToken } } }'
                },
            )
            token = registered.json()["data"]["authRegister"]["tokens"]["accessToken"]
            sides = {"same process": writer_url, "cross process": reader_url}
            delays: dict[str, list[float]] = {side: [] for side in sides}
            seen: dict[str, list[list[tuple[str, int]]]] = {side: [] for side in sides}
            stop = asyncio.Event()
            warmup_until = [float("inf")]
            readies: list[asyncio.Event] = []
            tasks: list[asyncio.Task[None]] = []
            for side, base in sides.items():
                for _ in range(args.subscribers // 2):
                    record: list[tuple[str, int]] = []
                    seen[side].append(record)
                    ready = asyncio.Event()
                    readies.append(ready)
                    tasks.append(
                        asyncio.create_task(
                            subscriber(base, token, delays[side], record, stop, ready, warmup_until)
                        )
                    )
            async with asyncio.timeout(30):
                for ready in readies:
                    await ready.wait()
            await asyncio.sleep(1.0)  # let both servers register the subscriptions
            warmup_until[0] = time.time() + 1.0
            started = time.time()
            for number in range(args.tasks):
                await client.post(
                    f"{writer_url}/graphql",
                    json={
                        "query": f'mutation {{ aiTaskGenerate(input: {{prompt: "bench {number}"}}) {{ errors {{ code }} }} }}'
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
            expected_per_subscriber = None
            async with asyncio.timeout(args.timeout):
                while True:
                    await asyncio.sleep(0.5)
                    counts = [len(record) for side in seen.values() for record in side]
                    done = await client.post(
                        f"{writer_url}/graphql",
                        json={
                            "query": "{ viewer { aiTasks(first: 100, status: COMPLETED) { edges { cursor } } } }"
                        },
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    if (
                        len(done.json()["data"]["viewer"]["aiTasks"]["edges"]) == args.tasks
                        and len(set(counts)) == 1
                    ):
                        expected_per_subscriber = counts[0]
                        break
            elapsed = time.time() - started
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                await asyncio.wait_for(process.wait(), timeout=10)
            except TimeoutError:
                process.kill()
        admin = await asyncpg.connect(admin_url)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    result: dict[str, object] = {
        "broadcast": args.broadcast,
        "tasks": args.tasks,
        "subscribers": args.subscribers,
        "chunks_per_task": args.words,
        "rate": args.rate,
        "seconds": round(elapsed, 1),
    }
    for side in sides:
        values = delays[side]
        records = seen[side]
        duplicates = sum(len(record) - len(set(record)) for record in records)
        result[side] = {
            "p50_ms": round(statistics.median(values), 2) if values else None,
            "p99_ms": round(percentile(values, 0.99), 2),
            "max_ms": round(max(values), 2) if values else None,
            "deliveries": sum(len(record) for record in records),
            "per_subscriber": expected_per_subscriber,
            "duplicates": duplicates,
            "lost": sum(
                max(0, (expected_per_subscriber or 0) - len(set(record))) for record in records
            ),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--broadcast", choices=("redis", "postgres"), default="redis")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument(
        "--subscribers", type=int, default=40, help="split between the two processes"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="chunks per second per task")
    parser.add_argument("--words", type=int, default=60, help="chunks per task")
    parser.add_argument("--timeout", type=float, default=120.0)
    result = asyncio.run(run(parser.parse_args()))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
