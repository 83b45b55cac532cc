"""Images benchmark: how fast the embedded backend draws, and what the generation worker
does to gallery latency while it draws.

    .venv/bin/python bench/images.py
    .venv/bin/python bench/images.py --database-url postgres://postgres@127.0.0.1:5432/postgres

In one run, bounded in time (--timeout):
1. drawing, in this process: embedded PNGs at --size × --size per second, one after the
   other (`draw_png`), and through the backend with --parallel requests at once (each
   draws in a thread, `asyncio.to_thread`, as the worker does);
2. a scratch database (a SQLite file by default, the embedded default; or a new
   PostgreSQL database beside --database-url, dropped at the end), migrated and seeded
   with --works published gallery works;
3. the app (`uvicorn app:app`, one process, its generation worker on, IMAGE_BACKEND
   embedded) on loopback, and from this process a keep-alive client asking for 50-item
   HOT gallery pages one at a time:
   - baseline: the latency (p50, p99) with the worker idle;
   - loaded: --images `imageGenerate` requests (--size × --size) queued at once, and the
     gallery's latency measured while the worker draws, stores and binds them;
and prints both, the ratio loaded / baseline (near 1: drawing does not starve request
handling; it runs off the event loop), and the worker's end-to-end images per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import harness
from gallery import GRAPHQL_QUERY, PAGE, Connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REGISTER = (
    "mutation($u: String!) { authRegister(input: {username: $u, password: "
    '"bench password 123"}) { errors { code } tokens { accessToken } } }'
)
START = 'mutation { puzzleSessionStart(input: {seedText: "bench"}) { work { workId } } }'
GENERATE = (
    "mutation($i: ImageGenerateInput!) { imageGenerate(input: $i) { errors { code message } "
    "task { taskId } } }"
)
STATUSES = "{ viewer { aiTasks(kind: IMAGE_GENERATION, first: 100) { nodes { status } } } }"


def draw_rate(size: int, count: int, parallel: int) -> tuple[float, float]:
    """Images per second drawn one after the other, and `parallel` at a time in threads."""
    from resolvers.images.backends import EmbeddedImageBackend
    from resolvers.images.drawing import draw_png
    from resolvers.images.model import ImageRequest

    draw_png("warm-up", size, size)
    began = time.perf_counter()
    for number in range(count):
        draw_png(f"bench picture {number}", size, size)
    sequential = count / (time.perf_counter() - began)
    backend = EmbeddedImageBackend(max_bytes=20 * 1024 * 1024)

    async def concurrently() -> float:
        limit = asyncio.Semaphore(parallel)

        async def one(number: int) -> None:
            async with limit:
                request = ImageRequest(str(number), f"bench picture {number}", size, size)
                await backend.generate(request)

        started = time.perf_counter()
        await asyncio.gather(*(one(number) for number in range(count)))
        return count / (time.perf_counter() - started)

    return sequential, asyncio.run(concurrently())


def seed(works: int) -> None:
    """Published gallery rows straight into the read model (run with the bench's env)."""
    from db.tables.auth import UserAccount
    from db.tables.gallery import GalleryPublicWork
    from resolvers.gallery.model import beijing_day

    async def write() -> None:
        now = datetime.now(UTC)
        authors = [
            UserAccount(
                user_id=f"bench-author-{number}",
                public_user_code=f"{200000000 + number}",
                username=f"bench_author_{number}",
                display_name=f"Author {number}",
                login_method="password",
            )
            for number in range(max(1, works // 10))
        ]
        await UserAccount.insert(*authors)
        rows = [
            GalleryPublicWork(
                entry_id=f"puzzle:bench-work-{number}",
                play_type="puzzle",
                work_id=f"bench-work-{number}",
                owner_user_id=authors[number % len(authors)].user_id,
                title=f"Work number {number}",
                summary="A puzzle of the images bench.",
                cover_image_src=f"https://cdn.example/covers/{number}.png",
                theme="daily",
                tags_json=["bench"],
                published_at=now - timedelta(minutes=number),
                updated_at=now,
                play_count=number % 100,
                like_count=number % 17,
                plays_7d=(number * 7919) % 500,
                plays_7d_day=beijing_day(now),
            )
            for number in range(works)
        ]
        await GalleryPublicWork.insert(*rows)

    asyncio.run(write())


async def _graphql(port: int, query: str, variables: dict[str, Any], token: str = "") -> Any:
    import httpx

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body = response.json()
    if "errors" in body:
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]


def _page_request() -> bytes:
    payload = json.dumps({"query": GRAPHQL_QUERY, "variables": {"first": PAGE}}).encode()
    return (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
    )


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)]


