"""Root fields with a plan: each calls the same function as its field's resolver.

An entry takes the request's context and the field's arguments as graphql-core coerced
them (GraphQL names, enum values as their Python values) and returns the object the field
returns; the plan shapes it (schema/plan/shaping.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import FieldNode, GraphQLField

from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from schema.context import Context
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.queries import gallery_connection
from schema.plan.feed import compile_feed, gallery_rows
from schema.plan.objects import Shaper
from schema.plan.public_work import compile_public_work, public_work_rows
from schema.plan.shaping import Compiler
from schema.puzzle.queries import public_puzzle_work

RootEntry = Callable[[Context, dict[str, Any]], Awaitable[Any]]
RowCompiler = Callable[[Compiler, GraphQLField, list[FieldNode]], Shaper]


async def _gallery(context: Context, arguments: dict[str, Any]) -> Any:
    play_type = arguments.get("playType")
    return await gallery_connection(
        viewer_user_id=context.principal.user_id,
        play_type=PlayType(play_type) if play_type is not None else None,
        theme=arguments.get("theme"),
        order=GalleryOrder(arguments["order"]),
        first=arguments.get("first"),
        after=arguments.get("after"),
    )


async def _public_puzzle_work(context: Context, arguments: dict[str, Any]) -> Any:
    loaders = GalleryLoaders(viewer_user_id=context.principal.user_id)
    return await public_puzzle_work(arguments["publicWorkCode"], loaders)


ROOTS: dict[str, RootEntry] = {"gallery": _gallery, "publicPuzzleWork": _public_puzzle_work}

# Root fields whose plan shapes rows directly (no objects): the entry returns the rows, the
# compiler builds their shaper. When it cannot (`Unplannable`), the field's `ROOTS` entry
# and the object shapers serve it.
ROW_ROOTS: dict[str, tuple[RootEntry, RowCompiler]] = {
    "gallery": (gallery_rows, compile_feed),
    "publicPuzzleWork": (public_work_rows, compile_public_work),
}
