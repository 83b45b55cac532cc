"""`publicPuzzleWork`'s plan: a public work and its author shaped from rows, no `PuzzleWork`.

The object path (`public_puzzle_work`, then `build_works`) runs four statements: the profile
by its code, the work's read-model row, its 7-day plays and its author. This plan runs two:
the profile by its code (the field's own function, `published_work_by_code`) and the
read-model row with its author joined (`work_row_as_stored`, through the engine). From them
it builds the row the gallery's row shaper reads (`work_shaper`, schema/plan/rows.py, one
generated function per selection) with the values `build_works` gives a published work:

- title, summary, theme (the anchor pack's), tags, cover (the profile's cover asset, signed
  as `build_works` signs it) and publication time from the profile;
- play and like counts from the read-model row (the profile's plays and no likes when the
  row is missing, as `build_works`);
- 7-day plays as stored when exact today, else through the operation's `GalleryLoaders`
  (the executor's statement), lazily, as the gallery's plan does;
- the joined author when the row has one for the profile's owner, else the loader's (null
  when the account is gone); the viewer's like through the loader (false when anonymous).

A selection the row shaper does not cover (a puzzle field of its own, `levels`, …) makes
the field take the object plan (schema/plan/roots.py), or the executor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import FieldNode, GraphQLField

from resolvers import clock
from resolvers.gallery.model import entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.store.reading import work_row_as_stored
from resolvers.puzzle.rows import PuzzleWorkRow
from resolvers.puzzle.works import published_work_by_code
from schema.assets.signed import signed_url
from schema.context import Context
from schema.gallery.work import work_type_for
from schema.plan.objects import Pending, Shaper
from schema.plan.rows import RowPage, object_type, selection_sets, work_shaper
from schema.plan.shaping import Compiler, Unplannable

# A row's 7-day plays that `stored_plays_7d` never takes as exact (not zero, no day):
# without a read-model row the plays are loaded, as `build_works` loads them.
_NOT_STORED = {"plays_7d": -1, "plays_7d_day": -1}
_AUTHOR = ("author_public_user_code", "author_display_name", "author_avatar_url")


class PublicWork:
    """A found work as the plan reads it: the row for the row shaper, and its page."""

    __slots__ = ("page", "row")

    def __init__(self, row: dict[str, Any], page: RowPage) -> None:
        self.row = row
        self.page = page


async def public_work_rows(context: Context, arguments: dict[str, Any]) -> PublicWork | None:
    """The `publicPuzzleWork` field's work as rows (what `public_puzzle_work` reads)."""
    profile = await published_work_by_code(arguments["publicWorkCode"].strip().upper())
    if profile is None:
        return None
    stored = await work_row_as_stored(entry_key(PlayType.PUZZLE, profile.profile_id))
    return PublicWork(_row(profile, stored), RowPage(context.principal.user_id, clock.now()))


def _row(profile: PuzzleWorkRow, stored: Any) -> dict[str, Any]:
    """The feed-shaped row of a published profile (see the module's docstring)."""
    row: dict[str, Any] = {
        "work_id": profile.profile_id,
        "owner_user_id": profile.owner_user_id,
        "title": profile.work_title,
        "summary": profile.work_description,
        "cover_image_src": profile.cover_asset_id,
        "theme": profile.anchor_pack_json.theme or None,
        "tags_json": list(profile.theme_tags_json),
        "published_at": profile.published_at,
        "play_count": profile.play_count,
        "like_count": 0,
        **_NOT_STORED,
    }
    if stored is not None:
        for column in ("play_count", "like_count", "plays_7d", "plays_7d_day"):
            row[column] = stored[column]
        if stored["owner_user_id"] == profile.owner_user_id:
            for column in _AUTHOR:
                row[column] = stored[column]
    return row


def compile_public_work(compiler: Compiler, field: GraphQLField, nodes: list[FieldNode]) -> Shaper:
    """The shaper of a `PublicWork` (or None) for `publicPuzzleWork` selected by `nodes`."""
    gql_type = object_type(field.type)
    cls = work_type_for(PlayType.PUZZLE)
    if cls is None or cls.__strawberry_definition__.name != gql_type.name:  # type: ignore[attr-defined]
        raise Unplannable(f"type {gql_type.name}")
    # (row, pending, page): the generated function's parameters (schema/plan/rows.py)
    shape_row = cast(
        Callable[[Any, Pending, RowPage], Any],
        work_shaper(compiler, gql_type, cls, selection_sets(nodes), cover=signed_url),
    )

    def shape(found: PublicWork | None, pending: Pending) -> Any:
        if found is None:
            return None
        return shape_row(found.row, pending, found.page)

    return shape
