"""/metrics through the real app: scraped and parsed with prometheus_client's parser.

Metric values live for the whole test process (every app of the run records into the
same collectors), so each test compares a scrape after its actions with one before.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from settings import Settings
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.sse import streaming_client, subscribe_sse
from tests.waiting import eventually
from tests.ws import graphql_socket

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
REQUESTS = "genarrative_graphql_requests_total"
LATENCY_COUNT = "genarrative_graphql_request_duration_seconds_count"
VIEWER = "{ viewer { username } }"


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def labels_of(samples: Samples, name: str, label: str) -> set[str]:
    return {dict(key)[label] for key_name, key in samples if key_name == name}


async def test_operations_are_counted_by_root_field_and_outcome(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # Given a signed-in user and a scrape before anything is asked
    user = await make_user("mira")
    before = await scrape(client)

    # When they read `viewer` twice, anonymously once (a field error), send a document
    # that does not parse, a mutation refused as data, introspect, and send a body that is
    # not JSON
    for _ in range(2):
        assert (await gql.execute(VIEWER, token=user.access_token))["data"] == {
            "viewer": {"username": "mira"}
        }
    assert (await gql.execute(VIEWER))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "errors" in await gql.execute("{ viewer { username ")
    refused = await gql.execute(
        'mutation { authLogin(input: {username: "mira", password: "wrong password"})'
        " { errors { code } } }"
    )
    assert refused["data"]["authLogin"]["errors"] == [{"code": "INVALID_CREDENTIALS"}]
    assert "data" in await gql.execute("{ __schema { queryType { name } } }")
    malformed = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    after = await scrape(client)

    # Then each counter moved by exactly what was sent
    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta(REQUESTS, operation="viewer", outcome="ok") == 2
    assert delta(REQUESTS, operation="viewer", outcome="graphql_error") == 1
    assert delta(REQUESTS, operation="authLogin", outcome="ok") == 1
    assert delta(REQUESTS, operation="other", outcome="request_error") == 2
    assert delta(REQUESTS, operation="introspection", outcome="ok") == 1
    assert delta(REQUESTS, operation="viewer", outcome="internal_error") == 0
    assert delta(LATENCY_COUNT, operation="viewer") == 3
    assert delta(LATENCY_COUNT, operation="authLogin") == 1
    assert labels_of(after, REQUESTS, "outcome") <= {
        "ok",
        "graphql_error",
        "request_error",
        "internal_error",
    }


async def test_operation_names_never_become_labels(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # Given a scrape before
    user = await make_user()
    before = await scrape(client)

    # When 50 requests carry random operation names: 25 read `viewer`, 25 ask for a root
    # field the schema does not have, and one names an operation its document lacks
    names = [f"Op{secrets.token_hex(6)}" for _ in range(50)]
    for index, name in enumerate(names):
        field = "viewer { username }" if index % 2 == 0 else f"{name.lower()} {{ id }}"
        body = {"query": f"query {name} {{ {field} }}", "operationName": name}
        response = await client.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {user.access_token}"}
        )
        assert response.status_code == 200
    unknown = await client.post(
        "/graphql", json={"query": "query Known { viewer { id } }", "operationName": "Unknown"}
    )
    assert "data" not in unknown.json()
    after = await scrape(client)

    # Then the random names appear nowhere: they count as `viewer` or `other`
    assert (
        value(after, REQUESTS, operation="viewer", outcome="ok")
        - value(before, REQUESTS, operation="viewer", outcome="ok")
        == 25
    )
    assert (
        value(after, REQUESTS, operation="other", outcome="request_error")
        - value(before, REQUESTS, operation="other", outcome="request_error")
        == 26
    )
    new_labels = labels_of(after, REQUESTS, "operation") - labels_of(before, REQUESTS, "operation")
    assert new_labels <= {"viewer", "other"}
    text = (await client.get("/metrics")).text
    assert not any(name in text or name.lower() in text for name in names)


async def test_sockets_and_subscriptions_are_gauged_while_open(
    client: httpx.AsyncClient,
) -> None:
    # Given a scrape before
    before = await scrape(client)
    sockets = value(before, "genarrative_websockets_open")
    active = value(before, "genarrative_subscriptions_active", field="galleryChanges")
    ended = value(before, REQUESTS, operation="galleryChanges", outcome="ok")

    async def probe() -> Samples:
        return await scrape(client)

    # When a socket opens and subscribes to the gallery's changes
    async with graphql_socket(client, None) as socket:
        opened = await probe()
        await socket.subscribe("subscription { galleryChanges(after: 0) { sequence } }")
        # Then the socket is counted, and the subscription once it runs
        assert value(opened, "genarrative_websockets_open") == sockets + 1
        await eventually(
            probe,
            lambda s: (
                value(s, "genarrative_subscriptions_active", field="galleryChanges") == active + 1
            ),
        )

    # And when the socket closes, both fall back, and the subscription counts as ended
    closed = await eventually(
        probe,
        lambda s: (
            value(s, "genarrative_websockets_open") == sockets
            and value(s, "genarrative_subscriptions_active", field="galleryChanges") == active
        ),
    )
    assert value(closed, REQUESTS, operation="galleryChanges", outcome="ok") == ended + 1


async def test_sse_streams_are_gauged_while_open(app: Any, client: httpx.AsyncClient) -> None:
    # Given a scrape before
    before = await scrape(client)
    streams = value(before, "genarrative_sse_streams_open")
    active = value(before, "genarrative_subscriptions_active", field="galleryChanges")

    async def probe() -> Samples:
        return await scrape(client)

    # When a GraphQL-over-SSE subscription is open, then it is counted twice over
    subscription = "subscription { galleryChanges(after: 0) { sequence } }"
    async with streaming_client(app) as sse, subscribe_sse(sse, subscription):
        await eventually(
            probe,
            lambda s: (
                value(s, "genarrative_sse_streams_open") == streams + 1
                and value(s, "genarrative_subscriptions_active", field="galleryChanges")
                == active + 1
            ),
        )

    # And when the client goes away, both fall back
    await eventually(
        probe,
        lambda s: (
            value(s, "genarrative_sse_streams_open") == streams
            and value(s, "genarrative_subscriptions_active", field="galleryChanges") == active
        ),
    )


async def test_bus_messages_record_their_delivery_lag(client: httpx.AsyncClient) -> None:
    # Given the app's hub and a subscriber on a channel
    from subscriptions.bus import current_hub

    hub = current_hub()
    assert hub is not None
    before = value(await scrape(client), "genarrative_bus_delivery_lag_seconds_count")

    # When three messages are published and received
    async with hub.subscribe("metrics-test") as subscription:
        for number in range(3):
            await hub.publish("metrics-test", {"n": number})
        received = [await asyncio.wait_for(subscription.get(), 5) for _ in range(3)]

    # Then subscribers see the messages as published, and the lag was observed 3 times
    assert received == [{"n": 0}, {"n": 1}, {"n": 2}]
    after = await scrape(client)
    assert value(after, "genarrative_bus_delivery_lag_seconds_count") == before + 3


async def test_the_queue_depth_and_the_pool_are_read_at_scrape_time() -> None:
    # Given two generations waiting for a worker (no lease owner), one whose worker's lease
    # expired (waiting for a takeover), and one held by a live worker
    from datetime import UTC, datetime, timedelta

    from db.tables.ai_tasks import AiTasksWorkerLease

    now = datetime.now(UTC)
    await AiTasksWorkerLease.insert(
        AiTasksWorkerLease(task_id="queued-1"),
        AiTasksWorkerLease(task_id="queued-2"),
        AiTasksWorkerLease(
            task_id="stalled", lease_owner="worker-a", lease_expires_at=now - timedelta(hours=1)
        ),
        AiTasksWorkerLease(
            task_id="running", lease_owner="worker-b", lease_expires_at=now + timedelta(hours=1)
        ),
    )

    # When /metrics is scraped (an app without lifespan: no worker of its own claims them),
    # once while a transaction holds a connection and once after
    from db.tables.auth import UserAccount

    async with plain_client(Settings()) as http:
        async with UserAccount._meta.db.transaction():
            await UserAccount.raw("SELECT 1")
            during = await scrape(http)
        after = await scrape(http)

    # Then the queue depth is 3, and the pool shows the held connection, then none
    assert value(during, "genarrative_ai_task_queue_depth") == 3
    assert value(during, "genarrative_db_pool_max_connections") == 20  # the tests' pool
    assert value(during, "genarrative_db_pool_connections", state="in_use") == 1
    assert value(after, "genarrative_db_pool_connections", state="in_use") == 0
    assert value(after, "genarrative_db_pool_connections", state="idle") >= 1
    assert ("genarrative_ai_task_lease_takeovers_total", frozenset()) in after


@contextlib.asynccontextmanager
async def plain_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app built with `settings`, without its lifespan (no bus, no worker)."""
    from app import create_app

    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_a_metrics_token_refuses_scrapes_without_it() -> None:
    # Given METRICS_TOKEN set
    async with plain_client(Settings(metrics_token="scrape-secret")) as http:
        # When scraped without the token, with a wrong one, and with it
        missing = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await http.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})

        # Then only the right token gets metrics; refusals carry none
        assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
        assert missing.headers["www-authenticate"] == 'Bearer realm="metrics"'
        assert "genarrative_" not in missing.text + wrong.text
        names = {family.name for family in text_string_to_metric_families(right.text)}
        assert "genarrative_graphql_requests" in names


async def test_metrics_can_be_switched_off() -> None:
    # Given METRICS_ENABLED=false, when /metrics is asked for, then there is no such route
    async with plain_client(Settings(metrics_enabled=False)) as http:
        assert (await http.get("/metrics")).status_code == 404
