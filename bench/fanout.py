"""Fan-out benchmark: AI-task events from one server process to many WebSocket subscribers.

    .venv/bin/python bench/fanout.py                       # fresh SQLite file
    .venv/bin/python bench/fanout.py --database-url postgres://postgres@127.0.0.1:5432/postgres

It runs, in one go and bounded in time (--timeout):
1. a fresh database (a SQLite file in a temporary directory, or a new PostgreSQL database
   created beside the URL given and dropped at the end), migrated;
2. users and 1,000 idle tasks, written through the resolvers (`setup`);
3. one uvicorn process serving the app on a free loopback port (the generation worker runs
   in it: the embedded generator streams each task word by word at --rate words/s);
4. the clients in a separate process (`clients`): --idle idle subscriptions (one socket
   each, measured for memory), then --tasks generations (`aiTaskGenerate`), each followed
   by --subscribers sockets subscribed to `aiTaskEvents` from sequence 0;
and prints: the delay from append (the event's `occurredAt`, taken when the worker hands
the chunk to the database) to arrival at a client (p50, p99, max), deliveries per second,
lost and duplicated deliveries (every subscriber must see sequences 1..N once, in order),
and the server's memory per idle subscription (RSS growth over the last 90% of them).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WARMUP_SECONDS = 1.0


# --- orchestration (the parent process) ----------------------------------------------------


def orchestrate(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.timeout
    workdir = Path(tempfile.mkdtemp(prefix="genarrative-bench-"))
    created_database: tuple[str, str] | None = None
    server: subprocess.Popen[bytes] | None = None
    try:
        if options.database_url:
            name = f"genarrative_bench_{os.getpid()}_{secrets.token_hex(3)}"
            asyncio.run(harness.postgres(options.database_url, f'CREATE DATABASE "{name}"'))
            created_database = (options.database_url, name)
            database_url = urlunparse(urlparse(options.database_url)._replace(path=f"/{name}"))
            engine = "postgres"
        else:
            database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
            engine = "sqlite"
        port = harness.free_port()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "ENVIRONMENT": "bench",
            "DATABASE_URL": database_url,
            "BROADCAST_URL": "memory://",
            "JWT_SECRET": "bench-secret-" + "x" * 40,
            "ACCESS_TOKEN_TTL_SECONDS": str(3600),
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST_KIB": "8",
            "ARGON2_PARALLELISM": "1",
            "GENERATION_WORDS_PER_SECOND": str(options.rate),
            "GENERATION_WORD_COUNT": str(options.words),
            "GENERATION_MAX_CONCURRENCY": str(options.tasks + 8),
            "DATABASE_POOL_SIZE": "20",
            "MAX_SUBSCRIPTIONS_PER_CONNECTION": "50",
            # A long-running server's garbage collection (docs/realtime.md).
            "GC_GEN0_THRESHOLD": str(options.gc_gen0_threshold),
            "GC_FREEZE_AFTER_STARTUP": "true" if options.gc_gen0_threshold else "false",
        }
        print(f"engine: {engine}; preparing the database …", flush=True)
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        plan = workdir / "plan.json"
        harness.run(
            [
                PYTHON,
                str(Path(__file__)),
                "setup",
                "--plan",
                str(plan),
                "--tasks",
                str(options.tasks),
                "--idle",
                str(options.idle),
            ],
            env,
            timeout=max(10.0, deadline - time.monotonic()),
        )
        log = (workdir / "server.log").open("wb")
        profile = ["-m", "cProfile", "-o", options.profile] if options.profile else []
        server = subprocess.Popen(
            [
                PYTHON,
                *profile,
                "-m",
                "uvicorn",
                "app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                # Event frames are ~150 bytes: compressing them costs more CPU than it saves.
                "--ws-per-message-deflate",
                "true" if options.deflate else "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        harness.wait_healthy(port, server, deadline=min(deadline, time.monotonic() + 30))
        print(f"server pid {server.pid} on 127.0.0.1:{port}; running the clients …", flush=True)
        result_path = workdir / "result.json"
        harness.run(
            [
                PYTHON,
                str(Path(__file__)),
                "clients",
                "--plan",
                str(plan),
                "--port",
                str(port),
                "--server-pid",
                str(server.pid),
                "--result",
                str(result_path),
                "--subscribers",
                str(options.subscribers),
                "--tasks",
                str(options.tasks),
                "--timeout",
                str(max(10.0, deadline - time.monotonic() - 5)),
                "--rate",
                str(options.rate),
            ],
            env,
            timeout=max(15.0, deadline - time.monotonic()),
        )
        result = json.loads(result_path.read_text())
        result.update(
            engine=engine,
            rate=options.rate,
            words=options.words,
            deflate=options.deflate,
            gc_gen0_threshold=options.gc_gen0_threshold,
        )
        _report(result)
        if options.json:
            Path(options.json).write_text(json.dumps(result, indent=2))
        failures = result["lost"] + result["duplicates"] + result["out_of_order"]
        return 1 if failures else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            errors = (workdir / "server.log").read_text(errors="replace").strip()
            if errors:
                print("server log:\n" + errors[-4000:], file=sys.stderr)
        if created_database is not None:
            url, name = created_database
            asyncio.run(harness.postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"total bench time {time.monotonic() - started:.1f} s", flush=True)


def _report(result: dict[str, Any]) -> None:
    print()
    print(
        f"== fan-out on {result['engine']}: {result['tasks']} tasks × {result['rate']} chunks/s "
        f"× {result['subscribers']} subscribers ({result['live_subscribers']} live), "
        f"{result['idle']} idle subscriptions"
    )
    print(
        f"append → arrival: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"max {result['max_ms']:.1f} ms ({result['measured']} deliveries measured)"
    )
    print(
        f"deliveries: {result['deliveries_per_second']:.0f}/s over {result['window_s']:.1f} s; "
        f"{result['deliveries']} in all; lost {result['lost']}, duplicated "
        f"{result['duplicates']}, out of order {result['out_of_order']}"
    )
    print(
        f"memory per idle subscription (socket + subscription): "
        f"{result['idle_kib_per_subscription']:.1f} KiB "
        f"(server RSS {result['rss_before_mib']:.0f} → {result['rss_after_mib']:.0f} MiB)"
    )
    print(
        f"CPU while streaming: server {result['server_cpu_percent']:.0f}% (kernel "
        f"{result['server_system_cpu_percent']:.0f}%), clients "
        f"{result['client_cpu_percent']:.0f}% of one core"
    )
    print(
        f"task phases: up to {result['tasks_ticking_within_10ms']} of {result['tasks']} "
        "generations tick within 10 ms of each other"
    )
    print(
        f"server CPU per delivery: {result['server_cpu_us_per_delivery']:.0f} µs "
        f"({result['deliveries_in_cpu_span']} deliveries over the CPU span)"
    )
    if result["errors"] or result["incomplete"]:
        print(f"incomplete subscribers: {result['incomplete']}; errors: {result['errors']}")


# --- setup (a child process with the bench's environment) -----------------------------------


async def setup(options: argparse.Namespace) -> dict[str, Any]:
    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount
    from resolvers.ai_tasks import creating
    from resolvers.ai_tasks.model import AiTaskKind
    from resolvers.auth.password_signin import register_with_password

    engine = UserAccount._meta.db
    await start_pool(engine)
    try:
        live = []
        for number in range(options.tasks):
            signed = await register_with_password(
                username=f"writer_{number}", password="bench password 1"
            )
            live.append({"user_id": signed.user.user_id, "token": signed.access.token})
        idle_owners = []
        for number in range(max(1, options.idle // 20)):
            signed = await register_with_password(
                username=f"idler_{number}", password="bench password 1"
            )
            idle_owners.append((signed.user.user_id, signed.access.token, signed))
        idle = []
        for number in range(options.idle):
            _, token, signed = idle_owners[number % len(idle_owners)]
            from resolvers.principal import Principal, Role

            owner = Principal(
                role=Role.USER,
                user_id=signed.user.user_id,
                session_id=signed.session_id,
            )
            task = await creating.create_task(
                viewer=owner,
                kind=AiTaskKind.STORY_CONTINUATION,
                request_label=f"idle {number}",
                source_module="bench",
            )
            idle.append({"task_id": task.task_id, "token": token})
        return {"live": live, "idle": idle}
    finally:
        await close_pool(engine)


# --- clients (a separate process) -----------------------------------------------------------

GENERATE = (
    "mutation($i: AiTaskGenerateInput!) { aiTaskGenerate(input: $i) "
    "{ errors { code message } task { taskId } } }"
)
EVENTS = (
    "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) "
    "{ sequence kind deltaText occurredAt } }"
)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Subscriber:
    def __init__(self, url: str, token: str, task_id: str) -> None:
        self.url = url
        self.token = token
        self.task_id = task_id
        self.sequences: list[int] = []
        self.latencies: list[tuple[float, float]] = []  # (arrival, delay)
        self.arrivals: list[float] = []
        self.occurred: list[float] = []  # occurredAt of the TEXT_CHUNK events
        self.completed = asyncio.Event()
        self.ready = asyncio.Event()
        self.first_event = asyncio.Event()
        self.error: str | None = None

    async def run(self, stop: asyncio.Event) -> None:
        from websockets.asyncio.client import connect

        try:
            async with connect(
                self.url,
                subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                ping_interval=None,
                max_queue=None,
                open_timeout=30,
            ) as websocket:
                await websocket.send(
                    json.dumps(
                        {
                            "type": "connection_init",
                            "payload": {"authorization": f"Bearer {self.token}"},
                        }
                    )
                )
                ack = json.loads(await websocket.recv())
                assert ack["type"] == "connection_ack", ack
                await websocket.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {"query": EVENTS, "variables": {"t": self.task_id}},
                        }
                    )
                )
                self.ready.set()
                receiver = asyncio.ensure_future(self._receive(websocket))
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({receiver, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                receiver.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await receiver
        except Exception as error:
            self.error = repr(error)
            self.ready.set()
            self.first_event.set()
            self.completed.set()

    async def _receive(self, websocket: Any) -> None:
        async for raw in websocket:
            arrival = time.time()
            message = json.loads(raw)
            if message.get("type") != "next":
                self.error = f"unexpected message {message}"
                continue
            event = message["payload"]["data"]["aiTaskEvents"]
            self.sequences.append(event["sequence"])
            self.first_event.set()
            if event["kind"] == "TEXT_CHUNK":
                occurred = datetime.fromisoformat(event["occurredAt"]).timestamp()
                self.latencies.append((arrival, arrival - occurred))
                self.occurred.append(occurred)
                self.arrivals.append(arrival)
            if event["kind"] in ("COMPLETED", "FAILED", "CANCELLED"):
                self.completed.set()


async def clients(options: argparse.Namespace, plan: dict[str, Any]) -> dict[str, Any]:
    import httpx

    url = f"ws://127.0.0.1:{options.port}/graphql"
    stop = asyncio.Event()
    deadline = time.monotonic() + options.timeout
    gate = asyncio.Semaphore(64)
    running: list[asyncio.Future[None]] = []

    async def open_idle(item: dict[str, str]) -> Subscriber:
        subscriber = Subscriber(url, item["token"], item["task_id"])
        async with gate:
            running.append(asyncio.ensure_future(subscriber.run(stop)))
            await subscriber.first_event.wait()  # its CREATED event: it is live
        return subscriber

    # Idle subscriptions: warm up with the first 10%, then measure the rest.
    idle_items = plan["idle"]
    head = max(1, len(idle_items) // 10)
    idle = [await open_idle(item) for item in idle_items[:1]]
    idle += await asyncio.gather(*[open_idle(item) for item in idle_items[1:head]])
    await asyncio.sleep(0.5)
    rss_before = _rss_kib(options.server_pid)
    idle += await asyncio.gather(*[open_idle(item) for item in idle_items[head:]])
    await asyncio.sleep(0.5)
    rss_after = _rss_kib(options.server_pid)
    idle_errors = [s.error for s in idle if s.error]

    # Live: each writer asks for a generation, then its subscribers subscribe.
    live: list[Subscriber] = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{options.port}", timeout=60) as http:
        for writer in plan["live"][: options.tasks]:
            response = await http.post(
                "/graphql",
                json={"query": GENERATE, "variables": {"i": {"prompt": f"bench {writer}"}}},
                headers={"Authorization": f"Bearer {writer['token']}"},
            )
            task_id = response.json()["data"]["aiTaskGenerate"]["task"]["taskId"]
            for _ in range(options.subscribers):
                subscriber = Subscriber(url, writer["token"], task_id)
                live.append(subscriber)
                running.append(asyncio.ensure_future(subscriber.run(stop)))
    async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
        await asyncio.gather(*[s.first_event.wait() for s in live])
    ready_at = time.time() + WARMUP_SECONDS
    cpu_before, cpu_clock = harness.cpu_seconds(options.server_pid), time.monotonic()
    cpu_wall_start = time.time()
    system_before = harness.cpu_times(options.server_pid)[1]
    client_before = harness.cpu_seconds(os.getpid())
    try:
        async with asyncio.timeout(max(1.0, deadline - time.monotonic())):
            await asyncio.gather(*[s.completed.wait() for s in live])
    except TimeoutError:
        pass
    elapsed = time.monotonic() - cpu_clock
    cpu_wall_end = time.time()
    cpu_spent = harness.cpu_seconds(options.server_pid) - cpu_before
    cpu = cpu_spent / elapsed
    system = (harness.cpu_times(options.server_pid)[1] - system_before) / elapsed
    client_cpu = (harness.cpu_seconds(os.getpid()) - client_before) / elapsed
    stop.set()
    await asyncio.wait(running, timeout=10)

    delays = sorted(d for s in live for (arrival, d) in s.latencies if arrival >= ready_at)
    arrivals = sorted(a for s in live for a in s.arrivals)
    last_by_task: dict[str, int] = {}
    for s in live:
        if s.sequences:
            last_by_task[s.task_id] = max(last_by_task.get(s.task_id, 0), max(s.sequences))
    lost = duplicates = out_of_order = 0
    for s in live:
        expected = last_by_task.get(s.task_id, 0)
        seen = set(s.sequences)
        lost += expected - len(seen)
        duplicates += len(s.sequences) - len(seen)
        out_of_order += sum(1 for a, b in zip(s.sequences, s.sequences[1:], strict=False) if b <= a)
    window = [a for a in arrivals if a >= ready_at]
    # Server CPU time per delivery, over the same span the CPU was measured on (every
    # delivery in it, chunks and lifecycle events alike are a few: chunks counted).
    in_cpu_span = sum(1 for a in arrivals if cpu_wall_start <= a <= cpu_wall_end)
    window_s = (window[-1] - window[0]) if len(window) > 1 else 0.0

    # Each generation paces its chunks from its own start: tasks whose ticks coincide send
    # their 25 frames each in the same burst. How many tick within 10 ms of each other?
    phases: list[float] = []
    for task_id in {s.task_id for s in live}:
        first = next((s for s in live if s.task_id == task_id and s.occurred), None)
        if first is not None and options.rate > 0:
            interval = 1.0 / options.rate
            phases.append(statistics.median(t % interval for t in first.occurred) / interval)
    clustered = max(
        (sum(1 for q in phases if (q - p) % 1.0 < 0.01 * options.rate) for p in phases),
        default=0,
    )

    def percentile(q: float) -> float:
        return delays[min(len(delays) - 1, int(len(delays) * q))] * 1000 if delays else 0.0

    result = {
        "tasks": options.tasks,
        "subscribers": options.subscribers,
        "live_subscribers": len(live),
        "idle": len(idle),
        "measured": len(delays),
        "p50_ms": statistics.median(delays) * 1000 if delays else 0.0,
        "p99_ms": percentile(0.99),
        "max_ms": delays[-1] * 1000 if delays else 0.0,
        "deliveries": len(arrivals),
        "window_s": window_s,
        "deliveries_per_second": len(window) / window_s if window_s else 0.0,
        "lost": lost,
        "duplicates": duplicates,
        "out_of_order": out_of_order,
        "incomplete": sum(1 for s in live if not s.completed.is_set() or s.error),
        "errors": [s.error for s in live if s.error][:5] + idle_errors[:5],
        "rss_before_mib": rss_before / 1024,
        "rss_after_mib": rss_after / 1024,
        "idle_kib_per_subscription": (rss_after - rss_before) / max(1, len(idle_items) - head),
        "server_cpu_percent": cpu * 100,
        "tasks_ticking_within_10ms": clustered,
        "server_cpu_us_per_delivery": cpu_spent / in_cpu_span * 1e6 if in_cpu_span else 0.0,
        "deliveries_in_cpu_span": in_cpu_span,
        "server_system_cpu_percent": system * 100,
        "client_cpu_percent": client_cpu * 100,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    parser.add_argument("--database-url", default="", help="postgres://… (default: SQLite)")
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=25, help="per task")
    parser.add_argument("--rate", type=float, default=10.0, help="chunks per second per task")
    parser.add_argument("--words", type=int, default=150, help="chunks per task")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds, all in")
    parser.add_argument("--json", default="", help="also write the result here")
    parser.add_argument("--profile", default="", help="run the server under cProfile, to here")
    parser.add_argument(
        "--deflate", action="store_true", help="let the server compress frames (permessage-deflate)"
    )
    parser.add_argument(
        "--gc-gen0-threshold",
        type=int,
        default=100_000,
        help="the server's GC_GEN0_THRESHOLD (and GC_FREEZE_AFTER_STARTUP); 0: Python's defaults",
    )
    setup_parser = commands.add_parser("setup")
    setup_parser.add_argument("--plan", required=True)
    setup_parser.add_argument("--tasks", type=int, required=True)
    setup_parser.add_argument("--idle", type=int, required=True)
    client_parser = commands.add_parser("clients")
    client_parser.add_argument("--plan", required=True)
    client_parser.add_argument("--port", type=int, required=True)
    client_parser.add_argument("--server-pid", type=int, required=True)
    client_parser.add_argument("--result", required=True)
    client_parser.add_argument("--subscribers", type=int, required=True)
    client_parser.add_argument("--tasks", type=int, required=True)
    client_parser.add_argument("--timeout", type=float, required=True)
    client_parser.add_argument("--rate", type=float, required=True)
    options = parser.parse_args()
    if options.command == "setup":
        Path(options.plan).write_text(json.dumps(asyncio.run(setup(options))))
    elif options.command == "clients":
        plan = json.loads(Path(options.plan).read_text())
        Path(options.result).write_text(json.dumps(asyncio.run(clients(options, plan))))
    else:
        raise SystemExit(orchestrate(options))


if __name__ == "__main__":
    main()
