"""Runs benchmark: version-guarded puzzle actions under an open loop of players.

    .venv/bin/python bench/runs.py
    .venv/bin/python bench/runs.py --database-url postgres://postgres@127.0.0.1:5432/postgres

In one run, bounded in time (--timeout):
1. a new PostgreSQL database beside the URL given (dropped at the end), migrated;
2. --players users and one published puzzle work (one 8×8 level, so no run is won by
   chance), written through the resolvers (`seed`);
3. two servers, one process each, on loopback: the app (`uvicorn app:app`) and a baseline
   (Starlette + asyncpg, no GraphQL) whose one endpoint runs the bare conditional
   `UPDATE runs_run SET snapshot_version = snapshot_version + 1 WHERE run_id = $1 AND
   snapshot_version = $2 AND status = 'running' RETURNING snapshot_version`;
4. from a separate client process, an open loop against each server in turn: every player
   starts a PLAY run (app only), then sends one action per second (--rate) for --seconds,
   each on the version the previous answer gave (`puzzleRunSwap` of two random positions;
   the baseline: the bare UPDATE of the same run). An action's latency counts from the
   moment it was due, so a slow answer delays and is charged to the next one (no coordinated
   omission);
and prints, for both: actions per second, p50 / p99 / max latency per action, refused
actions, and the server's CPU time per action (from /proc), with the ratios app / baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRID_SIZE = 8
BASELINE_SQL = (
    "UPDATE runs_run SET snapshot_version = snapshot_version + 1, updated_at = now() "
    "WHERE run_id = $1 AND snapshot_version = $2 AND status = 'running' "
    "RETURNING snapshot_version"
)
START = (
    "mutation Start($work: ID!) { runStart(input: {playType: PUZZLE, workId: $work, "
    "mode: PLAY}) { errors { code message } run { runId snapshotVersion } } }"
)
SWAP = (
    "mutation Swap($run: ID!, $a: Int!, $b: Int!, $v: Int!) { puzzleRunSwap(runId: $run, "
    "a: $a, b: $b, expectedSnapshotVersion: $v) { errors { code } currentSnapshotVersion "
    "run { snapshotVersion status } } }"
)


# --- orchestration (the parent process) ----------------------------------------------------


def orchestrate(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.timeout
    name = f"genarrative_bench_runs_{os.getpid()}_{secrets.token_hex(3)}"
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
            "ACCESS_TOKEN_TTL_SECONDS": "3600",
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST_KIB": "8",
            "ARGON2_PARALLELISM": "1",
            "GENERATION_WORKER_ENABLED": "false",
        }
        print("engine: postgres; migrating and seeding …", flush=True)
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        plan = json.loads(
            harness.run(
                [PYTHON, str(Path(__file__)), "seed", "--players", str(options.players)],
                env,
                timeout=max(10.0, deadline - time.monotonic()),
            )
        )
        ports = {"app": harness.free_port(), "baseline": harness.free_port()}
        commands = {
            "app": [PYTHON, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
                    str(ports["app"]), "--log-level", "warning", "--no-access-log"],
            "baseline": [PYTHON, str(Path(__file__)), "baseline", "--port",
                         str(ports["baseline"])],
        }  # fmt: skip
        for label, command in commands.items():
            log = Path(f"/tmp/{name}-{label}.log")
            logs.append(log)
            servers.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
                )
            )
        for server, port in zip(servers, ports.values(), strict=True):
            harness.wait_healthy(port, server, deadline=min(deadline, time.monotonic() + 30))
        result = json.loads(
            harness.run(
                [
                    PYTHON,
                    str(Path(__file__)),
                    "clients",
                    "--plan",
                    json.dumps(plan),
                    "--app-port",
                    str(ports["app"]),
                    "--baseline-port",
                    str(ports["baseline"]),
                    "--pids",
                    f"{servers[0].pid},{servers[1].pid}",
                    "--seconds",
                    str(options.seconds),
                    "--rate",
                    str(options.rate),
                ],
                env,
                timeout=max(15.0, deadline - time.monotonic()),
            )
        )
        _report(result, options)
        if options.json:
            Path(options.json).write_text(json.dumps(result, indent=2))
        return 0
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


def _report(result: dict[str, Any], options: argparse.Namespace) -> None:
    app, baseline = result["app"], result["baseline"]
    print()
    print(
        f"== runs: {options.players} players × {options.rate:g} action/s for "
        f"{options.seconds:g} s, open loop, PostgreSQL, one server process each"
    )
    for label, side in (("app     ", app), ("baseline", baseline)):
        print(
            f"{label}: {side['actions_per_second']:.1f} actions/s; p50 {side['p50_ms']:.2f} ms, "
            f"p99 {side['p99_ms']:.2f} ms, max {side['max_ms']:.2f} ms; "
            f"{side['actions']} actions, {side['refused']} refused; "
            f"server CPU {side['cpu_ms_per_action']:.2f} ms per action"
        )
    print(
        f"ratio app / baseline: p50 {app['p50_ms'] / baseline['p50_ms']:.1f}×, "
        f"p99 {app['p99_ms'] / baseline['p99_ms']:.1f}×, "
        f"CPU per action {app['cpu_ms_per_action'] / baseline['cpu_ms_per_action']:.1f}×"
    )
    print(f"target p99 under 50 ms: {'met' if app['p99_ms'] < 50 else 'NOT met'}")


# --- seed (a child process with the bench's environment) ------------------------------------


async def seed(options: argparse.Namespace) -> dict[str, Any]:
    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount
    from db.tables.puzzle import PuzzleWorkProfile
    from db.transactions import write_transaction
    from resolvers import clock
    from resolvers.auth.password_signin import register_with_password
    from resolvers.gallery import publishing
    from resolvers.gallery.play_types import PlayType
    from resolvers.principal import Principal, Role
    from resolvers.puzzle import sessions

    engine = UserAccount._meta.db
    await start_pool(engine, max_size=4)
    try:
        players = [
            await register_with_password(username=f"player_{n}", password="bench password 1")
            for n in range(options.players)
        ]
        author = players[0]
        owner = Principal(role=Role.USER, user_id=author.user.user_id, session_id=author.session_id)
        started = await sessions.start_session(viewer=owner, seed_text="bench")
        level = {"levelId": "only", "name": "Only level", "gridSize": GRID_SIZE}
        draft = {"title": "Bench", "description": "", "theme": "", "tags": [], "levels": [level]}
        saved = await sessions.autosave(
            viewer=owner, session_id=started.session.session_id, draft=draft
        )
        work_id = saved.work.work_id
        # Published as the gallery sees it, without images: the bench measures runs.
        now = clock.now()
        async with write_transaction():
            await PuzzleWorkProfile.update(
                {
                    PuzzleWorkProfile.publication_status: "published",
                    PuzzleWorkProfile.publish_ready: True,
                    PuzzleWorkProfile.published_at: now,
                }
            ).where(PuzzleWorkProfile.work_id == work_id)
            await publishing.publish_work(
                play_type=PlayType.PUZZLE,
                work_id=work_id,
                owner_user_id=author.user.user_id,
                title="Bench",
                summary="",
                cover_image_src=None,
                theme=None,
                tags=[],
                now=now,
            )
        return {"work_id": work_id, "tokens": [player.access.token for player in players]}
    finally:
        await close_pool(engine)


# --- the baseline server ---------------------------------------------------------------------


def baseline(options: argparse.Namespace) -> None:
    import asyncpg
    import orjson
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    pool: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        pool["pool"] = await asyncpg.create_pool(os.environ["DATABASE_URL"], max_size=10)
        yield
        await pool["pool"].close()

    async def act(request: Request) -> Response:
        body = orjson.loads(await request.body())
        version = await pool["pool"].fetchval(BASELINE_SQL, body["run"], body["v"])
        return Response(orjson.dumps({"version": version}), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b"ok")

    app = Starlette(
        routes=[Route("/act", act, methods=["POST"]), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)


# --- the clients (a separate process) --------------------------------------------------------


class Player:
    """One player's open loop: an action due every 1/rate s, each on the last version."""

    def __init__(self, token: str, run_id: str, version: int) -> None:
        self.headers = {"authorization": f"Bearer {token}"}
        self.run_id = run_id
        self.version = version
        self.latencies: list[float] = []
        self.refused = 0

    async def play(self, http: Any, send: Any, *, start: float, rate: float, until: float) -> None:
        due = start
        while due < until:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await send(http, self)
            self.latencies.append(time.monotonic() - due)
            due += 1.0 / rate


