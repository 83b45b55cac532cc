"""What a tracking event records and how it is written (docs/domain.md, "Analytics and
tasks"): the MODULE scope, the optional ids and metadata read back, and one transaction for
the raw event and its daily stat."""

from __future__ import annotations

import pytest

from db.tables.analytics import AnalyticsDateDimension, TrackingDailyStat, TrackingEvent
from resolvers.analytics import tracking
from resolvers.analytics.calendar import day_key_of
from resolvers.analytics.scopes import TrackingScope
from resolvers.analytics.tracking import record_client_event
from tests.factories.analytics import beijing
from tests.factories.auth import make_user
from tests.fixtures import FakeClock


async def test_a_module_scoped_event_is_recorded_and_counted_under_the_module_scope(
    clock: FakeClock,
) -> None:
    # given a signed-in user at 10:00 Beijing time
    clock.current = beijing(2025, 3, 4, 10, 0)
    user = await make_user()
    # when they record two MODULE-scoped events of the home banner
    for _ in range(2):
        await record_client_event(
            viewer=user.principal,
            event_key="banner.click",
            scope_kind=TrackingScope.MODULE,
            scope_id="home.banner",
        )
    # then the raw events and the daily stat carry the module scope
    events = await TrackingEvent.select(TrackingEvent.scope_kind, TrackingEvent.scope_id).where(
        TrackingEvent.event_key == "banner.click"
    )
    assert events == [{"scope_kind": "module", "scope_id": "home.banner"}] * 2
    # (`count` is both a column and a Table method: select whole rows)
    stats = [
        {key: row[key] for key in ("event_key", "scope_kind", "scope_id", "day_key", "count")}
        for row in await TrackingDailyStat.select().where(
            TrackingDailyStat.event_key == "banner.click"
        )
    ]
    assert stats == [
        {
            "event_key": "banner.click",
            "scope_kind": "module",
            "scope_id": "home.banner",
            "day_key": day_key_of(beijing(2025, 3, 4)),
            "count": 2,
        }
    ]


async def test_owner_profile_module_and_metadata_of_an_event_read_back() -> None:
    # given a user
    user = await make_user()
    # when they record a WORK-scoped event naming its owner, profile, module and metadata
    await record_client_event(
        viewer=user.principal,
        event_key="work.open",
        scope_kind=TrackingScope.WORK,
        scope_id="work-7",
        owner_user_id="owner-1",
        profile_id="profile-7",
        module_key="gallery.hot",
        metadata={"source": "feed", "position": 3, "tags": ["a", "b"]},
    )
    # then the stored row reads back every one of them, the user being the caller
    rows = (
        await TrackingEvent.select(
            TrackingEvent.user_id,
            TrackingEvent.owner_user_id,
            TrackingEvent.profile_id,
            TrackingEvent.module_key,
            TrackingEvent.metadata_json,
        )
        .where(TrackingEvent.event_key == "work.open")
        .output(load_json=True)
    )
    assert rows == [
        {
            "user_id": user.user_id,
            "owner_user_id": "owner-1",
            "profile_id": "profile-7",
            "module_key": "gallery.hot",
            "metadata_json": {"source": "feed", "position": 3, "tags": ["a", "b"]},
        }
    ]


async def test_a_failed_event_write_leaves_neither_the_raw_event_nor_its_daily_stat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a user, and a fault after the raw event and its stat are written
    user = await make_user()
    before = (
        await TrackingEvent.count(),
        len(await TrackingDailyStat.select()),
        await AnalyticsDateDimension.count(),
    )

    async def broken(**_: object) -> None:
        raise RuntimeError("task progress failed")

    monkeypatch.setattr(tracking, "advance_task_progress", broken)
    # when they record an event
    with pytest.raises(RuntimeError, match="task progress failed"):
        await record_client_event(
            viewer=user.principal, event_key="page.view", scope_kind=TrackingScope.USER
        )
    # then the transaction left no raw event, no daily stat and no new day
    assert await TrackingEvent.count().where(TrackingEvent.event_key == "page.view") == 0
    assert await TrackingDailyStat.select().where(TrackingDailyStat.event_key == "page.view") == []
    assert before == (
        await TrackingEvent.count(),
        len(await TrackingDailyStat.select()),
        await AnalyticsDateDimension.count(),
    )
