"""The date dimension: idempotent seeding and period queries (admins only)."""

from __future__ import annotations

from typing import Any

from db.tables.analytics import AnalyticsDateDimension
from resolvers.analytics.scopes import TrackingScope
from resolvers.analytics.tracking import record_event
from tests.factories.analytics import beijing
from tests.factories.auth import make_user
from tests.factories.economy import make_admin
from tests.fixtures import FakeClock, GraphQLClient

SEED = """
mutation($s: String!, $e: String!) { analyticsDateDimensionSeed(startDate: $s, endDate: $e) {
    errors { code field } startDateKey endDateKey dayCount insertedCount
} }
"""
DATES = """
query($p: AnalyticsPeriod!, $k: Int!) { analyticsDates(period: $p, key: $k) {
    calendarDate weekday isoWeekKey monthKey quarterKey yearKey
} }
"""
COUNTS = """
query($p: AnalyticsPeriod!, $k: Int!) {
    analyticsEventCounts(eventKey: "work_open", period: $p, key: $k) {
        total days { calendarDate count }
    }
}
"""


async def _days_between(start: str, end: str) -> int:
    Dimension = AnalyticsDateDimension
    return await Dimension.count().where(
        (Dimension.calendar_date >= start) & (Dimension.calendar_date <= end)
    )


async def _seed(gql: GraphQLClient, token: str, start: str, end: str) -> dict[str, Any]:
    result = await gql.execute(SEED, {"s": start, "e": end}, token=token)
    payload: dict[str, Any] = result["data"]["analyticsDateDimensionSeed"]
    return payload


async def test_seeding_is_idempotent_and_periods_are_queryable(gql: GraphQLClient) -> None:
    admin = await make_admin()
    # when 2024-12-25 … 2025-01-10 is seeded twice
    first = await _seed(gql, admin.access_token, "2024-12-25", "2025-01-10")
    again = await _seed(gql, admin.access_token, "2024-12-20", "2025-01-10")
    # then 17 days were added, then only the 5 new ones
    assert (first["dayCount"], first["insertedCount"], first["errors"]) == (17, 17, [])
    assert (again["dayCount"], again["insertedCount"]) == (22, 5)
    assert await _days_between("2024-12-20", "2025-01-10") == 22
    # and ISO week 2025-W01 is Monday 2024-12-30 to Sunday 2025-01-05
    week = (await gql.execute(DATES, {"p": "WEEK", "k": 202501}, token=admin.access_token))["data"][
        "analyticsDates"
    ]
    assert [(d["calendarDate"], d["weekday"]) for d in week] == [
        ("2024-12-30", 1),
        ("2024-12-31", 2),
        ("2025-01-01", 3),
        ("2025-01-02", 4),
        ("2025-01-03", 5),
        ("2025-01-04", 6),
        ("2025-01-05", 7),
    ]
    month = (await gql.execute(DATES, {"p": "MONTH", "k": 202501}, token=admin.access_token))[
        "data"
    ]["analyticsDates"]
    assert [d["calendarDate"] for d in month][0::9] == ["2025-01-01", "2025-01-10"]
    quarter = (await gql.execute(DATES, {"p": "QUARTER", "k": 20244}, token=admin.access_token))[
        "data"
    ]["analyticsDates"]
    assert len(quarter) == 12 and {d["quarterKey"] for d in quarter} == {20244}
    year = (await gql.execute(DATES, {"p": "YEAR", "k": 2025}, token=admin.access_token))["data"][
        "analyticsDates"
    ]
    assert len(year) == 10 and {d["yearKey"] for d in year} == {2025}


async def test_bad_ranges_are_refused_and_seed_nothing(gql: GraphQLClient) -> None:
    admin = await make_admin()
    before = await AnalyticsDateDimension.count()
    for start, end, code in [
        ("2025-01-10", "2025-01-01", "RANGE_INVALID"),
        ("2000-01-01", "2010-01-08", "RANGE_TOO_LONG"),
        ("2025-1-1", "2025-01-02", "DATE_INVALID"),
    ]:
        payload = await _seed(gql, admin.access_token, start, end)
        assert payload["errors"][0]["code"] == code
    assert await AnalyticsDateDimension.count() == before


async def test_the_largest_range_of_3660_days_is_accepted(gql: GraphQLClient) -> None:
    admin = await make_admin()
    payload = await _seed(gql, admin.access_token, "2030-01-01", "2040-01-08")
    assert (payload["dayCount"], payload["insertedCount"]) == (3660, 3660)


async def test_event_counts_per_week_come_from_the_daily_stats(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    admin = await make_admin()
    await _seed(gql, admin.access_token, "2024-12-30", "2025-01-05")
    for day, times in ((30, 2), (31, 1)):
        clock.current = beijing(2024, 12, day, 23, 30)
        for _ in range(times):
            await record_event(event_key="work_open", scope_kind=TrackingScope.WORK, scope_id="w")
    clock.current = beijing(2025, 1, 1, 0, 30)
    await record_event(event_key="work_open", scope_kind=TrackingScope.WORK, scope_id="w")
    result = await gql.execute(COUNTS, {"p": "WEEK", "k": 202501}, token=admin.access_token)
    counts = result["data"]["analyticsEventCounts"]
    assert counts["total"] == 4
    assert [d["count"] for d in counts["days"]] == [2, 1, 1, 0, 0, 0, 0]
    bad = await gql.execute(COUNTS, {"p": "MONTH", "k": 202513}, token=admin.access_token)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


ADMIN_OPERATIONS = [
    (SEED, {"s": "2025-01-01", "e": "2025-01-02"}),
    (DATES, {"p": "WEEK", "k": 202501}),
    (COUNTS, {"p": "WEEK", "k": 202501}),
]


async def test_analytics_admin_surfaces_refuse_anonymous_callers_and_users(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    before = await AnalyticsDateDimension.count()
    for operation, variables in ADMIN_OPERATIONS:
        anonymous = await gql.execute(operation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        plain = await gql.execute(operation, variables, token=user.access_token)
        assert plain["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await AnalyticsDateDimension.count() == before
