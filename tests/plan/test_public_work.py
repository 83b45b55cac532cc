"""`publicPuzzleWork` (a public work with its author) through its plan, byte for byte: on
rows (schema/plan/public_work.py), on objects when the row plan steps aside, and with the
statements the row plan promises."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import record_play
from resolvers.play_types.registry import plugin_for
from schema.build import build_schema
from schema.plan import public_work
from schema.plan.allowlist import TYPE_FIELDS, WORK_FIELDS
from schema.plan.fast_path import FastPath
from schema.plan.roots import ROOTS
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.fixtures import FakeClock, GraphQLClient
from tests.plan.compare import same_bytes
from tests.plan.conftest import graphql_view

PUBLIC = (
    "query($c: String!) { publicPuzzleWork(publicWorkCode: $c) { __typename id workId "
    "playType title summary coverUrl theme tags publicationStatus playCount likeCount "
    "publishedAt plays7d viewerHasLiked author { __typename id publicUserCode displayName "
    "avatarUrl } } }"
)
MIXED = "query($c: String!) { publicPuzzleWork(publicWorkCode: $c) { title levels { name } } }"
T0 = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
SEED = 23


async def _published(gql: GraphQLClient, owner: TestUser) -> tuple[str, str]:
    """A published puzzle of `owner`: its work id and public code."""
    plugin = plugin_for(PlayType.PUZZLE)
    assert plugin is not None
    work = await ready_work(plugin, gql, owner)
    await plugin.publish(viewer=owner.principal, work_id=work.work_id)
    found = await gql.execute(
        "query($w: ID!) { puzzleWork(workId: $w) { publicWorkCode } }",
        {"w": work.work_id},
        token=owner.access_token,
    )
    return work.work_id, found["data"]["puzzleWork"]["publicWorkCode"]


async def _world(gql: GraphQLClient, clock: FakeClock) -> tuple[list[str], TestUser]:
    """Two published puzzles, plays on several days (stale and fresh), a like by
    the reader; read two days later, so stored 7-day plays of earlier days are stale."""
    clock.current = T0
    owner = await make_user("puzzler_\u00e9\u6f22")
    reader = await make_user()
    liked_id, liked_code = await _published(gql, owner)
    plain_id, plain_code = await _published(gql, owner)
    for day in range(3):
        await record_play(play_type=PlayType.PUZZLE, work_id=liked_id, now=T0 + timedelta(days=day))
    await record_play(play_type=PlayType.PUZZLE, work_id=plain_id, now=T0)
    liked = await gql.execute(
        "mutation($w: ID!) { workLike(playType: PUZZLE, workId: $w) { liked } }",
        {"w": liked_id},
        token=reader.access_token,
    )
    assert liked["data"]["workLike"]["liked"] is True
    clock.current = T0 + timedelta(days=2, hours=1)
    return [liked_code, plain_code, "PZNOSUCHCODE"], reader


def _random_selection(rng: random.Random) -> str:
    names = sorted(WORK_FIELDS - {"author"})
    parts = [
        f"a{rng.randint(0, 9)}_{name}: {name}" if rng.random() < 0.15 else name
        for name in rng.sample(names, rng.randint(1, len(names)))
    ]
    if rng.random() < 0.7:
        user = rng.sample(sorted(TYPE_FIELDS["User"]), rng.randint(1, 4))
        if rng.random() < 0.3:
            user.append("__typename")
        parts.insert(rng.randint(0, len(parts)), f"author {{ {' '.join(user)} }}")
    if rng.random() < 0.5:
        parts.append("__typename")
    body = " ".join(parts)
    wrap = rng.random()
    if wrap < 0.2:
        return f"... on Work {{ {body} }}"
    if wrap < 0.35:
        return f"... on PuzzleWork {{ {body} }} workId"
    if wrap < 0.5:
        return f"...W @@ fragment W on Work {{ {body} }}"  # the caller moves the fragment
    return body


def random_queries(count: int) -> list[str]:
    """Random selections over PuzzleWork's allowed fields (fixed seed)."""
    rng = random.Random(SEED)
    queries = []
    for _ in range(count):
        alias = "found: " if rng.random() < 0.2 else ""
        selection, _, fragment = _random_selection(rng).partition(" @@ ")
        queries.append(
            f"query($c: String!) {{ {alias}publicPuzzleWork(publicWorkCode: $c) "
            f"{{ {selection} }} }} {fragment}".strip()
        )
    return queries