async def measure(port: int, options: argparse.Namespace) -> dict[str, Any]:
    """Baseline gallery latency, then the latency while the worker draws --images."""
    name = f"bench_{secrets.token_hex(4)}"
    token = (await _graphql(port, REGISTER, {"u": name}))["authRegister"]["tokens"]["accessToken"]
    work_id = (await _graphql(port, START, {}, token))["puzzleSessionStart"]["work"]["workId"]
    gallery = Connection(port, _page_request())
    await gallery.open()
    try:
        for _ in range(50):  # warm-up: caches, pool, code paths
            await gallery.fetch()
        baseline = []
        for _ in range(options.requests):
            began = time.perf_counter()
            await gallery.fetch()
            baseline.append((time.perf_counter() - began) * 1000)
        began_generating = time.perf_counter()
        requests = [
            {
                "prompt": f"bench cover number {number}",
                "entityKind": "puzzle_work",
                "entityId": work_id,
                "slot": "cover",
                "width": options.size,
                "height": options.size,
            }
            for number in range(options.images)
        ]
        # Queued at once: the gallery is measured while the worker drains the queue.
        await asyncio.gather(*(_graphql(port, GENERATE, {"i": each}, token) for each in requests))
        loaded: list[float] = []
        finished_at = 0.0
        while not finished_at:
            for _ in range(20):
                began = time.perf_counter()
                await gallery.fetch()
                loaded.append((time.perf_counter() - began) * 1000)
            tasks = (await _graphql(port, STATUSES, {}, token))["viewer"]["aiTasks"]["nodes"]
            if all(task["status"] in ("COMPLETED", "FAILED") for task in tasks):
                finished_at = time.perf_counter()
                failed = sum(task["status"] == "FAILED" for task in tasks)
    finally:
        gallery.close()
    return {
        "baseline": _percentiles(baseline),
        "loaded": _percentiles(loaded),
        "loaded_samples": len(loaded),
        "worker_images_per_second": options.images / (finished_at - began_generating),
        "failed": failed,
    }


def orchestrate(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.timeout
    sequential, parallel = draw_rate(options.size, options.draws, options.parallel)
    print(f"== embedded drawing, {options.size}×{options.size} PNG, {options.draws} images")
    print(f"one after the other: {sequential:.1f} images/s")
    print(f"{options.parallel} at once (threads): {parallel:.1f} images/s")
    scratch = Path(tempfile.mkdtemp(prefix="genarrative-bench-images-"))
    postgres_name = ""
    if options.database_url.startswith("postgres"):
        postgres_name = f"genarrative_bench_images_{os.getpid()}_{secrets.token_hex(3)}"
        asyncio.run(harness.postgres(options.database_url, f'CREATE DATABASE "{postgres_name}"'))
        database_url = urlunparse(urlparse(options.database_url)._replace(path=f"/{postgres_name}"))
    else:
        database_url = f"sqlite:///{scratch / 'bench.sqlite'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ENVIRONMENT": "bench",
        "DATABASE_URL": database_url,
        "BROADCAST_URL": "memory://",
        "JWT_SECRET": "bench-secret-" + "x" * 40,
        "ASSET_STORAGE_DIR": str(scratch / "storage"),
        "IMAGE_BACKEND": "embedded",
        "IMAGE_DAILY_QUOTA": str(options.images + 10),
        "GENERATION_WORKER_ENABLED": "true",
    }
    server: subprocess.Popen[bytes] | None = None
    log = scratch / "server.log"
    try:
        harness.run([PYTHON, "manage.py", "migrate"], env, timeout=120)
        harness.run([PYTHON, str(Path(__file__)), "seed", "--works", str(options.works)], env, 120)
        port = harness.free_port()
        command = [PYTHON, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "warning", "--no-access-log"]
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        harness.wait_healthy(port, server, deadline=min(deadline, time.monotonic() + 30))
        result = asyncio.run(
            asyncio.wait_for(measure(port, options), max(10.0, deadline - time.monotonic()))
        )
    finally:
        harness.stop(server)
        if log.exists() and (text := log.read_text(errors="replace").strip()):
            print(f"server log:\n{text[-3000:]}", file=sys.stderr)
        if postgres_name:
            statement = f'DROP DATABASE IF EXISTS "{postgres_name}" WITH (FORCE)'
            asyncio.run(harness.postgres(options.database_url, statement))
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
    engine = "postgres" if postgres_name else "sqlite"
    (base_p50, base_p99), (load_p50, load_p99) = result["baseline"], result["loaded"]
    print()
    print(
        f"== gallery latency ({engine}, {options.works} works, {PAGE}-item HOT pages, one "
        f"request at a time) while the worker generates {options.images} images"
    )
    print(f"worker idle:       p50 {base_p50:.2f} ms, p99 {base_p99:.2f} ms")
    print(
        f"worker generating: p50 {load_p50:.2f} ms, p99 {load_p99:.2f} ms "
        f"({result['loaded_samples']} requests)"
    )
    print(f"ratio generating / idle: p50 {load_p50 / base_p50:.2f}, p99 {load_p99 / base_p99:.2f}")
    print(
        f"worker end to end (draw, store, confirm, bind, events): "
        f"{result['worker_images_per_second']:.1f} images/s, {result['failed']} failed"
    )
    print(f"total bench time {time.monotonic() - started:.1f} s", flush=True)
    return 1 if result["failed"] else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    parser.add_argument("--database-url", default="sqlite", help="`sqlite` or postgres://…")
    parser.add_argument("--size", type=int, default=512, help="image side in pixels")
    parser.add_argument("--draws", type=int, default=40, help="images drawn in this process")
    parser.add_argument("--parallel", type=int, default=4, help="draws at once (threads)")
    parser.add_argument("--images", type=int, default=100, help="images the worker generates")
    parser.add_argument("--works", type=int, default=1000, help="gallery works seeded")
    parser.add_argument("--requests", type=int, default=300, help="baseline gallery requests")
    parser.add_argument("--timeout", type=float, default=300.0, help="whole run, seconds")
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("--works", type=int, default=1000)
    options = parser.parse_args()
    if str(ROOT) not in sys.path:
        sys.path.insert(1, str(ROOT))  # drawing runs in this process too
    if options.command == "seed":
        seed(options.works)
        return
    raise SystemExit(orchestrate(options))


if __name__ == "__main__":
    main()
