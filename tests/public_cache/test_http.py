"""The public-response cache through the real ASGI app: anonymous requests share results,
signed-in ones never read nor fill it, change events drop what they change."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from db.tables.gallery import GalleryPublicWork
from schema.public_cache import PublicCache
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.fixtures import GraphQLClient

PAGE = "query Page($first: Int) { gallery(first: $first, order: HOT) { edges { node { workId title likeCount viewerHasLiked } } } }"
LIKE = "mutation($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) { errors { code } likeCount } }"


def _cache(app: Any) -> PublicCache:
    cache = app.state.public_cache
    assert isinstance(cache, PublicCache)
    return cache


async def _arrived(cache: PublicCache, after: int, timeout: float = 5) -> None:
    """Until a change event past generation `after` has reached the cache."""
    async with asyncio.timeout(timeout):
        while cache.generation <= after:
            await asyncio.sleep(0.005)


async def _published(app: Any, owner_user_id: str, title: str) -> str:
    """A work published, its PUBLISHED event arrived (it empties the cache)."""
    cache = _cache(app)
    generation = cache.generation
    work_id, _ = await publish(owner_user_id, title=title)
    await _arrived(cache, generation)
    return work_id


async def _retitle(work_id: str, title: str) -> None:
    """A change that emits no event (like a play): only the TTL or an event ends it."""
    await GalleryPublicWork.update({GalleryPublicWork.title: title}).where(
        GalleryPublicWork.entry_id == f"{TEST_PLAY_TYPE.value}:{work_id}"
    )


def _titles(body: dict[str, Any]) -> list[tuple[str, int, bool]]:
    return [
        (edge["node"]["title"], edge["node"]["likeCount"], edge["node"]["viewerHasLiked"])
        for edge in body["data"]["gallery"]["edges"]
    ]


async def _lookups(client: httpx.AsyncClient) -> dict[str, float]:
    text = (await client.get("/metrics")).text
    counts = {"hit": 0.0, "miss": 0.0}
    for family in text_string_to_metric_families(text):
        if family.name == "genarrative_public_cache_lookups":
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    counts[sample.labels["outcome"]] = sample.value
    return counts


async def test_anonymous_results_are_shared_until_a_change_event_arrives(
    app: Any, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a published work and an anonymous page of the gallery
    owner, fan = await make_user(), await make_user()
    work_id = await _published(app, owner.user_id, "Before")
    cache = _cache(app)
    first = await gql.execute(PAGE, {"first": 5})
    # when its row changes without an event and the same page is asked again
    await _retitle(work_id, "After")
    counts = await _lookups(client)
    again = await gql.execute(PAGE, {"first": 5})
    # then the cached result is served (a hit), the same bytes of data
    assert _titles(first) == _titles(again) == [("Before", 0, False)]
    assert (await _lookups(client))["hit"] == counts["hit"] + 1
    # when a fan likes the work (a gallery change event)
    generation = cache.generation
    liked = await gql.execute(
        LIKE, {"t": TEST_PLAY_TYPE.name, "w": work_id}, token=fan.access_token
    )
    assert liked["data"]["workLike"] == {"errors": [], "likeCount": 1}
    await _arrived(cache, generation)
    # then the next anonymous page is read again: the new title and like count
    assert _titles(await gql.execute(PAGE, {"first": 5})) == [("After", 1, False)]


async def test_signed_in_requests_neither_read_nor_fill_the_cache(
    app: Any, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a work, liked by a fan, and an anonymous page cached
    owner, fan = await make_user(), await make_user()
    work_id = await _published(app, owner.user_id, "Before")
    generation = _cache(app).generation
    await gql.execute(LIKE, {"t": TEST_PLAY_TYPE.name, "w": work_id}, token=fan.access_token)
    await _arrived(_cache(app), generation)
    assert _titles(await gql.execute(PAGE, {"first": 5})) == [("Before", 1, False)]
    await _retitle(work_id, "After")
    # when the fan asks the same page, then an anonymous caller again
    signed_in = await gql.execute(PAGE, {"first": 5}, token=fan.access_token)
    anonymous = await gql.execute(PAGE, {"first": 5})
    # then the fan read the database (and sees their like), the anonymous caller the cache
    assert _titles(signed_in) == [("After", 1, True)]
    assert _titles(anonymous) == [("Before", 1, False)]
    # when the fan asks a page nobody asked before, then an anonymous caller
    counts = await _lookups(client)
    await gql.execute(PAGE, {"first": 7}, token=fan.access_token)
    fresh = await gql.execute(PAGE, {"first": 7})
    # then the fan's result was not stored: the anonymous request missed
    assert _titles(fresh) == [("After", 1, False)]
    after = await _lookups(client)
    assert (after["hit"], after["miss"]) == (counts["hit"], counts["miss"] + 1)


async def test_any_authorization_header_bypasses_the_cache(
    app: Any, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given an anonymous page cached, then its row changed without an event
    owner = await make_user()
    work_id = await _published(app, owner.user_id, "Before")
    await gql.execute(PAGE, {"first": 5})
    await _retitle(work_id, "After")
    # when a request carries a refused token, or a malformed Authorization header
    refused = await client.post(
        "/graphql",
        json={"query": PAGE, "variables": {"first": 5}},
        headers={"Authorization": "Bearer not-a-token"},
    )
    malformed = await client.post(
        "/graphql", json={"query": PAGE, "variables": {"first": 5}}, headers={"Authorization": "x"}
    )
    # then both read the database
    assert _titles(refused.json()) == _titles(malformed.json()) == [("After", 0, False)]


async def test_errors_are_not_cached_and_private_fields_never_are(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a page asked with a malformed cursor (an error), and the viewer field
    counts = await _lookups(client)
    bad = 'query { gallery(after: "nonsense") { edges { cursor } } }'
    # when each is asked twice anonymously
    errors = [await gql.execute(bad) for _ in range(2)]
    viewers = [await gql.execute("{ viewer { id } }") for _ in range(2)]
    # then the errors come back each time, both misses; the viewer is never looked up
    assert [body["errors"][0]["extensions"]["code"] for body in errors] == ["BAD_USER_INPUT"] * 2
    assert [body["errors"][0]["extensions"]["code"] for body in viewers] == ["UNAUTHENTICATED"] * 2
    after = await _lookups(client)
    assert (after["hit"], after["miss"]) == (counts["hit"], counts["miss"] + 2)


async def test_a_get_request_is_served_from_the_cache_too(
    app: Any, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a page cached by a POST, then its row changed without an event
    owner = await make_user()
    work_id = await _published(app, owner.user_id, "Before")
    await gql.execute(PAGE, {"first": 5})
    await _retitle(work_id, "After")
    # when the same page is asked over GET
    response = await client.get("/graphql", params={"query": PAGE, "variables": '{"first": 5}'})
    # then it is the cached result, as JSON with its request id
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-request-id"]
    assert _titles(response.json()) == [("Before", 0, False)]


async def test_the_cache_can_be_switched_off(http_for: Any) -> None:
    # given an app with PUBLIC_CACHE_ENABLED=false and an anonymous page read once
    http = await http_for(PUBLIC_CACHE_ENABLED="false")
    assert http.app_under_test.state.public_cache is None
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, title="Before")
    first = (await http.post("/graphql", json={"query": PAGE, "variables": {"first": 5}})).json()
    # when its row changes without an event
    await _retitle(work_id, "After")
    again = (await http.post("/graphql", json={"query": PAGE, "variables": {"first": 5}})).json()
    # then the second read sees it
    assert (_titles(first), _titles(again)) == ([("Before", 0, False)], [("After", 0, False)])