async def _swap(http: Any, player: Player) -> None:
    a, b = random.sample(range(GRID_SIZE * GRID_SIZE), 2)
    variables = {"run": player.run_id, "a": a, "b": b, "v": player.version}
    answer = (await http.post("/graphql", json={"query": SWAP, "variables": variables},
                              headers=player.headers)).json()["data"]["puzzleRunSwap"]  # fmt: skip
    if answer["errors"]:
        player.refused += 1
        player.version = answer["currentSnapshotVersion"] or player.version
    else:
        player.version = answer["run"]["snapshotVersion"]


async def _bare_update(http: Any, player: Player) -> None:
    answer = (await http.post("/act", json={"run": player.run_id, "v": player.version})).json()
    if answer["version"] is None:
        player.refused += 1
    else:
        player.version = answer["version"]


async def _loop(
    port: int, players: list[Player], send: Any, *, pid: int, seconds: float, rate: float
) -> dict[str, Any]:
    import httpx

    limits = httpx.Limits(max_connections=len(players), max_keepalive_connections=len(players))
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as http:
        start = time.monotonic() + 0.5
        # Players are spread over the first second so actions arrive evenly.
        cpu_before = harness.cpu_seconds(pid)
        await asyncio.gather(
            *(
                player.play(http, send, start=start + index / len(players) / rate, rate=rate,
                            until=start + seconds)
                for index, player in enumerate(players)
            )
        )  # fmt: skip
        elapsed = time.monotonic() - start
        cpu = harness.cpu_seconds(pid) - cpu_before
    latencies = sorted(value for player in players for value in player.latencies)
    return {
        "actions": len(latencies),
        "refused": sum(player.refused for player in players),
        "actions_per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "cpu_ms_per_action": 1000 * cpu / len(latencies),
    }


