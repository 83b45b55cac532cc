"""Recording events: raw row, daily stat and date dimension in one transaction."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.tables.analytics import AnalyticsDateDimension, TrackingDailyStat, TrackingEvent
from resolvers.analytics.calendar import day_key_of
from resolvers.analytics.errors import AnalyticsError, AnalyticsErrorCode
from resolvers.analytics.scopes import TrackingScope
from resolvers.analytics.tracking import record_client_event, record_event
from tests.factories.analytics import beijing
from tests.factories.auth import make_user
from tests.fixtures import FakeClock, GraphQLClient

RECORD = """
mutation($i: TrackingEventRecordInput!) { trackingEventRecord(input: $i) {
    errors { code field } event { eventKey scopeKind scopeId dayKey }
} }
"""


async def _stats() -> list[dict[str, Any]]:
    return await TrackingDailyStat.select().order_by(TrackingDailyStat.day_key)


async def test_events_either_side_of_beijing_midnight_land_on_two_days(clock: FakeClock) -> None:
    # given an event at 23:59 and two at 00:00 and 00:01 Beijing time
    clock.current = beijing(2025, 1, 1, 23, 59)
    await record_event(event_key="work_open", scope_kind=TrackingScope.WORK, scope_id="w1")
    clock.current = beijing(2025, 1, 2, 0, 0)
    await record_event(event_key="work_open", scope_kind=TrackingScope.WORK, scope_id="w1")
    clock.advance(minutes=1)
    await record_event(event_key="work_open", scope_kind=TrackingScope.WORK, scope_id="w1")
    # then two stats with exact counts and first/last times, and both days exist
    day = day_key_of(beijing(2025, 1, 1))
    stats = await _stats()
    assert [(s["day_key"], s["count"]) for s in stats] == [(day, 1), (day + 1, 2)]
    assert stats[1]["first_occurred_at"] == beijing(2025, 1, 2, 0, 0)
    assert stats[1]["last_occurred_at"] == beijing(2025, 1, 2, 0, 1)
    days = await AnalyticsDateDimension.select(
        AnalyticsDateDimension.date_key, AnalyticsDateDimension.calendar_date
    ).order_by(AnalyticsDateDimension.date_key)
    assert days == [
        {"date_key": day, "calendar_date": "2025-01-01"},
        {"date_key": day + 1, "calendar_date": "2025-01-02"},
    ]
    assert await TrackingEvent.count() == 3


async def test_concurrent_events_are_all_counted() -> None:
    # when 25 events of the same key and scope are recorded at once
    await asyncio.gather(
        *[
            record_event(event_key="tap", scope_kind=TrackingScope.SITE, scope_id="site")
            for _ in range(25)
        ]
    )
    # then the daily stat says 25, like the raw table
    assert [s["count"] for s in await _stats()] == [25]
    assert await TrackingEvent.count() == 25


async def test_clients_cannot_record_the_server_only_daily_login() -> None:
    user = await make_user()
    before = await TrackingEvent.count()
    with pytest.raises(AnalyticsError) as refused:
        await record_client_event(
            viewer=user.principal, event_key="daily_login", scope_kind=TrackingScope.USER
        )
    assert refused.value.code is AnalyticsErrorCode.EVENT_KEY_RESERVED
    assert await TrackingEvent.count() == before


async def test_a_user_scoped_event_is_always_about_the_caller(gql: GraphQLClient) -> None:
    # given two users; alice names bob's id as the scope
    alice = await make_user()
    bob = await make_user()
    result = await gql.execute(
        RECORD,
        {
            "i": {
                "eventKey": "profile_view",
                "scopeKind": "USER",
                "scopeId": bob.user_id,
                "metadata": {"from": "tab"},
            }
        },
        token=alice.access_token,
    )
    # then the event is about alice
    event = result["data"]["trackingEventRecord"]["event"]
    assert (event["scopeKind"], event["scopeId"]) == ("USER", alice.user_id)
    row = await TrackingEvent.select().where(TrackingEvent.event_key == "profile_view").first()
    assert row is not None and row["user_id"] == alice.user_id


async def test_bad_events_are_payload_errors_and_write_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    before = await TrackingEvent.count()
    cases = [
        ({"eventKey": "Bad Key", "scopeKind": "SITE"}, "EVENT_KEY_INVALID"),
        ({"eventKey": "daily_login", "scopeKind": "USER"}, "EVENT_KEY_RESERVED"),
        ({"eventKey": "work_open", "scopeKind": "WORK"}, "SCOPE_INVALID"),
        (
            {"eventKey": "x", "scopeKind": "SITE", "metadata": {"a": "b" * 5000}},
            "METADATA_TOO_LARGE",
        ),
    ]
    for variables, code in cases:
        result = await gql.execute(RECORD, {"i": variables}, token=user.access_token)
        assert result["data"]["trackingEventRecord"]["errors"][0]["code"] == code
    assert await TrackingEvent.count() == before


async def test_recording_refuses_anonymous_callers(gql: GraphQLClient) -> None:
    result = await gql.execute(RECORD, {"i": {"eventKey": "tap", "scopeKind": "SITE"}})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await TrackingEvent.count() == 0
