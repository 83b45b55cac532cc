"""Analytics mutations: record an event (users), seed the date dimension (admins)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.analytics import dimension, tracking
from resolvers.analytics.calendar import MAX_SEED_DAYS
from resolvers.analytics.scopes import TrackingScope
from resolvers.errors import BadUserInput
from schema.analytics.types import AnalyticsErrorType, TrackingEventType, scope_object_id
from schema.auth.user import User
from schema.context import Info
from schema.gallery.work import work_object_id
from schema.ids import optional_object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAdmin, IsAuthenticated

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.input(description="One tracking event sent by a client.")
class TrackingEventRecordInput:
    event_key: str = strawberry.field(
        description="1 to 64 lower-case letters, digits or `_.:-`; `daily_login` is reserved "
        "(recorded by sign-in)."
    )
    scope_kind: TrackingScope = strawberry.field(description="What the event is about.")
    scope_id: str | None = strawberry.field(
        default=None,
        description="Which work (its `workId` or global `id`) or module (required for "
        "those); ignored for `SITE` and `USER` (always the caller).",
    )
    owner_user_id: str | None = strawberry.field(
        default=None, description="Owner of the work involved (or a `User.id`), ≤ 64 characters."
    )
    profile_id: str | None = strawberry.field(
        default=None, description="Profile (work) involved (or a work's `id`), ≤ 64 characters."
    )
    module_key: str | None = strawberry.field(
        default=None, description="Module involved, ≤ 64 characters."
    )
    metadata: JSON | None = strawberry.field(
        default=None, description="A JSON object, at most 4 KiB serialized."
    )


@strawberry.type(description="Result of `trackingEventRecord`.")
class TrackingEventRecordPayload:
    errors: list[AnalyticsErrorType] = strawberry.field(description=ERRORS)
    event: TrackingEventType | None = strawberry.field(description="The event, on success.")


@strawberry.type(description="Result of `analyticsDateDimensionSeed`.")
class AnalyticsDateDimensionSeedPayload:
    errors: list[AnalyticsErrorType] = strawberry.field(description=ERRORS)
    start_date_key: int | None = strawberry.field(description="Date key of the first day.")
    end_date_key: int | None = strawberry.field(description="Date key of the last day.")
    day_count: int | None = strawberry.field(description="Days in the range.")
    inserted_count: int | None = strawberry.field(
        description="Days that were missing and were added (0 on a repeat)."
    )


@strawberry.type
class AnalyticsMutation:
    @strawberry.mutation(
        description="Record an event for the signed-in caller: raw row, daily stat, date "
        "dimension and task progress in one transaction.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def tracking_event_record(
        self,
        info: Info,
        input: Annotated[TrackingEventRecordInput, strawberry.argument(description="The event.")],
    ) -> TrackingEventRecordPayload:
        if input.metadata is not None and not isinstance(input.metadata, dict):
            raise BadUserInput("`metadata` must be a JSON object.")
        event = await tracking.record_client_event(
            viewer=info.context.principal,
            event_key=input.event_key,
            scope_kind=input.scope_kind,
            scope_id=scope_object_id(input.scope_kind, input.scope_id),
            owner_user_id=optional_object_id(input.owner_user_id, User),
            profile_id=None if input.profile_id is None else work_object_id(input.profile_id),
            module_key=input.module_key,
            metadata=input.metadata,
        )
        return TrackingEventRecordPayload(errors=[], event=TrackingEventType.from_event(event))

    @strawberry.mutation(
        description=f"Ensure every business day of a closed date range exists (at most "
        f"{MAX_SEED_DAYS} days); idempotent. Admins only.",
        permission_classes=[IsAdmin],
        extensions=[DomainErrorPayload()],
    )
    async def analytics_date_dimension_seed(
        self,
        start_date: Annotated[str, strawberry.argument(description="First day, YYYY-MM-DD.")],
        end_date: Annotated[
            str, strawberry.argument(description="Last day (included), YYYY-MM-DD.")
        ],
    ) -> AnalyticsDateDimensionSeedPayload:
        seeded = await dimension.seed_range(start_date=start_date, end_date=end_date)
        return AnalyticsDateDimensionSeedPayload(
            errors=[],
            start_date_key=seeded.start_date_key,
            end_date_key=seeded.end_date_key,
            day_count=seeded.day_count,
            inserted_count=seeded.inserted_count,
        )