async def clients(options: argparse.Namespace) -> dict[str, Any]:
    import httpx

    plan = json.loads(options.plan)
    app_pid, baseline_pid = (int(pid) for pid in options.pids.split(","))
    players: list[Player] = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{options.app_port}") as http:
        for token in plan["tokens"]:
            answer = (
                await http.post(
                    "/graphql",
                    json={"query": START, "variables": {"work": plan["work_id"]}},
                    headers={"authorization": f"Bearer {token}"},
                )
            ).json()["data"]["runStart"]
            if answer["errors"]:
                raise SystemExit(f"runStart refused: {answer['errors']}")
            run = answer["run"]
            players.append(Player(token, run["runId"], run["snapshotVersion"]))
    app = await _loop(
        options.app_port, players, _swap, pid=app_pid, seconds=options.seconds, rate=options.rate
    )
    # The baseline plays the same runs from their current versions.
    for player in players:
        player.latencies, player.refused = [], 0
    base = await _loop(
        options.baseline_port,
        players,
        _bare_update,
        pid=baseline_pid,
        seconds=options.seconds,
        rate=options.rate,
    )
    return {"app": app, "baseline": base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server (the bench creates and drops its own database)",
    )
    parser.add_argument("--players", type=int, default=100)
    parser.add_argument("--rate", type=float, default=1.0, help="actions per second per player")
    parser.add_argument("--seconds", type=float, default=60.0, help="per server")
    parser.add_argument("--timeout", type=float, default=400.0, help="seconds, all in")
    parser.add_argument("--json", default="", help="also write the result here")
    commands = parser.add_subparsers(dest="command")
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("--players", type=int, required=True)
    baseline_parser = commands.add_parser("baseline")
    baseline_parser.add_argument("--port", type=int, required=True)
    client_parser = commands.add_parser("clients")
    for flag in ("--plan", "--pids"):
        client_parser.add_argument(flag, required=True)
    for flag in ("--app-port", "--baseline-port"):
        client_parser.add_argument(flag, type=int, required=True)
    client_parser.add_argument("--seconds", type=float, required=True)
    client_parser.add_argument("--rate", type=float, required=True)
    options = parser.parse_args()
    if options.command == "seed":
        print(json.dumps(asyncio.run(seed(options))))
    elif options.command == "baseline":
        baseline(options)
    elif options.command == "clients":
        print(json.dumps(asyncio.run(clients(options))))
    else:
        sys.exit(orchestrate(options))


if __name__ == "__main__":
    main()
