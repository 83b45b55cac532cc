"""Analytics types: recorded events, business days, event counts per day."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.analytics.calendar import Period
from resolvers.analytics.errors import AnalyticsErrorCode
from resolvers.analytics.model import DayKeys, TrackedEvent
from resolvers.analytics.scopes import TrackingScope as TrackingScope  # re-exported
from schema.gallery.work import work_object_id

strawberry.enum(AnalyticsErrorCode, description="Why an analytics mutation was refused.")
strawberry.enum(TrackingScope, description="What an event is about.")
strawberry.enum(Period, name="AnalyticsPeriod", description="A calendar period of business days.")


def scope_object_id(scope_kind: TrackingScope | None, scope_id: str | None) -> str | None:
    """The raw scope id named by `scope_id`: a WORK scope also takes a work's global id."""
    if scope_kind is TrackingScope.WORK and scope_id is not None:
        return work_object_id(scope_id)
    return scope_id


@strawberry.type(name="AnalyticsError", description="Why an analytics mutation did nothing.")
class AnalyticsErrorType:
    code: AnalyticsErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="A recorded tracking event.")
class TrackingEventType:
    id: strawberry.ID = strawberry.field(description="Event id (ULID).")
    event_key: str = strawberry.field(description="What happened.")
    scope_kind: TrackingScope = strawberry.field(description="What it is about.")
    scope_id: str = strawberry.field(description="Which site / work / module / user.")
    day_key: int = strawberry.field(
        description="Beijing business day: floor((occurred_at_micros + 8h) / 1 day)."
    )
    occurred_at: datetime = strawberry.field(description="When it was recorded (UTC).")

    @classmethod
    def from_event(cls, event: TrackedEvent) -> TrackingEventType:
        return cls(
            id=strawberry.ID(event.event_id),
            event_key=event.event_key,
            scope_kind=event.scope_kind,
            scope_id=event.scope_id,
            day_key=event.day_key,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="One business day (Beijing calendar) and its period keys.")
class AnalyticsDate:
    date_key: int = strawberry.field(description="Days since 1970-01-01 of the Beijing date.")
    calendar_date: str = strawberry.field(description="The date, YYYY-MM-DD.")
    weekday: int = strawberry.field(description="ISO weekday: 1 Monday … 7 Sunday.")
    iso_week_key: int = strawberry.field(description="ISO year × 100 + ISO week (202501).")
    week_start_date_key: int = strawberry.field(description="Date key of the week's Monday.")
    week_end_date_key: int = strawberry.field(description="Date key of the week's Sunday.")
    month_key: int = strawberry.field(description="Year × 100 + month (202402).")
    month_start_date_key: int = strawberry.field(description="First day of the month.")
    month_end_date_key: int = strawberry.field(description="Last day of the month.")
    quarter_key: int = strawberry.field(description="Year × 10 + quarter (20241).")
    quarter_start_date_key: int = strawberry.field(description="First day of the quarter.")
    quarter_end_date_key: int = strawberry.field(description="Last day of the quarter.")
    year_key: int = strawberry.field(description="The year (2024).")
    year_start_date_key: int = strawberry.field(description="1 January.")
    year_end_date_key: int = strawberry.field(description="31 December.")

    @classmethod
    def from_day(cls, day: DayKeys) -> AnalyticsDate:
        return cls(**{name: getattr(day, name) for name in cls.__annotations__})


@strawberry.type(description="How often an event happened on one business day.")
class AnalyticsDayCount:
    date_key: int = strawberry.field(description="The day's date key.")
    calendar_date: str = strawberry.field(description="The day, YYYY-MM-DD.")
    count: int = strawberry.field(description="Events recorded that day (0 when none).")


@strawberry.type(description="An event's daily counts over a week, month, quarter or year.")
class AnalyticsEventCounts:
    event_key: str = strawberry.field(description="The event counted.")
    total: int = strawberry.field(description="Sum over the period's seeded days.")
    days: list[AnalyticsDayCount] = strawberry.field(
        description="Every seeded day of the period, in date order (at most 366)."
    )
