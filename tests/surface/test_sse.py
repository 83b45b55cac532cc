"""GraphQL over SSE on /graphql: the protocol, refusals, limits, token ends, disconnects."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from resolvers.gallery.model import GALLERY_STREAM
from subscriptions.channels import stream_channel
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.sse import EventStream, streaming_client, subscribe_sse
from tests.waiting import subscribed, subscriber_count, unsubscribed

GALLERY = "subscription { galleryChanges(after: null) { sequence kind } }"
MY_EVENTS = "subscription { viewerAiTaskEvents(after: null) { sequence kind } }"
GALLERY_CHANNEL = stream_channel(GALLERY_STREAM)


@pytest.fixture
async def sse(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with streaming_client(app) as http:
        yield http


async def _ends_unauthenticated(stream: EventStream, within: float) -> None:
    name, data = await stream.event(timeout=within)
    assert name == "next"
    assert data["data"] is None
    assert [e["extensions"]["code"] for e in data["errors"]] == ["UNAUTHENTICATED"]
    assert await stream.event(timeout=within) == ("complete", None)


async def test_a_subscription_over_plain_http_is_a_406_saying_how(
    client: httpx.AsyncClient,
) -> None:
    for accept in (None, "application/json", "application/graphql-response+json"):
        headers = {"accept": accept} if accept else {}
        response = await client.post("/graphql", json={"query": GALLERY}, headers=headers)
        assert response.status_code == 406
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "NOT_ACCEPTABLE"
        assert "text/event-stream" in error["message"]
    response = await client.get("/graphql", params={"query": GALLERY})
    assert response.status_code == 406


async def test_a_query_over_sse_is_one_next_then_complete(sse: httpx.AsyncClient) -> None:
    user = await make_user("sue")
    async with subscribe_sse(sse, "{ viewer { username } }", token=user.access_token) as stream:
        assert await stream.event() == ("next", {"data": {"viewer": {"username": "sue"}}})
        assert await stream.event() == ("complete", None)
        assert stream.response.headers["cache-control"].startswith("no-cache")
        assert stream.response.headers["x-request-id"]


async def test_anonymous_callers_follow_public_streams_over_get(
    sse: httpx.AsyncClient,
) -> None:
    before = subscriber_count(GALLERY_CHANNEL)
    async with sse.stream(
        "GET", "/graphql", params={"query": GALLERY}, headers={"accept": "text/event-stream"}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        await subscribed(GALLERY_CHANNEL, before + 1)
    # and closing the response ends the operation: no follower is left behind
    await unsubscribed(GALLERY_CHANNEL, before)


async def test_private_streams_refuse_anonymous_callers_then_complete(
    sse: httpx.AsyncClient,
) -> None:
    async with subscribe_sse(sse, MY_EVENTS) as stream:
        await _ends_unauthenticated(stream, within=5)


async def test_logout_all_ends_the_users_streams_within_a_second(
    sse: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given two users following streams over SSE
    user, bystander = await make_user(), await make_user()
    before = subscriber_count(GALLERY_CHANNEL)
    async with (
        subscribe_sse(sse, GALLERY, token=user.access_token) as stream,
        subscribe_sse(sse, GALLERY, token=bystander.access_token) as other,
    ):
        await subscribed(GALLERY_CHANNEL, before + 2)
        # when the user logs out everywhere
        started = time.monotonic()
        await gql.execute(
            "mutation { authLogoutAll { endedSessionCount } }", token=user.access_token
        )
        # then the user's stream ends within a second: UNAUTHENTICATED, then complete
        await _ends_unauthenticated(stream, within=1)
        assert time.monotonic() - started < 1
        # and the other stays open
        with pytest.raises(TimeoutError):
            await other.event(timeout=0.2)
        await unsubscribed(GALLERY_CHANNEL, before + 1)


async def test_an_expiring_token_ends_the_stream(
    sse: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "2")
    get_settings.cache_clear()
    user = await make_user()
    before = subscriber_count(GALLERY_CHANNEL)
    async with subscribe_sse(sse, GALLERY, token=user.access_token) as stream:
        await _ends_unauthenticated(stream, within=4)
    await unsubscribed(GALLERY_CHANNEL, before)


@pytest.fixture
def two_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    """At most two SSE streams per user, for the app created after this fixture."""
    from settings import get_settings

    monkeypatch.setenv("MAX_SSE_STREAMS_PER_USER", "2")
    get_settings.cache_clear()


async def test_sse_streams_count_against_the_per_user_limit(
    two_streams: None, sse: httpx.AsyncClient
) -> None:
    # given a user with two open streams
    user, other = await make_user(), await make_user()
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {user.access_token}"}
    before = subscriber_count(GALLERY_CHANNEL)
    async with (
        subscribe_sse(sse, GALLERY, token=user.access_token),
        subscribe_sse(sse, GALLERY, token=user.access_token),
    ):
        # when they open a third: 429, nothing runs
        refused = await sse.post("/graphql", json={"query": GALLERY}, headers=headers)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_STREAMS"
        # and another user is not affected
        async with subscribe_sse(sse, GALLERY, token=other.access_token):
            await subscribed(GALLERY_CHANNEL, before + 3)
    # then closing streams gives the slots back
    async with (
        subscribe_sse(sse, GALLERY, token=user.access_token),
        subscribe_sse(sse, GALLERY, token=user.access_token),
    ):
        await subscribed(GALLERY_CHANNEL, before + 2)


async def test_validation_errors_over_sse_are_a_next_then_complete(
    sse: httpx.AsyncClient,
) -> None:
    async with subscribe_sse(sse, "subscription { noSuchField }") as stream:
        name, data = await stream.event()
        assert name == "next"
        assert data["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert await stream.event() == ("complete", None)
