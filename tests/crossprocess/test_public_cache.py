"""The public-response cache across two processes on PostgreSQL and Redis: once a change's
event has arrived at a process, that process serves no older result.

Runs in the PostgreSQL run of the suite (the processes share its database).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.tables.gallery import GalleryPublicWork
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.redis_server import RedisServer
from tests.servers import Server, serve
from tests.ws import graphql_socket

PAGE = "query Page { gallery(first: 5, order: HOT) { edges { node { workId title likeCount } } } }"
LIKE = "mutation($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) { likeCount } }"
UNLIKE = "mutation($t: PlayType!, $w: ID!) { workUnlike(playType: $t, workId: $w) { likeCount } }"
CHANGES = "subscription { galleryChanges(after: 0) { sequence kind likeCount } }"


@pytest.fixture
async def two_servers(
    postgres_only: None,
    own_redis: RedisServer,
    tmp_path: Path,
) -> AsyncIterator[tuple[Server, Server]]:
    # A Redis of the test's own (no other run's gallery events on it), and a long TTL: only
    # the events may end an entry during the test.
    settings = {"BROADCAST_URL": own_redis.url, "PUBLIC_CACHE_TTL_SECONDS": "300"}
    servers = [
        await serve(tmp_path / "writer.log", **settings),
        await serve(tmp_path / "reader.log", **settings),
    ]
    try:
        yield servers[0], servers[1]
    finally:
        for server in servers:
            await server.terminate()


async def _page(client: httpx.AsyncClient, server: Server) -> list[tuple[str, int]]:
    body: dict[str, Any] = (
        await client.post(f"{server.base}/graphql", json={"query": PAGE})
    ).json()
    return [(e["node"]["title"], e["node"]["likeCount"]) for e in body["data"]["gallery"]["edges"]]


async def test_once_a_change_event_arrives_the_other_process_serves_no_older_result(
    two_servers: tuple[Server, Server],
) -> None:
    writer, reader = two_servers
    # given a published work whose anonymous page both processes have cached
    owner, fan = await make_user(), await make_user()
    work_id, _ = await publish(owner.user_id, title="Title 0")
    key = f"{TEST_PLAY_TYPE.value}:{work_id}"
    variables = {"t": TEST_PLAY_TYPE.name, "w": work_id}
    auth = {"Authorization": f"Bearer {fan.access_token}"}
    async with httpx.AsyncClient(timeout=10) as client:
        assert await _page(client, reader) == await _page(client, writer) == [("Title 0", 0)]
        # and an anonymous subscriber of the changes on the reader, past the publication
        async with graphql_socket(client, None, url=f"{reader.base}/graphql") as changes:
            await changes.subscribe(CHANGES)
            assert (await changes.next_payloads(1))[0]["data"]["galleryChanges"]["sequence"] == 1
            for round_number in range(1, 7):
                # when the row changes without an event (the reader still serves its copy)
                title = f"Title {round_number}"
                await GalleryPublicWork.update({GalleryPublicWork.title: title}).where(
                    GalleryPublicWork.entry_id == key
                )
                stale = await _page(client, reader)
                assert stale[0][0] == f"Title {round_number - 1}"
                # and the fan likes or unlikes it through the writer
                mutation = LIKE if round_number % 2 else UNLIKE
                response = await client.post(
                    f"{writer.base}/graphql",
                    json={"query": mutation, "variables": variables},
                    headers=auth,
                )
                assert "errors" not in response.json(), response.text
                count = round_number % 2
                # then once its event has arrived at the reader
                (event,) = await changes.next_payloads(1)
                assert event["data"]["galleryChanges"] == {
                    "sequence": round_number + 1,
                    "kind": "LIKE_COUNT_CHANGED",
                    "likeCount": count,
                }
                # the reader serves the new row at once, and so does the writer
                assert await _page(client, reader) == [(title, count)]
                assert await _page(client, writer) == [(title, count)]


async def test_concurrent_anonymous_reads_and_likes_end_on_the_latest_count(
    two_servers: tuple[Server, Server],
) -> None:
    writer, reader = two_servers
    # given a published work
    owner = await make_user()
    fans = [await make_user() for _ in range(6)]
    work_id, _ = await publish(owner.user_id, title="Busy")
    variables = {"t": TEST_PLAY_TYPE.name, "w": work_id}
    async with httpx.AsyncClient(timeout=10) as client:
        async with graphql_socket(client, None, url=f"{reader.base}/graphql") as changes:
            await changes.subscribe(CHANGES)
            await changes.next_payloads(1)  # the publication

            async def like(token: str) -> None:
                await client.post(
                    f"{writer.base}/graphql",
                    json={"query": LIKE, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"},
                )

            # when six fans like it while anonymous pages are read on both processes
            await asyncio.gather(
                *(like(fan.access_token) for fan in fans),
                *(_page(client, server) for server in (reader, writer) * 10),
            )
            # then once the six events have arrived, both serve the count of six
            events = await changes.next_payloads(6)
            assert sorted(e["data"]["galleryChanges"]["likeCount"] for e in events) == [
                1,
                2,
                3,
                4,
                5,
                6,
            ]
            assert await _page(client, reader) == [("Busy", 6)]
            assert await _page(client, writer) == [("Busy", 6)]
