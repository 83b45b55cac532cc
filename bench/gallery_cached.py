"""Gallery benchmark with the public-response cache: a read/write mix, two processes each.

    .venv/bin/python bench/gallery_cached.py
    .venv/bin/python bench/gallery_cached.py --database-url postgres://postgres@127.0.0.1:5432/postgres

In one run, bounded in time (--timeout):
1. a new PostgreSQL database (dropped at the end), migrated, seeded by `bench/gallery.py seed`
   (10,000 published works by 1,000 authors);
2. a redis-server of the bench's own (a free port; the bus), two app processes
   (`uvicorn app:app`, public-response cache on) and two baseline processes (Starlette +
   asyncpg + redis: the same statements and JSON, no GraphQL, no cache);
3. --connections keep-alive connections, half to each process of a side, each repeating
   the issue's mix: of every 21 requests, 20 anonymous reads (80% first pages: the HOT feed
   of every play type and of each alone; 20% deeper pages: pages 2 to 6 of the whole feed
   and page 2 of each play type) and one signed-in write (a like, then an unlike of the same
   random work: a `galleryChanges` event every time);
and prints, per round (sides alternate), requests per second, server CPU per request (both
processes, from /proc), the cache's hit ratio, the machine's load average, and the ratio
app / baseline. The same JSON from both sides is checked before measuring.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse, urlunparse

import gallery
import harness

ROOT = harness.ROOT
PYTHON = sys.executable
PAGE = 50
NODE = (
    "edges { cursor node { __typename id workId playType title summary coverUrl theme tags "
    "playCount likeCount plays7d viewerHasLiked publishedAt author { id displayName avatarUrl } "
    "} } pageInfo { hasNextPage endCursor }"
)
FEED = (
    "query FeedPage($first: Int!, $playType: PlayType, $after: String) { gallery(first: "
    f"$first, order: HOT, playType: $playType, after: $after) {{ {NODE} }} }}"
)
LIKE = "mutation Like($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) { likeCount } }"
UNLIKE = (
    "mutation Unlike($t: PlayType!, $w: ID!) { workUnlike(playType: $t, workId: $w) { likeCount } }"
)
REGISTER = (
    "mutation Register($u: String!) { authRegister(input: {username: $u, password: "
    '"bench password 1"}) { tokens { accessToken } } }'
)
PERSISTED_DOCUMENTS = [FEED, LIKE, UNLIKE]
FIRST_SHARE = 0.8
READS_PER_WRITE = 20


def orchestrate(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.timeout
    name = f"genarrative_bench_cached_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(harness.postgres(options.database_url, f'CREATE DATABASE "{name}"'))
    database_url = urlunparse(urlparse(options.database_url)._replace(path=f"/{name}"))
    servers: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    try:
        redis_url = options.redis_url
        if not redis_url:
            executable = shutil.which("redis-server")
            if executable is None:
                raise SystemExit("redis-server is not installed: pass --redis-url")
            redis_port = harness.free_port()
            servers.append(
                subprocess.Popen(
                    [executable, "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ENVIRONMENT": "bench",
            "DATABASE_URL": database_url,
            "BROADCAST_URL": redis_url,
            "JWT_SECRET": "bench-secret-" + "x" * 40,
            "DATABASE_POOL_SIZE": str(options.connections),
            "GENERATION_WORKER_ENABLED": "false",
            "RUN_SWEEPER_ENABLED": "false",
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST_KIB": "1024",
            "ARGON2_PARALLELISM": "1",
            "PUBLIC_CACHE_ENABLED": "false" if options.no_cache else "true",
        }
        print("engine: postgres, bus: redis; migrating and seeding …", flush=True)
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        plan = json.loads(
            harness.run(
                [PYTHON, str(ROOT / "bench" / "gallery.py"), "seed", "--works", str(options.works)],
                env,
                timeout=max(10.0, deadline - time.monotonic()),
            )
        )
        ports: dict[str, list[int]] = {"graphql": [], "baseline": []}
        pids: dict[str, list[int]] = {"graphql": [], "baseline": []}
        for side in ("graphql", "baseline"):
            for number in range(2):
                port = harness.free_port()
                if side == "graphql":
                    command = [PYTHON, "-m", "uvicorn", "app:app", "--host", "127.0.0.1"]
                    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
                else:
                    command = [PYTHON, str(Path(__file__)), "baseline", "--port", str(port)]
                    command += ["--plan", json.dumps(plan), "--pool", str(options.connections)]
                log = Path(f"/tmp/{name}-{side}-{number}.log")
                logs.append(log)
                server = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
                )
                servers.append(server)
                harness.wait_healthy(port, server, deadline=min(deadline, time.monotonic() + 30))
                ports[side].append(port)
                pids[side].append(server.pid)
        result = json.loads(
            harness.run(
                [
                    PYTHON,
                    str(Path(__file__)),
                    "clients",
                    "--ports",
                    json.dumps(ports),
                    "--pids",
                    json.dumps(pids),
                    "--plan",
                    json.dumps(plan),
                    "--seconds",
                    str(options.seconds),
                    "--connections",
                    str(options.connections),
                    "--rounds",
                    str(options.rounds),
                ],
                env,
                timeout=max(15.0, deadline - time.monotonic()),
            )
        )
        result["cache"] = "off" if options.no_cache else "on"
        _report(result, plan)
        if options.json:
            Path(options.json).write_text(json.dumps(result, indent=2))
        return 0 if result["same_json"] else 1
    finally:
        for server in reversed(servers):
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


def _report(result: dict[str, Any], plan: dict[str, Any]) -> None:
    print()
    print(
        f"== gallery mix, public-response cache {result['cache']}: {plan['works']} works, {PAGE}-item HOT pages, "
        f"{int(FIRST_SHARE * 100)}% first pages, {100 - int(FIRST_SHARE * 100)}% deeper, one "
        f"write per {READS_PER_WRITE} reads; 2 processes a side; {result['connections']} "
        f"connections × {result['seconds']} s per round"
    )
    print(f"same JSON from both: {'yes' if result['same_json'] else 'NO'}")
    for number, pair in enumerate(result["rounds"], 1):
        app, base = pair["graphql"], pair["baseline"]
        print(
            f"round {number}: app {app['rps']:7.0f} req/s, CPU {app['cpu_ms']:.2f} ms/req, "
            f"hits {app['hit_ratio']:.1%} (load {app['load']}) | baseline {base['rps']:7.0f} "
            f"req/s, CPU {base['cpu_ms']:.2f} ms/req (load {base['load']}) | ratio "
            f"{app['rps'] / base['rps']:.3f}"
        )
    best = {
        side: max(pair[side]["rps"] for pair in result["rounds"])
        for side in ("graphql", "baseline")
    }
    print(
        f"best rounds: app {best['graphql']:.0f} req/s, baseline {best['baseline']:.0f} req/s, "
        f"ratio {best['graphql'] / best['baseline']:.3f}"
    )


# --- the baseline: Starlette + asyncpg + redis, the same statements and JSON ----------------


def baseline(options: argparse.Namespace) -> None:
    import asyncpg
    import jwt
    import orjson
    import redis.asyncio as aioredis
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    plan = json.loads(options.plan)
    type_names: dict[str, str] = plan["type_names"]
    play_types: list[str] = plan["play_types"]
    state: dict[str, Any] = {}
    secret = os.environ["JWT_SECRET"]

    def node(row: Any) -> dict[str, Any]:
        published = row["published_at"].isoformat()
        name = type_names[row["play_type"]]
        return {
            "__typename": name,
            "id": gallery._global_id(name, row["work_id"]),
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
                "id": gallery._global_id("User", row["owner_user_id"]),
                "displayName": row["author_display_name"],
                "avatarUrl": row["author_avatar_url"],
            },
        }

    async def feed(request: Request) -> Response:
        first = int(request.query_params.get("first", "20"))
        kinds = (
            [request.query_params["play_type"]]
            if "play_type" in request.query_params
            else play_types
        )
        after = request.query_params.get("after")
        sql = gallery.BASELINE_SQL
        arguments: list[Any] = [kinds, first + 1]
        if after:
            key = orjson.loads(gallery.base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
            sql = sql.replace(
                "ORDER BY",
                "AND (g.plays_7d, g.published_at, g.entry_id) < ($3, $4, $5) ORDER BY",
            )
            arguments += [int(key[1]), datetime.fromisoformat(key[2]), key[3]]
        rows = await state["pool"].fetch(sql, *arguments)
        edges = [
            {
                "cursor": gallery._cursor(
                    ["hot", row["plays_7d"], row["published_at"].isoformat(), row["entry_id"]]
                ),
                "node": node(row),
            }
            for row in rows[:first]
        ]
        page = {
            "hasNextPage": len(rows) > first,
            "endCursor": edges[-1]["cursor"] if edges else None,
        }
        body = {"data": {"gallery": {"edges": edges, "pageInfo": page}}}
        return Response(orjson.dumps(body), media_type="application/json")

    async def like(request: Request) -> Response:
        claims = jwt.decode(
            request.headers["authorization"].removeprefix("Bearer "),
            secret,
            algorithms=["HS256"],
            options={"verify_aud": False},
        )
        payload = orjson.loads(await request.body())
        liked = payload["like"]
        entry = f"{payload['t']}:{payload['w']}"
        now = datetime.now(UTC)
        async with state["pool"].acquire() as connection, connection.transaction():
            await connection.fetch(
                "SELECT u.token_version, s.revoked_at, r.role FROM user_account u "
                "LEFT JOIN refresh_session s ON s.session_id = $1 AND s.user_id = u.user_id "
                "LEFT JOIN auth_user_role r ON r.user_id = u.user_id WHERE u.user_id = $2",
                claims.get("sid"),
                claims["sub"],
            )
            like_id = f"{entry}:{claims['sub']}"
            if liked:
                await connection.fetch(
                    "INSERT INTO public_work_like (like_id, source_type, owner_user_id, "
                    "profile_id, user_id, liked_at) SELECT $1, play_type, owner_user_id, "
                    "work_id, $2, $3 FROM gallery_public_work WHERE entry_id = $4 "
                    "ON CONFLICT (like_id) DO NOTHING RETURNING like_id",
                    like_id,
                    claims["sub"],
                    now,
                    entry,
                )
            else:
                await connection.fetch(
                    "DELETE FROM public_work_like WHERE like_id = $1 RETURNING like_id", like_id
                )
            count = await connection.fetchval(
                "UPDATE gallery_public_work SET like_count = like_count + $1 WHERE entry_id = $2 "
                "RETURNING like_count",
                1 if liked else -1,
                entry,
            )
            event_id = secrets.token_hex(13)
            await connection.execute(
                "INSERT INTO gallery_change_event (event_id, event_kind, play_type, work_id, "
                "like_count, occurred_at) VALUES ($1, 'like_count_changed', $2, $3, $4, $5)",
                event_id,
                payload["t"],
                payload["w"],
                count,
                now,
            )
            sequence = await connection.fetchval(
                "INSERT INTO realtime_stream_counter (stream_key, sequence, updated_at) VALUES "
                "('gallery', 1, $1) ON CONFLICT (stream_key) DO UPDATE SET sequence = "
                "realtime_stream_counter.sequence + excluded.sequence, updated_at = "
                "excluded.updated_at RETURNING sequence",
                now,
            )
            await connection.execute(
                "INSERT INTO realtime_stream_event (entry_id, stream_key, sequence, event_kind, "
                "event_id, occurred_at) VALUES ($1, 'gallery', $2, 'like_count_changed', $3, $4)",
                f"gallery#{sequence}",
                sequence,
                event_id,
                now,
            )
        await state["redis"].publish(
            "s.gallery",
            orjson.dumps({"stream": "gallery", "sequence": sequence, "event_id": event_id}),
        )
        name = "workLike" if liked else "workUnlike"
        return Response(
            orjson.dumps({"data": {name: {"likeCount": count}}}), media_type="application/json"
        )

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        state["pool"] = await asyncpg.create_pool(
            os.environ["DATABASE_URL"], min_size=1, max_size=options.pool
        )
        state["redis"] = aioredis.Redis.from_url(os.environ["BROADCAST_URL"])
        yield
        await state["redis"].aclose()
        await state["pool"].close()

    routes = [
        Route("/gallery", feed),
        Route("/like", like, methods=["POST"]),
        Route("/healthz", healthz),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)


# --- clients (a separate process) -------------------------------------------------------------


def _post(port: int, path: str, body: bytes, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{auth}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


class Reads:
    """The read requests of both sides: (first pages, deeper pages), each side's bytes."""

    def __init__(self, plan: dict[str, Any], cursors: dict[str, list[str]]) -> None:
        self.first: list[tuple[dict[str, Any], str]] = []
        self.deeper: list[tuple[dict[str, Any], str]] = []
        for play_type in [None, *plan["play_types"]]:
            variables: dict[str, Any] = {"first": PAGE}
            query = f"/gallery?first={PAGE}"
            if play_type is not None:
                variables["playType"] = play_type.upper()
                query += f"&play_type={play_type}"
            self.first.append((variables, query))
            walk = cursors[play_type or ""]
            for cursor in walk:
                self.deeper.append(
                    ({**variables, "after": cursor}, f"{query}&after={quote(cursor)}")
                )

    def request(self, side: str, port: int, chosen: tuple[dict[str, Any], str]) -> bytes:
        variables, path = chosen
        if side == "baseline":
            return _get(path)
        return _post(port, "/graphql", json.dumps({"query": FEED, "variables": variables}).encode())


