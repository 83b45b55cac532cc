"""Connections with opaque keyset cursors (Relay shape), built from `resolvers` pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.pagination import Page

NodeType = TypeVar("NodeType")


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow `endCursor`.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to fetch the next page; null on an empty page."
    )


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[NodeType]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: NodeType = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list, newest or best first as the field says. "
    "Page with `first` (1 to 100, default 20) and `after`."
)
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]] = strawberry.field(description="The items with cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state.")

    @strawberry.field(description="The items without cursors.")
    def nodes(self) -> list[NodeType]:
        return [edge.node for edge in self.edges]

    @classmethod
    def from_page(cls, page: Page[Any], convert: Callable[[Any], NodeType]) -> Connection[NodeType]:
        edges = [
            Edge(cursor=c, node=convert(item))
            for item, c in zip(page.items, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )
