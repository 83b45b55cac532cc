"""Reads benchmark: a public work, the viewer's works, an AI task with its chunks, against Starlette + asyncpg.

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
The viewer's works list and an AI task with its chunks (bench/ai_task.py) are measured the
same way, signed in as the seed's viewers.
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

import ai_task
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
VIEWERS = 20  # signed-in viewers (authors of puzzle works) the works-list requests cycle through
WORKS_QUERY = (
    "query Mine { viewer { puzzleWorks(first: 20) { edges { cursor node { __typename id "
    "workId playType title summary coverUrl theme tags publicationStatus playCount likeCount "
    "publishedAt plays7d viewerHasLiked author { __typename id publicUserCode displayName "
    "avatarUrl } } } pageInfo { hasNextPage endCursor } } } }"
)
# Some of the seeded works are liked by their authors, so `viewerHasLiked` varies.
LIKES_SQL = (
    "INSERT INTO public_work_like (like_id, source_type, owner_user_id, profile_id, user_id) "
    "SELECT 'puzzle:' || profile_id || ':' || owner_user_id, 'puzzle', owner_user_id, "
    "profile_id, owner_user_id FROM puzzle_work_profile WHERE right(profile_id, 1) IN ('1', '3')"
)
# The works list's baseline statements: the token's check (resolvers/auth/authenticate.py's),
# the finished agent turns to settle (resolvers/creation/turns.py's `settle_owner`, built in
# the server), the page with counts, like and author, then the page's 7-day plays.
AUTH_SQL = (
    "SELECT u.token_version, s.revoked_at, r.role FROM user_account u "
    "LEFT JOIN refresh_session s ON s.session_id = $1 AND s.user_id = u.user_id "
    "LEFT JOIN auth_user_role r ON r.user_id = u.user_id WHERE u.user_id = $2"
)
PAGE_SQL = (
    "SELECT p.profile_id, p.owner_user_id, p.work_title, p.work_description, "
    "p.theme_tags_json, p.anchor_pack_json, p.published_at, p.updated_at, "
    "p.publication_status, g.play_count, g.like_count, l.like_id, "
    "u.public_user_code, u.display_name, u.avatar_url "
    "FROM puzzle_work_profile p "
    "JOIN gallery_public_work g ON g.entry_id = 'puzzle:' || p.profile_id "
    "LEFT JOIN public_work_like l ON l.like_id = 'puzzle:' || p.profile_id || ':' || $1 "
    "LEFT JOIN user_account u ON u.user_id = p.owner_user_id "
    "WHERE p.owner_user_id = $1 ORDER BY p.updated_at DESC, p.profile_id DESC LIMIT $2"
)
PAGE_PLAYS_SQL = (
    "SELECT profile_id, SUM(play_count) AS plays FROM public_work_play_daily_stat "
    "WHERE source_type = 'puzzle' AND profile_id = ANY($1::varchar[]) "
    "AND played_day >= $2 AND played_day <= $3 GROUP BY profile_id"
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

    from resolvers.auth.tokens import issue_access_token

    plan = await gallery.seed(options)
    started = time.monotonic()
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        status = await connection.execute(PROFILES_SQL)
        await connection.execute(LIKES_SQL)
        viewers = await connection.fetch(
            "SELECT p.owner_user_id, u.token_version, count(*) AS works "
            "FROM puzzle_work_profile p JOIN user_account u ON u.user_id = p.owner_user_id "
            "GROUP BY p.owner_user_id, u.token_version ORDER BY p.owner_user_id LIMIT $1",
            VIEWERS,
        )
        tokens = []
        for number, viewer in enumerate(viewers):
            session_id = f"bench-session-{number:03d}"
            await connection.execute(
                "INSERT INTO refresh_session (session_id, user_id, refresh_token_hash, "
                "issued_by_provider, expires_at) VALUES ($1, $2, $3, 'password', "
                "now() + interval '1 day')",
                session_id,
                viewer["owner_user_id"],
                f"bench-hash-{number:03d}",
            )
            tokens.append(
                issue_access_token(
                    user_id=viewer["owner_user_id"],
                    session_id=session_id,
                    token_version=int(viewer["token_version"]),
                ).token
            )
        task_ids = await ai_task.seed(connection, [row["owner_user_id"] for row in viewers])
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    plan["profiles"] = int(status.rsplit(" ", 1)[1])
    plan["tokens"] = tokens
    plan["viewers"] = [viewer["owner_user_id"] for viewer in viewers]
    plan["tasks"] = task_ids
    plan["viewer_works"] = [int(viewer["works"]) for viewer in viewers]
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

    from resolvers.auth.tokens import InvalidToken, decode_token
    from resolvers.creation.model import FINISHED_TASK, OperationStatus
    from resolvers.creation.store.operations import FINISHED_JOIN
    from resolvers.gallery.model import beijing_day, hot_window_start

    plan = json.loads(options.plan)
    type_name: str = plan["type_names"]["puzzle"]
    pool: asyncpg.Pool | None = None
    numbered = iter(range(1, 100))
    settle_sql = (
        FINISHED_JOIN.replace("{}", "${}").format(
            *(next(numbered) for _ in range(1 + len(FINISHED_TASK)))
        )
        + f" AND o.owner_user_id = ${1 + len(FINISHED_TASK) + 1} ORDER BY o.operation_id"
    )
    settle_arguments = (OperationStatus.RUNNING.value, *FINISHED_TASK)

    def node(row: Any, plays: int, liked: bool) -> dict[str, Any]:
        anchor = orjson.loads(row["anchor_pack_json"] or "{}")
        return {
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
            "plays7d": plays,
            "viewerHasLiked": liked,
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

    async def works(request: Request) -> Response:
        """The signed-in viewer's puzzle works (all seeded ones are published)."""
        try:
            claims = decode_token(request.headers["authorization"].removeprefix("Bearer "))
        except InvalidToken:
            return Response(b"unauthenticated", status_code=401)
        assert pool is not None
        first = 20
        async with pool.acquire() as connection:
            found = await connection.fetchrow(AUTH_SQL, claims.session_id, claims.subject)
            if (
                found is None
                or int(found["token_version"]) != claims.token_version
                or found["revoked_at"] is not None
            ):
                return Response(b"unauthenticated", status_code=401)
            if await connection.fetch(settle_sql, *settle_arguments, claims.subject):
                raise RuntimeError("the bench seeds no agent turns to settle")
            rows = await connection.fetch(PAGE_SQL, claims.subject, first + 1)
            day = beijing_day(datetime.now(UTC))
            plays = {
                row["profile_id"]: int(row["plays"])
                for row in await connection.fetch(
                    PAGE_PLAYS_SQL,
                    [row["profile_id"] for row in rows[:first]],
                    hot_window_start(day),
                    day,
                )
            }
        edges = [
            {
                "cursor": gallery._cursor([row["updated_at"].isoformat(), row["profile_id"]]),
                "node": node(row, plays.get(row["profile_id"], 0), row["like_id"] is not None),
            }
            for row in rows[:first]
        ]
        connection_body = {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": len(rows) > first,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        }
        body = orjson.dumps({"data": {"viewer": {"puzzleWorks": connection_body}}})
        return Response(body, media_type="application/json")

    async def work(request: Request) -> Response:
        code = request.query_params["code"].strip().upper()
        assert pool is not None
        found: dict[str, Any] | None = None
        async with pool.acquire() as connection:
            row = await connection.fetchrow(WORK_SQL, code)
            if row is not None:
                day = beijing_day(datetime.now(UTC))
                plays = await connection.fetchval(
                    PLAYS_SQL, row["profile_id"], hot_window_start(day), day
                )
                found = node(row, int(plays or 0), False)
        body = orjson.dumps({"data": {"publicPuzzleWork": found}})
        return Response(body, media_type="application/json")

    async def task(request: Request) -> Response:
        """The signed-in viewer's AI task with its first chunks (bench/ai_task.py)."""
        try:
            claims = decode_token(request.headers["authorization"].removeprefix("Bearer "))
        except InvalidToken:
            return Response(b"unauthenticated", status_code=401)
        assert pool is not None
        async with pool.acquire() as connection:
            found = await connection.fetchrow(AUTH_SQL, claims.session_id, claims.subject)
            if (
                found is None
                or int(found["token_version"]) != claims.token_version
                or found["revoked_at"] is not None
            ):
                return Response(b"unauthenticated", status_code=401)
            body = await ai_task.answer(connection, request.query_params["id"], claims.subject)
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

    app = Starlette(
        routes=[
            Route("/work", work),
            Route("/works", works),
            Route("/task", task),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )
    uvicorn.run(app, host="127.0.0.1", port=options.port, log_level="warning", access_log=False)


# --- clients ------------------------------------------------------------------------------------


def _graphql_request(query: str, variables: dict[str, Any], token: str = "") -> bytes:
    payload = json.dumps({"query": query, "variables": variables}).encode()
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"{auth}Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
    )


def _baseline_request(target: str, token: str = "") -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\n".encode()


async def _answer(port: int, request: bytes) -> Any:
    connection = gallery.Connection(port, request)
    await connection.open()
    try:
        return json.loads(await connection.fetch())
    finally:
        connection.close()


async def _read(
    options: argparse.Namespace, graphql: list[bytes], baseline: list[bytes]
) -> dict[str, Any]:
    """Every request's answers compared (after decoding), then the measurement."""
    requests: dict[str, tuple[int, Any]] = {
        "graphql": (options.graphql_port, graphql),
        "baseline": (options.baseline_port, baseline),
    }
    if options.single_port:
        requests["graphql_1w"] = (options.single_port, graphql)
    pids = dict(zip(requests, map(int, options.pids.split(",")), strict=True))
    same, answers = True, []
    for app_request, base_request in zip(graphql, baseline, strict=True):
        app = await _answer(options.graphql_port, app_request)
        if "errors" in app:
            raise SystemExit(f"GraphQL errors: {app['errors']}")
        base = await _answer(options.baseline_port, base_request)
        if app != base:
            print(f"app {app}\nbaseline {base}", file=sys.stderr)
            same = False
        answers.append(app["data"])
    result: dict[str, Any] = {"same_json": same, "answers": answers}
    result.update(await gallery.measure(requests, pids, options))
    return result


async def clients(options: argparse.Namespace) -> dict[str, Any]:
    plan = json.loads(options.plan)
    codes = codes_of(plan, CODES)
    work = await _read(
        options,
        [_graphql_request(QUERY, {"c": code}) for code in codes],
        [_baseline_request(f"/work?code={code}") for code in codes],
    )
    found = sum(answer["publicPuzzleWork"] is not None for answer in work.pop("answers"))
    if found != len(codes) - 1:
        raise SystemExit(f"only {found} of {len(codes) - 1} seeded codes were found")
    tokens = plan["tokens"]
    works = await _read(
        options,
        [_graphql_request(WORKS_QUERY, {}, token) for token in tokens],
        [_baseline_request("/works", token) for token in tokens],
    )
    pages = [answer["viewer"]["puzzleWorks"]["edges"] for answer in works.pop("answers")]
    if [len(edges) for edges in pages] != plan["viewer_works"]:
        raise SystemExit(f"listed {[len(edges) for edges in pages]}, seeded {plan['viewer_works']}")
    liked = {edge["node"]["viewerHasLiked"] for edges in pages for edge in edges}
    if liked != {True, False}:
        raise SystemExit(f"viewerHasLiked was only {liked}")
    task = await _read(
        options,
        [
            _graphql_request(ai_task.TASK_QUERY, {"id": task_id}, token)
            for task_id, token in zip(plan["tasks"], tokens, strict=True)
        ],
        [
            _baseline_request(f"/task?id={task_id}", token)
            for task_id, token in zip(plan["tasks"], tokens, strict=True)
        ],
    )
    shown = [len(answer["aiTask"]["chunks"]["edges"]) for answer in task.pop("answers")]
    if shown != [ai_task.FIRST] * len(tokens):
        raise SystemExit(f"chunks shown {shown}, expected {ai_task.FIRST} each")
    return {
        "same_json": work["same_json"] and works["same_json"] and task["same_json"],
        "codes": len(codes),
        "work": work,
        "works": works,
        "task": task,
    }


def _report(result: dict[str, Any]) -> None:
    work, works = result["work"], result["works"]
    print()
    print(
        f"== publicPuzzleWork: {result['plan']['profiles']} published puzzle works, a work "
        f"with its author by code, anonymous, cycling through {result['codes']} codes (one "
        f"unknown); {work['connections']} connections × {work['seconds']} s, best of "
        f"{work['rounds']} rounds"
    )
    gallery.print_numbers({**work, "workers": result["workers"]})
    print()
    print(
        f"== viewer {{ puzzleWorks(first: 20) }}: signed in, cycling through "
        f"{len(result['plan']['tokens'])} viewers with {min(result['plan']['viewer_works'])} "
        f"to {max(result['plan']['viewer_works'])} works each (some liked); the same "
        f"connections, seconds and rounds"
    )
    gallery.print_numbers({**works, "workers": result["workers"]})
    print()
    print(
        f"== aiTask {{ chunks(first: {ai_task.FIRST}) }}: signed in, cycling through "
        f"{len(result['plan']['tasks'])} viewers' tasks ({sum(s[2] for s in ai_task.STAGES)} "
        f"chunks in {len(ai_task.STAGES)} stages each); the same connections, seconds and rounds"
    )
    gallery.print_numbers({**result["task"], "workers": result["workers"]})


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
