"""Gallery benchmark: the `gallery` feed against a plain Starlette + asyncpg endpoint.

    .venv/bin/python bench/gallery.py
    .venv/bin/python bench/gallery.py --database-url postgres://postgres@127.0.0.1:5432/postgres

In one run, bounded in time (--timeout):
1. a new PostgreSQL database beside the URL given (dropped at the end), migrated;
2. 10,000 published works (--works) of the registered play types by 1,000 authors, seeded
   directly with SQL: read-model rows with counts and 7-day plays, today's daily stats;
3. two servers, one process each, on loopback (with --workers N > 1 the app runs as
   `uvicorn --workers N`, and a one-worker app runs beside it for comparison): the app
   (`uvicorn app:app`, with the public-response cache off unless the environment sets
   `PUBLIC_CACHE_ENABLED`: this is the uncached target) and a baseline
   (Starlette + asyncpg, no GraphQL) that runs the feed's SQL statement and returns the same
   JSON (checked byte for byte after decoding before measuring);
4. against each, from a separate client process (a minimal keep-alive HTTP/1.1 client, so
   the client costs little): the unloaded latency (p50, p99 of --sequential requests one at
   a time) and the throughput (requests per second with --connections concurrent
   connections for --seconds), anonymous, 50-item HOT pages with authors and counts;
and prints both, the server CPU time per request (from /proc, the server's process and
all its workers, which moves less than throughput when other processes share the machine),
and the ratios GraphQL / baseline (and N workers / one worker).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGE = 50
GRAPHQL_QUERY = (
    "query Feed($first: Int!) { gallery(first: $first, order: HOT) { edges { cursor node { "
    "__typename id workId playType title summary coverUrl theme tags playCount likeCount "
    "plays7d viewerHasLiked publishedAt author { id displayName avatarUrl } } } "
    "pageInfo { hasNextPage endCursor } } }"
)
# bin/persisted-operations lists them in persisted-operations.json.
PERSISTED_DOCUMENTS = [GRAPHQL_QUERY]
# The feed's statement for an anonymous HOT page (resolvers/gallery/feed.py), as the baseline
# runs it.
BASELINE_SQL = (
    "SELECT g.entry_id, g.play_type, g.work_id, g.owner_user_id, g.title, g.summary, "
    "g.cover_image_src, g.theme, g.tags_json, g.published_at, g.play_count, g.like_count, "
    "g.plays_7d, u.display_name AS author_display_name, u.avatar_url AS author_avatar_url "
    "FROM gallery_public_work g LEFT JOIN user_account u ON u.user_id = g.owner_user_id "
    "WHERE g.play_type = ANY($1::varchar[]) "
    "ORDER BY g.plays_7d DESC, g.published_at DESC, g.entry_id DESC LIMIT $2"
)


# --- orchestration (the parent process) ----------------------------------------------------


def orchestrate(
    options: argparse.Namespace,
    *,
    script: Path = Path(__file__),
    report: Callable[[dict[str, Any]], None] | None = None,
    label: str = "gallery",
) -> int:
    """Database, seed, servers, clients, report: `script`'s `seed`, `baseline` and `clients`
    subcommands do the parts (bench/reads.py passes its own)."""
    started = time.monotonic()
    deadline = started + options.timeout
    name = f"genarrative_bench_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(harness.postgres(options.database_url, f'CREATE DATABASE "{name}"'))
    database_url = urlunparse(urlparse(options.database_url)._replace(path=f"/{name}"))
    servers: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    try:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ENVIRONMENT": "bench",
            "DATABASE_URL": database_url,
            "BROADCAST_URL": "memory://",
            "JWT_SECRET": "bench-secret-" + "x" * 40,
            "DATABASE_POOL_SIZE": str(options.connections),
            "GENERATION_WORKER_ENABLED": "false",
            # Target 1 is uncached: every request runs (the cache has its own bench,
            # bench/gallery_cached.py); PUBLIC_CACHE_ENABLED=true measures cache hits.
            "PUBLIC_CACHE_ENABLED": os.environ.get("PUBLIC_CACHE_ENABLED", "false"),
        }
        print("engine: postgres; migrating and seeding …", flush=True)
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        plan = json.loads(
            harness.run(
                [PYTHON, str(script), "seed", "--works", str(options.works)],
                env,
                timeout=max(10.0, deadline - time.monotonic()),
            )
        )
        print(
            f"seeded {plan['works']} works of {', '.join(plan['play_types'])} by "
            f"{plan['authors']} authors in {plan['seconds']:.1f} s",
            flush=True,
        )
        graphql_port, baseline_port = harness.free_port(), harness.free_port()
        single_port = harness.free_port() if options.workers > 1 else 0
        commands = {
            "graphql": _app_command(graphql_port, options.workers),
            "baseline": [
                PYTHON,
                str(script),
                "baseline",
                "--port",
                str(baseline_port),
                "--plan",
                json.dumps(plan),
                "--pool",
                str(options.connections),
            ],
        }
        if single_port:
            commands["graphql_1w"] = _app_command(single_port, 1)
        for label, command in commands.items():
            log = Path(f"/tmp/{name}-{label}.log")
            logs.append(log)
            servers.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
                )
            )
        harness.wait_healthy(
            graphql_port, servers[0], deadline=min(deadline, time.monotonic() + 30)
        )
        harness.wait_healthy(
            baseline_port, servers[1], deadline=min(deadline, time.monotonic() + 30)
        )
        if single_port:
            harness.wait_healthy(
                single_port, servers[2], deadline=min(deadline, time.monotonic() + 30)
            )
        result = json.loads(
            harness.run(
                [
                    PYTHON,
                    str(script),
                    "clients",
                    "--graphql-port",
                    str(graphql_port),
                    "--baseline-port",
                    str(baseline_port),
                    "--seconds",
                    str(options.seconds),
                    "--connections",
                    str(options.connections),
                    "--sequential",
                    str(options.sequential),
                    "--rounds",
                    str(options.rounds),
                    "--single-port",
                    str(single_port),
                    "--pids",
                    ",".join(str(server.pid) for server in servers),
                    "--plan",
                    json.dumps(plan),
                ],
                env,
                timeout=max(15.0, deadline - time.monotonic()),
            )
        )
        result.update(plan=plan, workers=options.workers)
        (report or _report)(result)
        if options.json:
            Path(options.json).write_text(json.dumps(result, indent=2))
        return 0 if result["same_json"] else 1
    finally:
        for server in servers:
            harness.stop(server)
        for log in logs:
            text = log.read_text(errors="replace").strip() if log.exists() else ""
            if text:
                print(f"{log.name}:\n{text[-3000:]}", file=sys.stderr)
            log.unlink(missing_ok=True)
        asyncio.run(
            harness.postgres(options.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )
        print(f"total bench time {time.monotonic() - started:.1f} s", flush=True)


def _app_command(port: int, workers: int) -> list[str]:
    command = [PYTHON, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    return command + (["--workers", str(workers)] if workers > 1 else [])


def _report(result: dict[str, Any]) -> None:
    print()
    print(
        f"== gallery: {result['plan']['works']} works, {PAGE}-item HOT pages with authors and "
        f"counts, anonymous; {result['connections']} connections × {result['seconds']} s, "
        f"best of {result['rounds']} rounds"
    )
    print_numbers(result)


def print_numbers(result: dict[str, Any]) -> None:
    """Whether the JSON matched, each server's numbers and the ratios."""
    graphql, baseline = result["graphql"], result["baseline"]
    print(f"same JSON from both: {'yes' if result['same_json'] else 'NO'}")
    rows = [("graphql ", graphql), ("baseline", baseline)]
    if "graphql_1w" in result:
        rows[0] = (f"graphql ({result['workers']} workers)", graphql)
        rows.append(("graphql (1 worker)", result["graphql_1w"]))
    for label, numbers in rows:
        print(
            f"{label}: {numbers['rps']:8.0f} requests/s; unloaded p50 {numbers['p50_ms']:.2f} ms, "
            f"p99 {numbers['p99_ms']:.2f} ms; server CPU {numbers['cpu_ms']:.2f} ms per request "
            f"({numbers['bytes']} bytes per response)"
        )
    print(
        f"ratio graphql / baseline: throughput {graphql['rps'] / baseline['rps']:.3f}, "
        f"unloaded p50 latency {baseline['p50_ms'] / graphql['p50_ms']:.3f} (baseline/graphql), "
        f"server CPU per request {baseline['cpu_ms'] / graphql['cpu_ms']:.3f} (baseline/graphql)"
    )
    if "graphql_1w" in result:
        single = result["graphql_1w"]
        print(
            f"{result['workers']} workers / 1 worker: server CPU per request "
            f"{graphql['cpu_ms'] / single['cpu_ms']:.3f}, throughput "
            f"{graphql['rps'] / single['rps']:.3f}"
        )


# --- seed (a child process with the bench's environment) ------------------------------------


async def seed(options: argparse.Namespace) -> dict[str, Any]:
    import asyncpg
    import orjson

    from resolvers.gallery.model import beijing_day
    from schema.play_types import WORK_TYPES

    started = time.monotonic()
    play_types = [play_type.value for play_type in WORK_TYPES]
    type_names = {
        play_type.value: cls.__strawberry_definition__.name  # type: ignore[attr-defined]
        for play_type, cls in WORK_TYPES.items()
    }
    now = datetime.now(UTC)
    today = beijing_day(now)
    authors = max(1, options.works // 10)
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        users = [
            (
                f"bench-user-{number:05d}",
                f"{100000000 + number}",
                f"bench_user_{number}",
                f"Author {number}",
                None if number % 3 else f"https://cdn.example/avatars/{number}.png",
                "password",
            )
            for number in range(authors)
        ]
        await connection.copy_records_to_table(
            "user_account",
            records=users,
            columns=[
                "user_id",
                "public_user_code",
                "username",
                "display_name",
                "avatar_url",
                "login_method",
            ],
        )
        works = []
        stats = []
        for number in range(options.works):
            play_type = play_types[number % len(play_types)]
            work_id = f"bench-work-{number:06d}"
            owner = users[number % authors][0]
            plays_7d = (number * 7919) % 500
            published = now - timedelta(minutes=number)
            works.append(
                (
                    f"{play_type}:{work_id}",
                    play_type,
                    work_id,
                    owner,
                    f"Work number {number}",
                    f"A {play_type} work, the {number}th of the bench, with a short summary.",
                    f"https://cdn.example/covers/{number}.png",
                    ("fantasy", "sci-fi", "mystery", "daily")[number % 4],
                    orjson.dumps(["bench", f"tag{number % 10}"]).decode(),
                    published,
                    published,
                    plays_7d + (number % 100),
                    (number * 31) % 200,
                    plays_7d,
                    today,
                )
            )
            if plays_7d:
                stats.append(
                    (
                        f"{play_type}:{work_id}:{today}",
                        play_type,
                        owner,
                        work_id,
                        today,
                        plays_7d,
                        now,
                    )
                )
        await connection.copy_records_to_table(
            "gallery_public_work",
            records=works,
            columns=[
                "entry_id",
                "play_type",
                "work_id",
                "owner_user_id",
                "title",
                "summary",
                "cover_image_src",
                "theme",
                "tags_json",
                "published_at",
                "updated_at",
                "play_count",
                "like_count",
                "plays_7d",
                "plays_7d_day",
            ],
        )
        await connection.copy_records_to_table(
            "public_work_play_daily_stat",
            records=stats,
            columns=[
                "stat_id",
                "source_type",
                "owner_user_id",
                "profile_id",
                "played_day",
                "play_count",
                "updated_at",
            ],
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return {
        "works": options.works,
        "authors": authors,
        "play_types": play_types,
        "type_names": type_names,
        "seconds": time.monotonic() - started,
    }


# --- the baseline server: Starlette + asyncpg, the same JSON, no GraphQL --------------------


def _global_id(type_name: str, node_id: str) -> str:
    return base64.b64encode(f"{type_name}:{node_id}".encode()).decode()


def _cursor(key: list[Any]) -> str:
    import orjson

    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def baseline(options: argparse.Namespace) -> None:
    import asyncpg
    import orjson
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    plan = json.loads(options.plan)
    type_names: dict[str, str] = plan["type_names"]
    play_types: list[str] = plan["play_types"]
    pool: asyncpg.Pool | None = None

    async def feed(request: Request) -> Response:
        first = int(request.query_params.get("first", "20"))
        assert pool is not None
        rows = await pool.fetch(BASELINE_SQL, play_types, first + 1)
        edges = []
        for row in rows[:first]:
            published = row["published_at"].isoformat()
            edges.append(
                {
                    "cursor": _cursor(["hot", row["plays_7d"], published, row["entry_id"]]),
                    "node": {
                        "__typename": type_names[row["play_type"]],
                        "id": _global_id(type_names[row["play_type"]], row["work_id"]),
                        "workId": row["work_id"],
                        "playType": row["play_type"].upper(),
                        "title": row["title"],
                        "summary": row["summary"],
                        "coverUrl": row["cover_image_src"],
                        "theme": row["theme"],
                        "tags": orjson.loads(row["tags_json"]),
                        "playCount": row["play_count"],
                        "likeCount": row["like_count"],
                        "plays7d": row["plays_7d"],
                        "viewerHasLiked": False,
                        "publishedAt": published,
                        "author": {
                            "id": _global_id("User", row["owner_user_id"]),
                            "displayName": row["author_display_name"],
                            "avatarUrl": row["author_avatar_url"],
                        },
                    },
                }
            )
        body = {
            "data": {
                "gallery": {
                    "edges": edges,
                    "pageInfo": {
                        "hasNextPage": len(rows) > first,
                        "endCursor": edges[-1]["cursor"] if edges else None,
                    },
                }
            }
        }
        return Response(orjson.dumps(body), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        nonlocal pool
        pool = await asyncpg.create_pool(
            os.environ["DATABASE_URL"], min_size=1, max_size=options.pool
        )
        yield
        await pool.close()

    app = Starlette(routes=[Route("/gallery", feed), Route("/healthz", healthz)], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)


# --- clients (a separate process) -------------------------------------------------------------


class Connection:
    """A keep-alive HTTP/1.1 connection sending one prepared request at a time (given a
    list, each in turn: distinct requests)."""

    def __init__(self, port: int, request: bytes | list[bytes]) -> None:
        self.port = port
        self.requests = request if isinstance(request, list) else [request]
        self.sent = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def fetch(self) -> bytes:
        assert self.reader is not None and self.writer is not None
        self.writer.write(self.requests[self.sent % len(self.requests)])
        self.sent += 1
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ", 2)[1]
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await self.reader.readexactly(length)
        if status != b"200":
            raise RuntimeError(f"status {status!r}: {body[:300]!r}")
        return body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _requests(
    graphql_port: int, baseline_port: int, single_port: int = 0
) -> dict[str, tuple[int, bytes]]:
    payload = json.dumps({"query": GRAPHQL_QUERY, "variables": {"first": PAGE}}).encode()
    graphql = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
    )
    base = f"GET /gallery?first={PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    requests = {"graphql": (graphql_port, graphql), "baseline": (baseline_port, base)}
    if single_port:
        requests["graphql_1w"] = (single_port, graphql)
    return requests


async def _latency(port: int, request: bytes | list[bytes], count: int) -> tuple[float, float, int]:
    connection = Connection(port, request)
    await connection.open()
    try:
        for _ in range(50):  # warm-up: caches, pool, code paths
            body = await connection.fetch()
        timings = []
        for _ in range(count):
            began = time.perf_counter()
            body = await connection.fetch()
            timings.append((time.perf_counter() - began) * 1000)
    finally:
        connection.close()
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1], len(body)


async def _throughput(
    port: int, request: bytes | list[bytes], connections: int, seconds: float, pid: int
) -> tuple[float, float]:
    pool = [Connection(port, request) for _ in range(connections)]
    await asyncio.gather(*(connection.open() for connection in pool))
    done = 0
    stop_at = 0.0

    async def loop(connection: Connection) -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            await connection.fetch()
            done += 1

    try:
        stop_at = time.perf_counter() + 1.0  # warm-up
        await asyncio.gather(*(loop(connection) for connection in pool))
        done = 0
        cpu_before = harness.tree_cpu_seconds(pid)
        began = time.perf_counter()
        stop_at = began + seconds
        await asyncio.gather(*(loop(connection) for connection in pool))
        elapsed = time.perf_counter() - began
        cpu = harness.tree_cpu_seconds(pid) - cpu_before
    finally:
        for connection in pool:
            connection.close()
    return done / elapsed, cpu * 1000 / max(done, 1)


async def clients(options: argparse.Namespace) -> dict[str, Any]:
    requests = _requests(options.graphql_port, options.baseline_port, options.single_port)
    pids = dict(zip(requests, map(int, options.pids.split(",")), strict=True))
    bodies = {}
    for label, (port, request) in requests.items():
        connection = Connection(port, request)
        await connection.open()
        bodies[label] = json.loads(await connection.fetch())
        connection.close()
    if "errors" in bodies["graphql"]:
        raise SystemExit(f"GraphQL errors: {bodies['graphql']['errors']}")
    result: dict[str, Any] = {"same_json": bodies["graphql"] == bodies["baseline"]}
    result.update(await measure(requests, pids, options))
    return result


async def measure(
    requests: dict[str, tuple[int, Any]], pids: dict[str, int], options: argparse.Namespace
) -> dict[str, Any]:
    """Each server's unloaded latency, throughput and CPU per request, interleaved rounds,
    the best of each kept (`requests`: label -> (port, request or list of requests))."""
    result: dict[str, Any] = {
        "connections": options.connections,
        "seconds": options.seconds,
        "rounds": options.rounds,
    }
    measured: dict[str, dict[str, Any]] = {label: {"rps": 0.0} for label in requests}
    for _ in range(options.rounds):  # alternate, and keep each one's best round
        for label, (port, request) in requests.items():
            p50, p99, size = await _latency(port, request, options.sequential)
            rps, cpu_ms = await _throughput(
                port, request, options.connections, options.seconds, pids[label]
            )
            best = measured[label]
            if rps > best["rps"]:
                best["rps"] = rps
            if "cpu_ms" not in best or cpu_ms < best["cpu_ms"]:
                best["cpu_ms"] = cpu_ms
            if "p50_ms" not in best or p50 < best["p50_ms"]:
                best.update(p50_ms=p50, p99_ms=p99)
            best["bytes"] = size
    result.update(measured)
    return result


def build_parser(description: str) -> argparse.ArgumentParser:
    """The options and subcommands (bench/reads.py shares them)."""
    parser = argparse.ArgumentParser(description=description)
    commands = parser.add_subparsers(dest="command")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to create the bench database on",
    )
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput round")
    parser.add_argument("--sequential", type=int, default=300, help="requests for latency")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds, all in")
    parser.add_argument("--json", default="", help="also write the result here")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn --workers for the app; above 1, a one-worker app is measured beside it",
    )
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("--works", type=int, required=True)
    baseline_parser = commands.add_parser("baseline")
    baseline_parser.add_argument("--port", type=int, required=True)
    baseline_parser.add_argument("--plan", required=True)
    baseline_parser.add_argument("--pool", type=int, required=True)
    client_parser = commands.add_parser("clients")
    client_parser.add_argument("--graphql-port", type=int, required=True)
    client_parser.add_argument("--baseline-port", type=int, required=True)
    client_parser.add_argument("--seconds", type=float, required=True)
    client_parser.add_argument("--connections", type=int, required=True)
    client_parser.add_argument("--sequential", type=int, required=True)
    client_parser.add_argument("--rounds", type=int, required=True)
    client_parser.add_argument("--single-port", type=int, default=0)
    client_parser.add_argument("--plan", default="{}", help="what the seed made")
    client_parser.add_argument(
        "--pids", required=True, help="graphql,baseline[,graphql_1w] server pids"
    )
    return parser


def main() -> None:
    options = build_parser(__doc__.split("\n")[0]).parse_args()
    if options.command == "seed":
        print(json.dumps(asyncio.run(seed(options))))
    elif options.command == "baseline":
        baseline(options)
    elif options.command == "clients":
        print(json.dumps(asyncio.run(clients(options))))
    else:
        raise SystemExit(orchestrate(options))


if __name__ == "__main__":
    main()
