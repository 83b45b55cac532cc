"""The fast path against the normal executor, byte for byte.

Every gallery query of the test suite (collected from the test modules' sources) and
randomized selections over the plan's public fields (fixed seed) run against two apps on
the same data and clock: one with the fast path (the default), one with it off. Their
response bodies must be the same bytes, anonymous and signed in, on first and later pages.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from graphql import FieldNode, OperationDefinitionNode, parse

from resolvers.assets.objects import read_path
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import record_play
from schema.plan.allowlist import TYPE_FIELDS, WORK_FIELDS
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.fixtures import FakeClock
from tests.plan.compare import same_bytes
from tests.plan.conftest import graphql_view

T0 = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)
TESTS = Path(__file__).resolve().parents[1]
SEED = 17


def suite_gallery_queries() -> list[str]:
    """Every string literal of the test suite that is a GraphQL query selecting `gallery`."""
    found: set[str] = set()
    for path in sorted(TESTS.rglob("test_*.py")):
        if path.parent.name == "plan":
            continue
        for literal in re.findall(r'"""(.*?)"""|"(\{ gallery\(.*?)"', path.read_text(), re.S):
            text = next(part for part in literal if part)
            try:
                document = parse(text)
            except Exception:
                continue
            for definition in document.definitions:
                if (
                    isinstance(definition, OperationDefinitionNode)
                    and definition.operation.value == "query"
                    and any(
                        isinstance(selection, FieldNode) and selection.name.value == "gallery"
                        for selection in definition.selection_set.selections
                    )
                ):
                    found.add(text)
    # Built with string concatenation in the feed's statement-count test:
    found.add(
        "query($first: Int) { gallery(first: $first) { edges { cursor node { id workId title "
        "tags playCount likeCount plays7d viewerHasLiked author { displayName avatarUrl } } } "
        "pageInfo { hasNextPage endCursor } } }"
    )
    return sorted(found)


async def _world(gql_post: Any, clock: FakeClock) -> list[TestUser]:
    """Works of the test play type and of real play types (their own cover rules), by
    authors with and without avatars, with plays on several days and likes."""
    clock.current = T0
    authors = [await make_user(f"author_{number}") for number in range(3)]
    fan = await make_user("fan")
    kinds = [TEST_PLAY_TYPE, PlayType.PUZZLE, PlayType.CUSTOM_WORLD, PlayType.MATCH3D]
    work_ids: list[tuple[PlayType, str]] = []
    for number in range(12):
        play_type = kinds[number % len(kinds)]
        work_id, _ = await publish(
            authors[number % 3].user_id,
            play_type=play_type,
            title=f"Work {number} \u00e9\u6f22 \U0001f600",
            summary=f"Summary {number}" if number % 5 else "",
            # URLs, asset paths (each play type's cover rule signs them) and none
            cover_image_src=(
                f"{read_path('')}cover-{number}",
                f"https://c/{number}.png",
                None,
            )[number % 3],
            theme=("sea", "sky", None)[number % 3],
            tags=[f"t{number}", "shared"][: number % 3],
            now=T0 - timedelta(hours=number),
        )
        work_ids.append((play_type, work_id))
    for number, (play_type, work_id) in enumerate(work_ids):
        for day in range(number % 4):
            await record_play(play_type=play_type, work_id=work_id, now=T0 + timedelta(days=day))
    for play_type, work_id in work_ids[::3]:
        liked = await gql_post(
            "mutation($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) { liked } }",
            {"t": play_type.name, "w": work_id},
            fan.access_token,
        )
        assert liked["data"]["workLike"]["liked"] is True
    # Read two days later: stored 7-day plays of earlier days are stale (loaded instead).
    clock.current = T0 + timedelta(days=2)
    return [*authors, fan]


def _random_work(rng: random.Random, depth: int = 0) -> str:
    names = sorted(WORK_FIELDS - {"author"})
    chosen = rng.sample(names, rng.randint(1, len(names)))
    parts = []
    for name in chosen:
        parts.append(f"a{rng.randint(0, 9)}: {name}" if rng.random() < 0.15 else name)
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
        return f"... on {rng.choice(['PuzzleWork', 'CustomWorldWork'])} {{ {body} }} workId"
    if wrap < 0.5:
        return "...W"  # the named fragment, appended by the caller
    return body


def random_queries(count: int) -> list[tuple[str, dict[str, Any]]]:
    """Random selections over the allowed public fields, with random arguments."""
    rng = random.Random(SEED)
    queries = []
    for _ in range(count):
        node = _random_work(rng)
        fragment = ""
        if node == "...W":
            fragment = f" fragment W on Work {{ {_random_work(rng).replace('...W', 'title')} }}"
        lists = []
        if rng.random() < 0.8:
            lists.append(f"edges {{ cursor node {{ {node} }} }}")
        if rng.random() < 0.4 or not lists:
            lists.append(f"nodes {{ {node} }}")
        if rng.random() < 0.7:
            page = rng.sample(["hasNextPage", "endCursor"], rng.randint(1, 2))
            lists.append(f"pageInfo {{ {' '.join(page)} }}")
        rng.shuffle(lists)
        alias = "feed: " if rng.random() < 0.2 else ""
        query = (
            "query($first: Int, $after: String, $order: GalleryOrder, $playType: PlayType, "
            f"$theme: String) {{ {alias}gallery(first: $first, after: $after, order: $order, "
            f"playType: $playType, theme: $theme) {{ {' '.join(lists)} }} }}{fragment}"
        )
        variables: dict[str, Any] = {
            "first": rng.choice([1, 2, 3, 5, 20, None]),
            "order": rng.choice(["HOT", "NEWEST", "MOST_LIKED", None]),
        }
        if rng.random() < 0.2:
            variables["playType"] = rng.choice(["PUZZLE", "CUSTOM_WORLD", TEST_PLAY_TYPE.name])
        if rng.random() < 0.2:
            variables["theme"] = rng.choice(["sea", "sky", "none"])
        queries.append((query, variables))
    return queries


async def _post(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.json()


async def test_every_gallery_query_of_the_suite_gives_the_same_bytes(
    app: Any, client: httpx.AsyncClient, normal_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # given works of several play types, likes and plays, and the suite's gallery queries
    async def post(query: str, variables: dict[str, Any], token: str | None) -> Any:
        return await _post(client, query, variables, token)

    users = await _world(post, clock)
    queries = suite_gallery_queries()
    assert len(queries) >= 12
    view = graphql_view(app)
    # when each runs through the fast path and the normal executor, anonymous and signed in
    served_before = view.fast_path.served
    for query in queries:
        for token in (None, users[-1].access_token):
            for variables in ({}, {"first": 2, "order": "NEWEST"}):
                await same_bytes(client, normal_client, query, variables, token)
    # then every response was the same bytes, and the plans served the plain ones
    assert view.fast_path.served - served_before >= 4 * 4


async def test_random_selections_give_the_same_bytes_on_every_page(
    app: Any, client: httpx.AsyncClient, normal_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # given the same world and 60 random selections over the allowed fields (seed 17)
    async def post(query: str, variables: dict[str, Any], token: str | None) -> Any:
        return await _post(client, query, variables, token)

    users = await _world(post, clock)
    view = graphql_view(app)
    served_before = view.fast_path.served
    rng = random.Random(SEED)
    # when each runs on its first page and the next, anonymous or signed in
    for query, variables in random_queries(60):
        token = users[-1].access_token if rng.random() < 0.5 else None
        first = await same_bytes(client, normal_client, query, variables, token)
        cursor = re.search(rb'"endCursor":"([^"]+)"', first)
        if cursor is not None:
            await same_bytes(
                client, normal_client, query, {**variables, "after": cursor[1].decode()}, token
            )
    # then all were the same bytes, and every one of them was served by a plan
    assert view.fast_path.served - served_before >= 60
