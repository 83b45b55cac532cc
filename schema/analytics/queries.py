"""Analytics queries (admins): business days and event counts by week/month/quarter/year."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.analytics import dimension
from resolvers.analytics.calendar import Period
from resolvers.analytics.errors import AnalyticsError
from resolvers.analytics.scopes import TrackingScope
from resolvers.errors import BadUserInput
from schema.analytics.types import (
    AnalyticsDate,
    AnalyticsDayCount,
    AnalyticsEventCounts,
    scope_object_id,
)
from schema.permissions import IsAdmin

PERIOD = "Which kind of period `key` names."
KEY = "202501 (ISO week), 202402 (month), 20241 (quarter) or 2024 (year)."


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(
        description="The seeded business days of one period, in date order. Admins only; "
        "BAD_USER_INPUT for a malformed key.",
        permission_classes=[IsAdmin],
    )
    async def analytics_dates(
        self,
        period: Annotated[Period, strawberry.argument(description=PERIOD)],
        key: Annotated[int, strawberry.argument(description=KEY)],
    ) -> list[AnalyticsDate]:
        try:
            rows = await dimension.days_of_period(period=period, key=key)
        except AnalyticsError as error:
            raise BadUserInput(error.message) from error
        return [AnalyticsDate.from_day(day) for day in rows]

    @strawberry.field(
        description="An event's daily counts (from the daily stats) over one period's seeded "
        "days. Admins only.",
        permission_classes=[IsAdmin],
    )
    async def analytics_event_counts(
        self,
        event_key: Annotated[str, strawberry.argument(description="The event to count.")],
        period: Annotated[Period, strawberry.argument(description=PERIOD)],
        key: Annotated[int, strawberry.argument(description=KEY)],
        scope_kind: Annotated[
            TrackingScope | None, strawberry.argument(description="Only this scope kind.")
        ] = None,
        scope_id: Annotated[
            str | None,
            strawberry.argument(description="Only this scope id (WORK: a work's `id` too)."),
        ] = None,
    ) -> AnalyticsEventCounts:
        try:
            rows = await dimension.event_counts(
                event_key=event_key,
                period=period,
                key=key,
                scope_kind=scope_kind.value if scope_kind else None,
                scope_id=scope_object_id(scope_kind, scope_id),
            )
        except AnalyticsError as error:
            raise BadUserInput(error.message) from error
        days = [
            AnalyticsDayCount(
                date_key=day.date_key, calendar_date=day.calendar_date, count=day.count
            )
            for day in rows
        ]
        return AnalyticsEventCounts(
            event_key=event_key, total=sum(day.count for day in days), days=days
        )