async def _fetch_json(port: int, request: bytes) -> Any:
    connection = gallery.Connection(port, request)
    await connection.open()
    try:
        return json.loads(await connection.fetch())
    finally:
        connection.close()


async def _cursors(port: int, plan: dict[str, Any]) -> dict[str, list[str]]:
    """endCursors to read deeper pages from: pages 2-6 of the whole feed, page 2 of each type."""
    cursors: dict[str, list[str]] = {}
    for play_type, pages in [(None, 5), *((kind, 1) for kind in plan["play_types"])]:
        variables: dict[str, Any] = {"first": PAGE}
        if play_type is not None:
            variables["playType"] = play_type.upper()
        found: list[str] = []
        for _ in range(pages):
            body = await _fetch_json(
                port,
                _post(
                    port, "/graphql", json.dumps({"query": FEED, "variables": variables}).encode()
                ),
            )
            cursor = body["data"]["gallery"]["pageInfo"]["endCursor"]
            found.append(cursor)
            variables = {**variables, "after": cursor}
        cursors[play_type or ""] = found
    return cursors


async def _lookups(ports: list[int]) -> tuple[float, float]:
    hits = misses = 0.0
    for port in ports:
        connection = gallery.Connection(port, _get("/metrics"))
        await connection.open()
        try:
            text = (await connection.fetch()).decode()
        finally:
            connection.close()
        for line in text.splitlines():
            if line.startswith("genarrative_public_cache_lookups_total"):
                value = float(line.rsplit(" ", 1)[1])
                if 'outcome="hit"' in line:
                    hits += value
                else:
                    misses += value
    return hits, misses


