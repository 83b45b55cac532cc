"""The gallery feed over GraphQL: fields, filters, orders, keyset pages, statement counts."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import record_play
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, gallery_work_type, publish
from tests.fixtures import FakeClock, GraphQLClient

T0 = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 in Beijing

FEED = """
query($first: Int, $after: String, $order: GalleryOrder, $playType: PlayType, $theme: String) {
  gallery(first: $first, after: $after, order: $order, playType: $playType, theme: $theme) {
    edges { cursor node { workId } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
FULL = """
query($first: Int) { gallery(first: $first, order: NEWEST) { edges { node {
  __typename id workId playType title summary coverUrl theme tags publicationStatus
  playCount likeCount plays7d viewerHasLiked publishedAt
  author { id publicUserCode displayName avatarUrl }
} } } }
"""


async def _ids(gql: GraphQLClient, token: str | None = None, **variables: Any) -> list[str]:
    result = await gql.execute(FEED, variables, token=token)
    assert "errors" not in result, result
    return [edge["node"]["workId"] for edge in result["data"]["gallery"]["edges"]]


async def _play(work_id: str, times: int, now: datetime) -> None:
    for _ in range(times):
        await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=now)


async def test_a_feed_item_shows_the_work_its_author_and_counts(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published work with two plays and a like by the viewer
    clock.current = T0
    owner = await make_user("author_one")
    viewer = await make_user()
    work_id, _ = await publish(
        owner.user_id,
        title="Moon",
        summary="S",
        cover_image_src="https://c/x.png",
        theme="fantasy",
        tags=["a", "b"],
        now=T0,
    )
    await _play(work_id, 2, T0)
    like = await gql.execute(
        f'mutation {{ workLike(playType: {TEST_PLAY_TYPE.name}, workId: "{work_id}") {{ errors {{ code }} }} }}',
        token=viewer.access_token,
    )
    assert like["data"]["workLike"]["errors"] == []
    # when the viewer and an anonymous caller read the feed
    mine = await gql.execute(FULL, token=viewer.access_token)
    anonymous = await gql.execute(FULL)
    # then the item shows everything, with viewerHasLiked for the viewer only
    node = mine["data"]["gallery"]["edges"][0]["node"]
    assert node.pop("id") and node["author"].pop("id") and node["author"].pop("publicUserCode")
    assert node == {
        "__typename": gallery_work_type().__name__,
        "workId": work_id,
        "playType": TEST_PLAY_TYPE.name,
        "title": "Moon",
        "summary": "S",
        "coverUrl": "https://c/x.png",
        "theme": "fantasy",
        "tags": ["a", "b"],
        "publicationStatus": "PUBLISHED",
        "playCount": 2,
        "likeCount": 1,
        "plays7d": 2,
        "viewerHasLiked": True,
        "publishedAt": T0.isoformat(),
        "author": {"displayName": "author_one", "avatarUrl": None},
    }
    assert anonymous["data"]["gallery"]["edges"][0]["node"]["viewerHasLiked"] is False


async def test_the_feed_filters_by_play_type_and_theme(gql: GraphQLClient) -> None:
    # given works with two themes
    owner = await make_user()
    a, _ = await publish(owner.user_id, theme="sea", now=T0)
    b, _ = await publish(owner.user_id, theme="sky", now=T0 + timedelta(seconds=1))
    # when filtering
    by_theme = await _ids(gql, order="NEWEST", theme="sea")
    by_type = await _ids(gql, order="NEWEST", playType=TEST_PLAY_TYPE.name)
    other_type = await _ids(gql, order="NEWEST", playType="CUSTOM_WORLD")
    # then
    assert by_theme == [a]
    assert by_type == [b, a]
    assert other_type == []


async def test_orders_newest_most_liked_and_hot(gql: GraphQLClient, clock: FakeClock) -> None:
    # given three works: old and played most, middle and liked most, newest
    clock.current = T0
    owner = await make_user()
    fans = [await make_user() for _ in range(2)]
    old, _ = await publish(owner.user_id, now=T0 - timedelta(hours=3))
    middle, _ = await publish(owner.user_id, now=T0 - timedelta(hours=2))
    new, _ = await publish(owner.user_id, now=T0 - timedelta(hours=1))
    await _play(old, 3, T0)
    await _play(new, 1, T0)
    for fan in fans:
        await gql.execute(
            f'mutation {{ workLike(playType: {TEST_PLAY_TYPE.name}, workId: "{middle}") {{ liked }} }}',
            token=fan.access_token,
        )
    # when / then
    assert await _ids(gql, order="NEWEST") == [new, middle, old]
    assert await _ids(gql, order="MOST_LIKED") == [middle, new, old]
    assert await _ids(gql, order="HOT") == [old, new, middle]
    assert await _ids(gql) == [old, new, middle]  # HOT is the default


async def test_hot_counts_only_the_last_seven_beijing_days(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given work A played 5 times on day D, work B played twice on D+3
    clock.current = T0
    owner = await make_user()
    a, _ = await publish(owner.user_id, now=T0 - timedelta(hours=2))
    b, _ = await publish(owner.user_id, now=T0 - timedelta(hours=1))
    await _play(a, 5, T0)
    await _play(b, 2, T0 + timedelta(days=3))
    # when the feed is read on D+6 (both in the window), then on D+7 (A's plays left it)
    clock.current = T0 + timedelta(days=6)
    on_day_6 = await gql.execute("{ gallery { edges { node { workId plays7d } } } }")
    clock.current = T0 + timedelta(days=7)
    on_day_7 = await gql.execute("{ gallery { edges { node { workId plays7d playCount } } } }")
    # then the order and counts follow the window
    assert [e["node"] for e in on_day_6["data"]["gallery"]["edges"]] == [
        {"workId": a, "plays7d": 5},
        {"workId": b, "plays7d": 2},
    ]
    assert [e["node"] for e in on_day_7["data"]["gallery"]["edges"]] == [
        {"workId": b, "plays7d": 2, "playCount": 2},
        {"workId": a, "plays7d": 0, "playCount": 5},
    ]


async def test_cursors_walk_every_order_exactly_once(gql: GraphQLClient, clock: FakeClock) -> None:
    # given 9 works with repeated counts (ties broken by time, then id)
    clock.current = T0
    owner = await make_user()
    works = []
    for number in range(9):
        work_id, _ = await publish(owner.user_id, now=T0 - timedelta(minutes=number % 3))
        await _play(work_id, number % 2, T0)
        works.append(work_id)
    for order in ("HOT", "NEWEST", "MOST_LIKED"):
        whole = await _ids(gql, order=order, first=100)
        # when paging by 2
        seen: list[str] = []
        after = None
        while True:
            result = await gql.execute(FEED, {"first": 2, "after": after, "order": order})
            page = result["data"]["gallery"]
            seen += [edge["node"]["workId"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        # then the pages are the whole list, in order
        assert seen == whole and sorted(seen) == sorted(works), order


async def test_bad_cursors_and_page_sizes_are_refused(gql: GraphQLClient) -> None:
    owner = await make_user()
    await publish(owner.user_id, now=T0)
    await publish(owner.user_id, now=T0 + timedelta(seconds=1))
    newest = await gql.execute(FEED, {"first": 1, "order": "NEWEST"})
    cursor = newest["data"]["gallery"]["pageInfo"]["endCursor"]
    for variables in (
        {"after": "garbage"},
        {"after": cursor, "order": "HOT"},  # a NEWEST cursor
        {"first": 0},
        {"first": 101},
    ):
        result = await gql.execute(FEED, variables)
        assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", variables


async def test_paging_newest_while_100_works_are_published_returns_every_earlier_work_once(
    gql: GraphQLClient,
) -> None:
    # given 30 published works
    owner = await make_user()
    earlier = [(await publish(owner.user_id))[0] for _ in range(30)]
    # when a client pages NEWEST by 4 while 100 new works are published at the same time
    published = asyncio.Event()

    async def publish_100() -> None:
        for _ in range(100):
            await publish(owner.user_id)
            await asyncio.sleep(0)
        published.set()

    async def page_through() -> list[str]:
        first = await gql.execute(FEED, {"first": 4, "order": "NEWEST"})
        seen = [edge["node"]["workId"] for edge in first["data"]["gallery"]["edges"]]
        after = first["data"]["gallery"]["pageInfo"]["endCursor"]
        while after is not None:
            result = await gql.execute(FEED, {"first": 4, "after": after, "order": "NEWEST"})
            page = result["data"]["gallery"]
            seen += [edge["node"]["workId"] for edge in page["edges"]]
            after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
        return seen

    _, seen = await asyncio.gather(publish_100(), page_through())
    # then every earlier work came exactly once, newest first, after whatever new ones
    # the first page caught
    assert published.is_set()
    older = [work_id for work_id in seen if work_id in set(earlier)]
    assert older == list(reversed(earlier))
    assert len(seen) == len(set(seen))
    assert len(await _ids(gql, order="NEWEST", first=100)) == 100


async def _statements(gql: GraphQLClient, count_statements: Any, token: str, first: int) -> int:
    query = (
        "query($first: Int) { gallery(first: $first) { edges { cursor node { id workId title "
        "tags playCount likeCount plays7d viewerHasLiked author { displayName avatarUrl } } } "
        "pageInfo { hasNextPage endCursor } } }"
    )
    with count_statements() as counter:
        result = await gql.execute(query, {"first": first}, token=token)
    edges = result["data"]["gallery"]["edges"]
    assert len(edges) == first
    assert all(edge["node"]["author"]["displayName"] for edge in edges)
    return int(counter.count)


async def test_a_page_costs_the_same_statements_for_one_item_or_fifty(
    gql: GraphQLClient, count_statements: Any, clock: FakeClock
) -> None:
    # given 60 works by 60 authors, with plays today and last week and likes by the viewer
    clock.current = T0
    viewer = await make_user()
    for number in range(60):
        author = await make_user()
        work_id, _ = await publish(author.user_id, now=T0 - timedelta(days=9, minutes=number))
        await _play(work_id, 1, T0 - timedelta(days=8))
        await _play(work_id, number % 3, T0)
        if number % 2:
            await gql.execute(
                f'mutation {{ workLike(playType: {TEST_PLAY_TYPE.name}, workId: "{work_id}") {{ liked }} }}',
                token=viewer.access_token,
            )
    await _statements(gql, count_statements, viewer.access_token, 1)  # today's window roll
    # when pages of 1 and 50 items with authors, likes and 7-day plays are read
    one = await _statements(gql, count_statements, viewer.access_token, 1)
    fifty = await _statements(gql, count_statements, viewer.access_token, 50)
    # then both cost the same: the bearer check and one joined statement
    assert one == fifty == 2


async def test_works_built_outside_the_feed_load_their_extras_in_one_statement_each(
    count_statements: Any, clock: FakeClock
) -> None:
    # given 20 works read by key (as payloads, events and play types do)
    from resolvers.gallery.reading import works_by_keys
    from schema.gallery.loaders import GalleryLoaders
    from schema.gallery.work import Work, work_from_row

    clock.current = T0
    viewer = await make_user()
    keys = []
    for _ in range(20):
        author = await make_user()
        work_id, _ = await publish(author.user_id, now=T0 - timedelta(days=2))
        await _play(work_id, 1, T0 - timedelta(days=2))
        keys.append(f"{TEST_PLAY_TYPE.value}:{work_id}")
    rows = await works_by_keys(keys)
    # when building them without author columns, on a later day (stored plays are stale)
    loaders = GalleryLoaders(viewer_user_id=viewer.user_id, now=T0)
    works: list[Work] = []
    for key in keys:
        row = dataclasses.replace(rows[key], author=None)
        work = work_from_row(row, loaders)
        assert work is not None
        works.append(work)

    async def extras(work: Work) -> tuple[Any, ...]:
        # fields not in the row are deferred: each awaits its loader
        author = await work.author  # type: ignore[misc]
        return (author.display_name, await work.plays_7d, await work.viewer_has_liked)  # type: ignore[misc]

    with count_statements() as counter:
        values = await asyncio.gather(*(extras(work) for work in works))
    # then authors, 7-day plays and likes cost one statement each
    assert counter.count == 3
    assert all(plays == 1 and liked is False for _, plays, liked in values)
    assert PlayType(works[0].play_type) is TEST_PLAY_TYPE
