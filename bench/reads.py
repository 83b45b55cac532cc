"""Reads benchmark: `publicPuzzleWork` (a public work with its author) against Starlette + asyncpg.

    .venv/bin/python bench/reads.py
    .venv/bin/python bench/reads.py --works 2000 --seconds 4 --rounds 2 --timeout 240

Issue 17's target 1 beyond the gallery page. bench/gallery.py does the run (a scratch
PostgreSQL database, the seeded gallery, one app process and one baseline process, a separate
client process, interleaved rounds, CPU per request from /proc); this script supplies the
parts that differ:
- `seed`: bench/gallery.py's seed, plus a published `puzzle_work_profile` row (with a public
  work code `PZ` + 10 digits) for every seeded puzzle work;
- `baseline`: Starlette + asyncpg answering `GET /work?code=…` with the JSON the app gives,
  from two statements (the profile joined with its read-model row and author, then its
  7-day plays), where the app runs four (the profile by code, the read-model row, the 7-day
  plays, the author);
- `clients`: distinct requests (each connection cycles through 50 public work codes,
  anonymous), every code's answer checked equal (after decoding) on both servers before
  measuring, then bench/gallery.py's measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gallery

QUERY = (
    "query Work($c: String!) { publicPuzzleWork(publicWorkCode: $c) { __typename id workId "
    "playType title summary coverUrl theme tags publicationStatus playCount likeCount "
    "publishedAt plays7d viewerHasLiked author { __typename id publicUserCode displayName "
    "avatarUrl } } }"
)
CODES = 50  # distinct public work codes each connection cycles through (plus one unknown)
# The seeded profiles: one per puzzle work of the gallery seed, the code from its number.
PROFILES_SQL = (
    "INSERT INTO puzzle_work_profile (profile_id, work_id, owner_user_id, author_display_name, "
    "work_title, work_description, theme_tags_json, levels_json, publication_status, "
    "play_count, anchor_pack_json, publish_ready, created_at, updated_at, published_at, "
    "public_work_code) "
    "SELECT g.work_id, g.work_id, g.owner_user_id, u.display_name, g.title, g.summary, "
    "g.tags_json::json, '[]'::json, 'published', g.play_count, "
    "json_build_object('theme', g.theme), true, g.published_at, g.published_at, "
    "g.published_at, 'PZ' || lpad(substr(g.work_id, 12), 10, '0') "
    "FROM gallery_public_work g JOIN user_account u ON u.user_id = g.owner_user_id "
    "WHERE g.play_type = 'puzzle'"
)
# The baseline's statements: the work with its counts and author, then its 7-day plays
# (resolvers/gallery/reading.py's `plays_7d_of` for one work).
WORK_SQL = (
    "SELECT p.profile_id, p.owner_user_id, p.work_title, p.work_description, "
    "p.theme_tags_json, p.anchor_pack_json, p.published_at, g.play_count, g.like_count, "
    "u.public_user_code, u.display_name, u.avatar_url "
    "FROM puzzle_work_profile p "
    "JOIN gallery_public_work g ON g.entry_id = 'puzzle:' || p.profile_id "
    "LEFT JOIN user_account u ON u.user_id = p.owner_user_id "
    "WHERE p.public_work_code = $1 AND p.publication_status = 'published'"
)
PLAYS_SQL = (
    "SELECT SUM(play_count) AS plays FROM public_work_play_daily_stat "
    "WHERE source_type = 'puzzle' AND profile_id = $1 AND played_day >= $2 AND played_day <= $3"
)


def codes_of(plan: dict[str, Any], count: int) -> list[str]:
    """The first `count` seeded puzzle works' codes (the seed's numbering), plus one unknown."""
    kinds = len(plan["play_types"])
    offset = plan["play_types"].index("puzzle")
    numbers = range(offset, plan["works"], kinds)
    return [f"PZ{number:010d}" for number in list(numbers)[:count]] + ["PZNOSUCHCODE"]


# --- seed ---------------------------------------------------------------------------------------


async def seed(options: argparse.Namespace) -> dict[str, Any]:
    import asyncpg

    plan = await gallery.seed(options)
    started = time.monotonic()
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        status = await connection.execute(PROFILES_SQL)
        await connection.execute("ANALYZE puzzle_work_profile")
    finally:
        await connection.close()
    plan["profiles"] = int(status.rsplit(" ", 1)[1])
    plan["seconds"] += time.monotonic() - started
    return plan


# --- the baseline server ------------------------------------------------------------------------


def baseline(options: argparse.Namespace) -> None:
    import asyncpg
    import orjson
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from resolvers.gallery.model import beijing_day, hot_window_start

    plan = json.loads(options.plan)
    type_name: str = plan["type_names"]["puzzle"]
    pool: asyncpg.Pool | None = None

    async def work(request: Request) -> Response:
        code = request.query_params["code"].strip().upper()
        assert pool is not None
        node: dict[str, Any] | None = None
        async with pool.acquire() as connection:
            row = await connection.fetchrow(WORK_SQL, code)
            if row is not None:
                day = beijing_day(datetime.now(UTC))
                plays = await connection.fetchval(
                    PLAYS_SQL, row["profile_id"], hot_window_start(day), day
                )
                anchor = orjson.loads(row["anchor_pack_json"] or "{}")
                node = {
                    "__typename": type_name,
                    "id": gallery._global_id(type_name, row["profile_id"]),
                    "workId": row["profile_id"],
                    "playType": "PUZZLE",
                    "title": row["work_title"],
                    "summary": row["work_description"],
                    "coverUrl": None,
                    "theme": anchor.get("theme") or None,
                    "tags": orjson.loads(row["theme_tags_json"] or "[]"),
                    "publicationStatus": "PUBLISHED",
                    "playCount": row["play_count"],
                    "likeCount": row["like_count"],
                    "publishedAt": row["published_at"].isoformat(),
                    "plays7d": int(plays or 0),
                    "viewerHasLiked": False,
                    "author": {
                        "__typename": "User",
                        "id": gallery._global_id("User", row["owner_user_id"]),
                        "publicUserCode": row["public_user_code"],
                        "displayName": row["display_name"],
                        "avatarUrl": row["avatar_url"],
                    }
                    if row["display_name"] is not None
                    else None,
                }
        body = orjson.dumps({"data": {"publicPuzzleWork": node}})
        return Response(body, media_type="application/json")

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

    app = Starlette(routes=[Route("/work", work), Route("/healthz", healthz)], lifespan=lifespan)
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)


# --- clients ------------------------------------------------------------------------------------


def _graphql_request(code: str) -> bytes:
    payload = json.dumps({"query": QUERY, "variables": {"c": code}}).encode()
    return (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
    )


def _baseline_request(code: str) -> bytes:
    return f"GET /work?code={code} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


async def _answer(port: int, request: bytes) -> Any:
    connection = gallery.Connection(port, request)
    await connection.open()
    try:
        return json.loads(await connection.fetch())
    finally:
        connection.close()


async def clients(options: argparse.Namespace) -> dict[str, Any]:
    codes = codes_of(json.loads(options.plan), CODES)
    graphql = [_graphql_request(code) for code in codes]
    requests: dict[str, tuple[int, Any]] = {
        "graphql": (options.graphql_port, graphql),
        "baseline": (options.baseline_port, [_baseline_request(code) for code in codes]),
    }
    if options.single_port:
        requests["graphql_1w"] = (options.single_port, graphql)
    pids = dict(zip(requests, map(int, options.pids.split(",")), strict=True))
    same, found = True, 0
    for code in codes:
        app = await _answer(options.graphql_port, _graphql_request(code))
        if "errors" in app:
            raise SystemExit(f"GraphQL errors: {app['errors']}")
        base = await _answer(options.baseline_port, _baseline_request(code))
        if app != base:
            print(f"{code}: app {app}\nbaseline {base}", file=sys.stderr)
            same = False
        found += app["data"]["publicPuzzleWork"] is not None
    if found != len(codes) - 1:
        raise SystemExit(f"only {found} of {len(codes) - 1} seeded codes were found")
    result: dict[str, Any] = {"same_json": same, "codes": len(codes)}
    result.update(await gallery.measure(requests, pids, options))
    return result


def _report(result: dict[str, Any]) -> None:
    print()
    print(
        f"== publicPuzzleWork: {result['plan']['profiles']} published puzzle works, a work "
        f"with its author by code, anonymous, cycling through {result['codes']} codes (one "
        f"unknown); {result['connections']} connections × {result['seconds']} s, best of "
        f"{result['rounds']} rounds"
    )
    gallery.print_numbers(result)


def main() -> None:
    options = gallery.build_parser(__doc__.split("\n")[0]).parse_args()
    if options.command == "seed":
        print(json.dumps(asyncio.run(seed(options))))
    elif options.command == "baseline":
        baseline(options)
    elif options.command == "clients":
        print(json.dumps(asyncio.run(clients(options))))
    else:
        raise SystemExit(
            gallery.orchestrate(options, script=Path(__file__), report=_report, label="reads")
        )


if __name__ == "__main__":
    main()