async def _round(
    side: str,
    ports: list[int],
    pids: list[int],
    reads: Reads,
    tokens: list[str],
    plan: dict[str, Any],
    options: argparse.Namespace,
    seed: int,
) -> dict[str, Any]:
    """--connections loops of the mix for --seconds (after a second's warm-up)."""
    rng = random.Random(seed)
    works = options.works
    done = 0
    stop_at = 0.0
    measuring = False

    async def loop(number: int) -> None:
        nonlocal done
        port = ports[number % len(ports)]
        token = tokens[number]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        connection = gallery.Connection(port, b"")
        connection.reader, connection.writer = reader, writer
        liked: tuple[str, str] | None = None
        step = 0
        try:
            while time.perf_counter() < stop_at:
                step += 1
                if step % (READS_PER_WRITE + 1) == 0:
                    if liked is None:
                        index = rng.randrange(works)
                        liked = (
                            plan["play_types"][index % len(plan["play_types"])],
                            f"bench-work-{index:06d}",
                        )
                        kind, work = liked[0], liked[1]
                        like = True
                    else:
                        kind, work = liked
                        liked, like = None, False
                    if side == "baseline":
                        body = json.dumps({"t": kind, "w": work, "like": like}).encode()
                        connection.request = _post(port, "/like", body, token)
                    else:
                        body = json.dumps(
                            {
                                "query": LIKE if like else UNLIKE,
                                "variables": {"t": kind.upper(), "w": work},
                            }
                        ).encode()
                        connection.request = _post(port, "/graphql", body, token)
                else:
                    pool = reads.first if rng.random() < FIRST_SHARE else reads.deeper
                    connection.request = reads.request(side, port, rng.choice(pool))
                await connection.fetch()
                if measuring:
                    done += 1
        finally:
            connection.close()

    stop_at = time.perf_counter() + 1.0  # warm-up
    await asyncio.gather(*(loop(number) for number in range(options.connections)))
    hits_before, misses_before = await _lookups(ports) if side == "graphql" else (0.0, 0.0)
    cpu_before = sum(harness.cpu_seconds(pid) for pid in pids)
    measuring = True
    began = time.perf_counter()
    stop_at = began + options.seconds
    await asyncio.gather(*(loop(number) for number in range(options.connections)))
    elapsed = time.perf_counter() - began
    cpu = sum(harness.cpu_seconds(pid) for pid in pids) - cpu_before
    hits, misses = await _lookups(ports) if side == "graphql" else (0.0, 0.0)
    looked = (hits - hits_before) + (misses - misses_before)
    return {
        "rps": done / elapsed,
        "cpu_ms": cpu * 1000 / max(done, 1),
        "hit_ratio": (hits - hits_before) / looked if looked else 0.0,
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


async def clients(options: argparse.Namespace) -> dict[str, Any]:
    ports: dict[str, list[int]] = json.loads(options.ports)
    pids: dict[str, list[int]] = json.loads(options.pids)
    plan = json.loads(options.plan)
    app = ports["graphql"][0]
    cursors = await _cursors(app, plan)
    reads = Reads(plan, cursors)
    # The same JSON from both sides, for a first and a deeper page.
    same = True
    for chosen in (reads.first[0], reads.deeper[2], reads.first[1]):
        ours = await _fetch_json(app, reads.request("graphql", app, chosen))
        theirs = await _fetch_json(ports["baseline"][0], reads.request("baseline", 0, chosen))
        same = same and ours == theirs
    tokens = []
    for number in range(options.connections):
        variables = {"u": f"bench_writer_{number}_{secrets.token_hex(3)}"}
        body = await _fetch_json(
            app,
            _post(
                app, "/graphql", json.dumps({"query": REGISTER, "variables": variables}).encode()
            ),
        )
        tokens.append(body["data"]["authRegister"]["tokens"]["accessToken"])
    rounds = []
    for number in range(options.rounds):
        pair = {}
        for side in ("graphql", "baseline"):  # alternate; the same random mix for both
            pair[side] = await _round(
                side, ports[side], pids[side], reads, tokens, plan, options, seed=number
            )
        rounds.append(pair)
    return {
        "same_json": same,
        "connections": options.connections,
        "seconds": options.seconds,
        "rounds": rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to create the bench database on",
    )
    parser.add_argument("--redis-url", default="", help="default: a redis-server of its own")
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument(
        "--no-cache", action="store_true", help="the app with PUBLIC_CACHE_ENABLED=false"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8.0, help="per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=400.0, help="seconds, all in")
    parser.add_argument("--json", default="", help="also write the result here")
    baseline_parser = commands.add_parser("baseline")
    baseline_parser.add_argument("--port", type=int, required=True)
    baseline_parser.add_argument("--plan", required=True)
    baseline_parser.add_argument("--pool", type=int, required=True)
    client_parser = commands.add_parser("clients")
    client_parser.add_argument("--ports", required=True)
    client_parser.add_argument("--pids", required=True)
    client_parser.add_argument("--plan", required=True)
    client_parser.add_argument("--seconds", type=float, required=True)
    client_parser.add_argument("--connections", type=int, required=True)
    client_parser.add_argument("--rounds", type=int, required=True)
    client_parser.add_argument("--works", type=int, default=10_000)
    options = parser.parse_args()
    if options.command == "baseline":
        baseline(options)
    elif options.command == "clients":
        print(json.dumps(asyncio.run(clients(options))))
    else:
        raise SystemExit(orchestrate(options))


if __name__ == "__main__":
    main()
