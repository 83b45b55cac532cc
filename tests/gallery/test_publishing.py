"""The contract the play types call: publish_work, unpublish_work, record_play."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from db.tables.gallery import (
    GalleryChangeEvent,
    GalleryPublicWork,
    PublicWorkLike,
    PublicWorkPlayDailyStat,
)
from db.tables.realtime import RealtimeStreamEvent
from db.transactions import write_transaction
from resolvers.gallery.errors import GalleryError, GalleryErrorCode
from resolvers.gallery.model import GALLERY_STREAM, beijing_day
from resolvers.gallery.publishing import publish_work, record_play, unpublish_work
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish, read_model, unpublish

T0 = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


async def test_first_publication_writes_the_read_model_and_a_published_event() -> None:
    # given a user
    owner = await make_user()
    # when a play type publishes a work
    work_id, entries = await publish(
        owner.user_id,
        title="  Moon Maze ",
        summary="A maze",
        cover_image_src="https://cdn/c.png",
        theme="fantasy",
        tags=["maze", "moon", "maze"],
        now=T0,
    )
    # then the read model holds what the feed shows
    row = await read_model(work_id)
    assert row is not None
    assert (row["entry_id"], row["play_type"], row["work_id"]) == (
        f"{TEST_PLAY_TYPE.value}:{work_id}",
        TEST_PLAY_TYPE.value,
        work_id,
    )
    assert (row["owner_user_id"], row["title"], row["summary"]) == (
        owner.user_id,
        "Moon Maze",
        "A maze",
    )
    assert (row["cover_image_src"], row["theme"]) == ("https://cdn/c.png", "fantasy")
    assert row["published_at"] == T0 and row["updated_at"] == T0
    assert (row["play_count"], row["like_count"], row["plays_7d"]) == (0, 0, 0)
    # and one PUBLISHED event numbered 1 in the gallery stream
    assert [(e.stream, e.sequence, e.kind) for e in entries] == [(GALLERY_STREAM, 1, "published")]
    event = await GalleryChangeEvent.select().first()
    assert event is not None
    assert (event["event_id"], event["event_kind"], event["play_type"], event["work_id"]) == (
        entries[0].event_id,
        "published",
        TEST_PLAY_TYPE.value,
        work_id,
    )


async def test_publishing_again_updates_and_keeps_the_first_publication_time() -> None:
    # given a published work
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, title="Old", theme="a", now=T0)
    # when it is published again an hour later
    later = T0 + timedelta(hours=1)
    _, entries = await publish(owner.user_id, work_id=work_id, title="New", theme="b", now=later)
    # then the row is updated in place and the event is UPDATED
    row = await read_model(work_id)
    assert row is not None
    assert (row["title"], row["theme"], row["published_at"], row["updated_at"]) == (
        "New",
        "b",
        T0,
        later,
    )
    assert [(e.sequence, e.kind) for e in entries] == [(2, "updated")]
    assert await GalleryPublicWork.count() == 1


async def test_unpublishing_removes_the_row_once() -> None:
    # given a published work
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, now=T0)
    # when it is unpublished twice
    first = await unpublish(work_id, now=T0)
    second = await unpublish(work_id, now=T0)
    # then the row is gone, one UNPUBLISHED event was written, the second call wrote nothing
    assert await read_model(work_id) is None
    assert [(e.sequence, e.kind) for e in first] == [(2, "unpublished")]
    assert second == []
    assert await GalleryChangeEvent.count() == 2
    assert await RealtimeStreamEvent.count() == 2


async def test_publish_and_unpublish_refuse_to_run_outside_a_transaction() -> None:
    owner = await make_user()
    with pytest.raises(RuntimeError):
        await publish_work(
            play_type=TEST_PLAY_TYPE,
            work_id="w1",
            owner_user_id=owner.user_id,
            title="T",
            summary="",
            cover_image_src=None,
            theme=None,
            tags=[],
            now=T0,
        )
    with pytest.raises(RuntimeError):
        await unpublish_work(play_type=TEST_PLAY_TYPE, work_id="w1", now=T0)
    assert await GalleryPublicWork.count() == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, GalleryErrorCode.TITLE_INVALID),
        ({"title": "x" * 201}, GalleryErrorCode.TITLE_INVALID),
        ({"summary": "x" * 2001}, GalleryErrorCode.SUMMARY_INVALID),
        ({"theme": "x" * 65}, GalleryErrorCode.THEME_INVALID),
        ({"tags": [f"t{i}" for i in range(21)]}, GalleryErrorCode.TAGS_INVALID),
        ({"tags": ["x" * 33]}, GalleryErrorCode.TAGS_INVALID),
        ({"work_id": "a:b"}, GalleryErrorCode.WORK_ID_INVALID),
    ],
)
async def test_values_the_feed_cannot_show_are_refused_and_nothing_is_written(
    fields: dict[str, object], code: GalleryErrorCode
) -> None:
    # given a user
    owner = await make_user()
    arguments: dict[str, object] = {
        "play_type": TEST_PLAY_TYPE,
        "work_id": "w1",
        "owner_user_id": owner.user_id,
        "title": "T",
        "summary": "",
        "cover_image_src": None,
        "theme": None,
        "tags": [],
        "now": T0,
    } | fields
    # when publishing invalid values
    with pytest.raises(GalleryError) as refused:
        async with write_transaction():
            await publish_work(**arguments)  # type: ignore[arg-type]
    # then the code says why and nothing was written
    assert refused.value.code == code
    assert await GalleryPublicWork.count() == 0
    assert await GalleryChangeEvent.count() == 0


async def test_a_play_of_an_unpublished_work_is_refused_and_writes_nothing() -> None:
    with pytest.raises(GalleryError) as refused:
        await record_play(play_type=TEST_PLAY_TYPE, work_id="nope", now=T0)
    assert refused.value.code == GalleryErrorCode.WORK_NOT_FOUND
    assert await PublicWorkPlayDailyStat.count() == 0


async def test_plays_count_per_beijing_day_and_in_the_read_model() -> None:
    # given a published work
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, now=T0)
    # when it is played twice on 10 March and once just after midnight Beijing time
    # (16:00 UTC is 00:00 in Beijing)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0 + timedelta(hours=11))
    next_day = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=next_day)
    # then two daily stats with deterministic ids hold the plays
    day = beijing_day(T0)
    assert beijing_day(next_day) == day + 1
    stats = await PublicWorkPlayDailyStat.select().order_by(PublicWorkPlayDailyStat.played_day)
    assert [(s["stat_id"], s["played_day"], s["play_count"]) for s in stats] == [
        (f"{TEST_PLAY_TYPE.value}:{work_id}:{day}", day, 2),
        (f"{TEST_PLAY_TYPE.value}:{work_id}:{day + 1}", day + 1, 1),
    ]
    assert {(s["source_type"], s["profile_id"], s["owner_user_id"]) for s in stats} == {
        (TEST_PLAY_TYPE.value, work_id, owner.user_id)
    }
    # and the read model counts 3 plays, 3 in the last 7 days as of the last play's day
    row = await read_model(work_id)
    assert row is not None
    assert (row["play_count"], row["plays_7d"], row["plays_7d_day"]) == (3, 3, day + 1)


async def test_plays_older_than_seven_days_leave_the_7_day_count() -> None:
    # given a work played once on day D
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, now=T0)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0)
    # when it is played on D+6 (still in the window) and D+7 (D leaves it)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0 + timedelta(days=6))
    row6 = await read_model(work_id)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0 + timedelta(days=7))
    row7 = await read_model(work_id)
    # then
    assert row6 is not None and row7 is not None
    assert (row6["plays_7d"], row7["plays_7d"], row7["play_count"]) == (2, 2, 3)


async def test_a_republished_work_keeps_its_likes_and_plays() -> None:
    # given a work with a play and a like, then unpublished
    owner = await make_user()
    fan = await make_user()
    work_id, _ = await publish(owner.user_id, now=T0)
    await record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0)
    from resolvers.gallery.likes import like_work

    await like_work(viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=work_id)
    await unpublish(work_id, now=T0)
    # when it is published again
    _, entries = await publish(owner.user_id, work_id=work_id, now=T0 + timedelta(hours=1))
    # then it counts as a new publication with its earlier counts
    row = await read_model(work_id)
    assert row is not None
    assert [e.kind for e in entries] == ["published"]
    assert (row["play_count"], row["like_count"], row["plays_7d"]) == (1, 1, 1)
    assert row["published_at"] == T0 + timedelta(hours=1)
    assert await PublicWorkLike.count() == 1


async def test_concurrent_plays_are_all_counted() -> None:
    # given a published work
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, now=T0)
    # when 30 plays are recorded at once
    await asyncio.gather(
        *(record_play(play_type=TEST_PLAY_TYPE, work_id=work_id, now=T0) for _ in range(30))
    )
    # then every one counts, in the daily stat and the read model
    stat = await PublicWorkPlayDailyStat.select().first()
    row = await read_model(work_id)
    assert stat is not None and row is not None
    assert (stat["play_count"], row["play_count"], row["plays_7d"]) == (30, 30, 30)


async def test_concurrent_first_publications_publish_once() -> None:
    # given a user
    owner = await make_user()
    # when, for each of 25 works, 8 publications race (rounds make PostgreSQL's
    # insert-versus-insert window likely to be hit at least once)
    rounds = []
    for work in range(25):
        rounds.append(
            await asyncio.gather(
                *(
                    publish(owner.user_id, work_id=f"race{work}", title=f"T{i}", now=T0)
                    for i in range(8)
                )
            )
        )
    # then each work is PUBLISHED once and UPDATED 7 times, numbered 1..200 in the stream
    for results in rounds:
        kinds = sorted(entry.kind for _, entries in results for entry in entries)
        assert kinds == ["published"] + ["updated"] * 7
    sequences = sorted(entry.sequence for r in rounds for _, entries in r for entry in entries)
    assert sequences == list(range(1, 201))
    assert await GalleryPublicWork.count() == 25
