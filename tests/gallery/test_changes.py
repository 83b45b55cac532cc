"""`galleryChanges` over WebSocket: public, replay after a cursor, then live, each once."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx

from resolvers.gallery.likes import like_work
from resolvers.gallery.model import GALLERY_STREAM
from subscriptions.channels import stream_channel
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish, unpublish
from tests.waiting import subscribed, subscribing
from tests.ws import GraphQLSocket, graphql_socket

CHANGES = """
subscription($after: Int) { galleryChanges(after: $after) {
  sequence kind playType workId likeCount occurredAt
  work { workId title likeCount viewerHasLiked author { displayName } }
} }
"""


async def _changes(socket: GraphQLSocket, count: int, timeout: float = 5) -> list[dict[str, Any]]:
    payloads = await socket.next_payloads(count, timeout=timeout)
    for payload in payloads:
        assert "errors" not in payload, payload
    return [payload["data"]["galleryChanges"] for payload in payloads]


async def test_an_anonymous_subscriber_sees_publish_update_like_and_unpublish_live(
    client: httpx.AsyncClient,
) -> None:
    # given an anonymous socket subscribed to new changes
    owner = await make_user("gallery_author")
    fan = await make_user()
    async with graphql_socket(client, None) as socket:
        async with subscribing(stream_channel(GALLERY_STREAM)):
            await socket.subscribe(CHANGES)
        # when a work is published, updated, liked and unpublished
        work_id, _ = await publish(owner.user_id, title="First")
        await publish(owner.user_id, work_id=work_id, title="Second")
        await like_work(viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=work_id)
        await unpublish(work_id)
        changes = await _changes(socket, 4)
    # then the four changes arrive in order; the work is read when delivered
    assert [(c["sequence"], c["kind"], c["workId"], c["likeCount"]) for c in changes] == [
        (1, "PUBLISHED", work_id, None),
        (2, "UPDATED", work_id, None),
        (3, "LIKE_COUNT_CHANGED", work_id, 1),
        (4, "UNPUBLISHED", work_id, None),
    ]
    assert all(c["playType"] == TEST_PLAY_TYPE.name for c in changes)
    works = [c["work"] for c in changes]
    assert works[-1] is None
    for work in works[:-1]:
        assert work is None or (
            work["author"] == {"displayName": "gallery_author"} and work["viewerHasLiked"] is False
        )


async def test_a_cursor_replays_exactly_the_rest_then_follows_live(
    client: httpx.AsyncClient,
) -> None:
    # given five published works (sequences 1..5)
    owner = await make_user()
    fan = await make_user()
    works = [(await publish(owner.user_id, title=f"W{n}"))[0] for n in range(5)]
    # when a signed-in fan subscribes after 2, then one more change happens
    async with graphql_socket(client, fan.access_token) as socket:
        await socket.subscribe(CHANGES, {"after": 2})
        replayed = await _changes(socket, 3)
        await subscribed(stream_channel(GALLERY_STREAM))
        await like_work(viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=works[0])
        live = await _changes(socket, 1)
    # then 3, 4, 5 were replayed with their works, then 6 arrived live
    assert [(c["sequence"], c["kind"], c["workId"]) for c in replayed] == [
        (3, "PUBLISHED", works[2]),
        (4, "PUBLISHED", works[3]),
        (5, "PUBLISHED", works[4]),
    ]
    assert [c["work"]["title"] for c in replayed] == ["W2", "W3", "W4"]
    assert [(c["sequence"], c["kind"], c["likeCount"]) for c in live] == [
        (6, "LIKE_COUNT_CHANGED", 1)
    ]
    assert live[0]["work"]["viewerHasLiked"] is True


async def test_a_cursor_beyond_the_stream_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_user()
    await publish(owner.user_id)
    async with graphql_socket(client, None) as socket:
        await socket.subscribe(CHANGES, {"after": 2})
        (refused,) = await socket.next_payloads(1)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_reconnecting_while_writers_race_delivers_every_sequence_once(
    client: httpx.AsyncClient,
) -> None:
    # given three writers publishing 20 works each and liking them, all at once
    owner = await make_user()
    fans = [await make_user() for _ in range(3)]
    chooser = random.Random(20261123)
    writers, works_per_writer = 3, 20
    total = writers * works_per_writer * 2

    async def writer(number: int) -> None:
        for _ in range(works_per_writer):
            work_id, _ = await publish(owner.user_id)
            await like_work(
                viewer=fans[number].principal, play_type=TEST_PLAY_TYPE, work_id=work_id
            )
            await asyncio.sleep(chooser.random() * 0.004)

    # and an anonymous client that reads a few changes, drops the socket and resumes
    async def reader() -> tuple[list[int], int]:
        received: list[int] = []
        reconnections = 0
        while not received or received[-1] < total:
            async with graphql_socket(client, None) as socket:
                reconnections += 1
                cursor = received[-1] if received else 0
                await socket.subscribe(CHANGES, {"after": cursor})
                wanted = min(chooser.randint(1, 12), total - cursor)
                received += [c["sequence"] for c in await _changes(socket, wanted, timeout=10)]
        return received, reconnections

    async with asyncio.timeout(60):
        (received, reconnections), *_ = await asyncio.gather(
            reader(), *(writer(number) for number in range(writers))
        )
    # then every sequence arrived exactly once, in order
    assert received == list(range(1, total + 1))
    assert reconnections >= 10
