"""The gallery's row plan: which documents it serves, its cursors, and what falls back to
the object plan. (Its bytes are checked against the executor in test_differential.py.)"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from resolvers.gallery.feed import FeedRows
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import encode_cursor
from schema.build import build_schema
from schema.gallery.work import Work, work_type_for
from schema.plan.fast_path import FastPath
from schema.plan.feed import gallery_rows
from schema.plan.roots import ROOTS
from settings import get_settings

PAGE = (
    "query { gallery(first: 3) { edges { cursor node { id title coverUrl author { id } } } "
    "pageInfo { endCursor } } }"
)


def test_the_gallery_is_planned_on_rows() -> None:
    # given a fast path over the schema, when the gallery's page is compiled
    plan = FastPath(build_schema(get_settings())).compile(PAGE, None)
    # then its step reads rows (no objects)
    assert [step.entry for step in plan.steps] == [gallery_rows]


@pytest.mark.parametrize("order", list(GalleryOrder))
def test_row_cursors_are_the_sort_keys_cursors(order: GalleryOrder) -> None:
    # given a feed row, with and without microseconds
    for published in (
        datetime(2026, 3, 10, 4, 0, tzinfo=UTC),
        datetime(2026, 3, 10, 4, 0, 1, 250, tzinfo=UTC),
    ):
        row = {"entry_id": "puzzle:w+/1", "published_at": published, "like_count": 7}
        row["plays_7d"] = 1234567
        # when the row plan computes its cursor
        cursor = FeedRows(rows=[row], size=1, order=order).cursor(row)
        # then it is the cursor of its sort key, as pages of objects have it
        count = {GalleryOrder.HOT: [1234567], GalleryOrder.MOST_LIKED: [7]}.get(order, [])
        assert cursor == encode_cursor([order.value, *count, published.isoformat(), "puzzle:w+/1"])


def test_a_type_that_builds_its_own_feed_items_takes_the_object_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a play type whose feed items are built by its own from_gallery_row
    cls = work_type_for(PlayType.PUZZLE)
    assert cls is not None

    def own(cls: Any, row: dict[str, Any], loaders: Any) -> Any:
        return Work.from_gallery_row.__func__(cls, row, loaders)  # type: ignore[attr-defined]

    monkeypatch.setattr(cls, "from_gallery_row", classmethod(own))
    # when the gallery's page is compiled
    plan = FastPath(build_schema(get_settings())).compile(PAGE, None)
    # then the plan shapes the objects of the field's function instead
    assert [step.entry for step in plan.steps] == [ROOTS["gallery"]]