def test_a_public_work_is_planned_on_rows() -> None:
    # given a fast path over the schema, when the public work's selection is compiled
    plan = FastPath(build_schema_for_test()).compile(PUBLIC, None)
    # then its step reads rows (no PuzzleWork)
    assert [step.entry for step in plan.steps] == [public_work.public_work_rows]


def build_schema_for_test() -> Any:
    from settings import get_settings

    return build_schema(get_settings())


async def test_a_public_work_with_its_author_gives_the_same_bytes(
    app: Any,
    gql: GraphQLClient,
    client: httpx.AsyncClient,
    normal_client: httpx.AsyncClient,
    clock: FakeClock,
) -> None:
    # given published puzzles with stale and fresh plays, a like, and a clock that stands
    # still (a cover's signed URL carries its expiry second)
    codes, reader = await _world(gql, clock)
    view = graphql_view(app)
    served = view.fast_path.served
    # when each is read by its code (lower case too, and an unknown code), anonymous and
    # signed in
    for variables in ({"c": codes[0]}, {"c": codes[1].lower()}, {"c": codes[2]}):
        for token in (None, reader.access_token):
            body = await same_bytes(client, normal_client, PUBLIC, variables, token)
            # then the row plan's bytes are the executor's
            if variables["c"] != codes[2]:
                assert '"displayName":"puzzler_\u00e9\u6f22"'.encode() in body
            await same_bytes(client, normal_client, MIXED, variables, token)
    # and the plain selection was served by its plan after its first execution (12 requests
    # on the fast app), the one with levels never
    assert view.fast_path.served - served == 11


async def test_random_selections_give_the_same_bytes(
    app: Any,
    gql: GraphQLClient,
    client: httpx.AsyncClient,
    normal_client: httpx.AsyncClient,
    clock: FakeClock,
) -> None:
    # given the same world and 40 random selections over PuzzleWork's allowed fields
    codes, reader = await _world(gql, clock)
    view = graphql_view(app)
    served = view.fast_path.served
    rng = random.Random(SEED)
    # when each reads a random code, anonymous or signed in
    for query in random_queries(40):
        token = reader.access_token if rng.random() < 0.5 else None
        await same_bytes(client, normal_client, query, {"c": rng.choice(codes)}, token)
    # then all were the same bytes, and every one was served by a plan (its second request
    # at least)
    assert view.fast_path.served - served >= 40


async def test_the_object_plan_serves_what_the_row_plan_does_not(
    app: Any,
    gql: GraphQLClient,
    client: httpx.AsyncClient,
    normal_client: httpx.AsyncClient,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a row plan that steps aside (no work type it knows for puzzles)
    monkeypatch.setattr(public_work, "work_type_for", lambda play_type: None)
    plan = FastPath(build_schema_for_test()).compile(PUBLIC, None)
    assert [step.entry for step in plan.steps] == [ROOTS["publicPuzzleWork"]]
    codes, reader = await _world(gql, clock)
    view = graphql_view(app)
    served = view.fast_path.served
    # when the works are read, then the object plan's bytes are the executor's too
    for code in codes:
        for token in (None, reader.access_token):
            await same_bytes(client, normal_client, PUBLIC, {"c": code}, token)
    assert view.fast_path.served - served == 11


async def test_a_public_work_on_rows_costs_two_statements(
    app: Any, gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given a published puzzle played today (its stored 7-day plays are exact), read once
    # (executed, then planned)
    clock.current = T0
    owner = await make_user()
    work_id, code = await _published(gql, owner)
    await record_play(play_type=PlayType.PUZZLE, work_id=work_id, now=T0)
    await gql.execute(PUBLIC, {"c": code})
    served = graphql_view(app).fast_path.served
    # when it is read anonymously through the plan
    with count_statements() as counter:
        result = await gql.execute(PUBLIC, {"c": code})
    # then the plan served it with two statements: the profile by its code, the read-model
    # row with its author (the object path runs four: the row, plays and author apart)
    assert result["data"]["publicPuzzleWork"]["plays7d"] == 1
    assert graphql_view(app).fast_path.served == served + 1
    assert counter.count == 2
