"""Recording tracking events: raw row, daily stat, date dimension and task progress at once.

One transaction writes the event, bumps its `(event_key, scope, day)` stat with a single
upsert, ensures the day's dimension row and advances the user's tasks listening to the key,
so a stat never disagrees with the raw events.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from db.transactions import write_transaction
from resolvers import clock
from resolvers.analytics.calendar import day_key_of
from resolvers.analytics.dimension import ensure_day
from resolvers.analytics.errors import AnalyticsError, AnalyticsErrorCode
from resolvers.analytics.model import TrackedEvent
from resolvers.analytics.scopes import EVENT_KEY, EVENT_KEY_RULE, TrackingScope
from resolvers.analytics.store import bump_daily_stat, insert_event
from resolvers.economy.tasks import advance_task_progress
from resolvers.ids import new_id
from resolvers.principal import Principal

SCOPE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
OPTIONAL_ID_MAX = 64
METADATA_MAX_BYTES = 4096
SITE_SCOPE_ID = "site"
DAILY_LOGIN = "daily_login"
# Recorded by the server only: clients may not claim them (they drive task rewards).
RESERVED_EVENT_KEYS = frozenset({DAILY_LOGIN})


async def record_event(
    *,
    event_key: str,
    scope_kind: TrackingScope,
    scope_id: str,
    user_id: str | None = None,
    owner_user_id: str | None = None,
    profile_id: str | None = None,
    module_key: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> TrackedEvent:
    """Write one event and everything derived from it (joins the caller's transaction)."""
    now = clock.now()
    day_key = day_key_of(now)
    event = TrackedEvent(
        event_id=new_id(),
        event_key=event_key,
        scope_kind=scope_kind,
        scope_id=scope_id,
        day_key=day_key,
        user_id=user_id,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        module_key=module_key,
        metadata=metadata or {},
        occurred_at=now,
    )
    async with write_transaction():
        await ensure_day(day_key)
        await insert_event(event)
        await bump_daily_stat(event)
        if user_id is not None:
            await advance_task_progress(
                user_id=user_id, event_key=event_key, scope_kind=scope_kind.value, day_key=day_key
            )
    return event


def _optional_id(value: str | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not SCOPE_ID.match(value) or len(value) > OPTIONAL_ID_MAX:
        raise AnalyticsError(
            AnalyticsErrorCode.SCOPE_INVALID,
            f"`{field}` has 1 to {OPTIONAL_ID_MAX} letters, digits or `_.:-`.",
            field=field,
        )
    return value


def _scope_id(viewer: Principal, scope_kind: TrackingScope, scope_id: str | None) -> str:
    if scope_kind is TrackingScope.SITE:
        return SITE_SCOPE_ID
    if scope_kind is TrackingScope.USER:
        # A user-scoped event is always about the caller: never someone else.
        if viewer.user_id is None:
            raise AnalyticsError(
                AnalyticsErrorCode.SCOPE_INVALID,
                "Sign in to record user-scoped events.",
                field="scopeKind",
            )
        return viewer.user_id
    if scope_id is None or not SCOPE_ID.match(scope_id):
        raise AnalyticsError(
            AnalyticsErrorCode.SCOPE_INVALID,
            "Work and module scopes need a `scopeId` of 1 to 128 letters, digits or `_.:-`.",
            field="scopeId",
        )
    return scope_id


async def record_client_event(
    *,
    viewer: Principal,
    event_key: str,
    scope_kind: TrackingScope,
    scope_id: str | None = None,
    owner_user_id: str | None = None,
    profile_id: str | None = None,
    module_key: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> TrackedEvent:
    """An event sent by a client (anonymous or signed in; the user is always the caller)."""
    if not EVENT_KEY.match(event_key):
        raise AnalyticsError(
            AnalyticsErrorCode.EVENT_KEY_INVALID,
            f"Event keys have {EVENT_KEY_RULE}.",
            field="eventKey",
        )
    if event_key in RESERVED_EVENT_KEYS:
        raise AnalyticsError(
            AnalyticsErrorCode.EVENT_KEY_RESERVED,
            f"`{event_key}` is recorded by the server only.",
            field="eventKey",
        )
    if metadata is not None and len(orjson.dumps(metadata)) > METADATA_MAX_BYTES:
        raise AnalyticsError(
            AnalyticsErrorCode.METADATA_TOO_LARGE,
            f"Metadata is limited to {METADATA_MAX_BYTES} bytes of JSON.",
            field="metadata",
        )
    return await record_event(
        event_key=event_key,
        scope_kind=scope_kind,
        scope_id=_scope_id(viewer, scope_kind, scope_id),
        user_id=viewer.user_id,
        owner_user_id=_optional_id(owner_user_id, "ownerUserId"),
        profile_id=_optional_id(profile_id, "profileId"),
        module_key=_optional_id(module_key, "moduleKey"),
        metadata=metadata,
    )


async def record_sign_in(*, user_id: str, provider: str) -> None:
    """The `daily_login` event of a sign-in (in the sign-in's transaction)."""
    await record_event(
        event_key=DAILY_LOGIN,
        scope_kind=TrackingScope.USER,
        scope_id=user_id,
        user_id=user_id,
        metadata={"provider": provider},
    )
