"""The typed Match3D draft on the graph (output types and the form's input types)."""

from __future__ import annotations

from typing import Any

import strawberry

from resolvers.match3d import drafts
from resolvers.match3d.model import item_slot


@strawberry.type(name="Match3dItemDraft", description="One item of a Match3D draft's item set.")
class Match3dItemDraftType:
    item_id: strawberry.ID = strawberry.field(
        description="Stable id (1 to 32 lower-case letters, digits, `_`, `-`); its cut "
        "image is the work's slot `item:<itemId>` (entity `match3d_work`)."
    )
    name: str = strawberry.field(description="Name, up to 40 characters (empty: not named).")
    count: int = strawberry.field(description="Copies on the board: 3, 6 or 9.")
    size: float = strawberry.field(description="Relative size on the board, 0.5 to 2.")
    model_src: str | None = strawberry.field(description="URL of its 3D model (GLB), if any.")
    model_object_key: str | None = strawberry.field(
        description="Storage key of its 3D model, if any."
    )
    image_slot: str = strawberry.field(
        description="The slot of entity `match3d_work` (the work id) holding its cut image: "
        "`item:<itemId>` (for `imageGenerate` or `assetObjectBind`)."
    )


@strawberry.type(
    name="Match3dDraft", description="The typed draft of a Match3D work (validated on writes)."
)
class Match3dDraftType:
    title: str = strawberry.field(description="Title, up to 80 characters.")
    summary: str = strawberry.field(description="Summary, up to 1000 characters.")
    theme: str = strawberry.field(description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(description="Up to 8 tags of up to 24 characters.")
    items: list[Match3dItemDraftType] = strawberry.field(description="The item set, up to 12.")
    layers: int = strawberry.field(description="Layers of the pile, 1 to 4.")
    difficulty: int = strawberry.field(description="Difficulty, 1 to 5.")
    clear_count: int | None = strawberry.field(
        description="Triples to clear to win; must equal the board's triples (null: all)."
    )
    time_limit_seconds: int | None = strawberry.field(
        description="A run's time limit, 30 to 1800 s (null: the server's default, 300 s)."
    )

    @classmethod
    def from_draft(cls, draft: drafts.Match3dDraft) -> Match3dDraftType:
        return cls(
            title=draft.title,
            summary=draft.summary,
            theme=draft.theme,
            tags=list(draft.tags),
            items=[
                Match3dItemDraftType(
                    item_id=strawberry.ID(item.item_id),
                    name=item.name,
                    count=item.count,
                    size=item.size,
                    model_src=item.model_src,
                    model_object_key=item.model_object_key,
                    image_slot=item_slot(item.item_id),
                )
                for item in draft.items
            ],
            layers=draft.layers,
            difficulty=draft.difficulty,
            clear_count=draft.clear_count,
            time_limit_seconds=draft.time_limit_seconds,
        )


@strawberry.input(description="One item of the form's item set.")
class Match3dItemDraftInput:
    item_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The item's id when it exists already (keeps its cut image); null for "
        "a new item (an item of the same name keeps its id). 1 to 32 lower-case letters, "
        "digits, `_`, `-`.",
    )
    name: str = strawberry.field(default="", description="Name, up to 40 characters.")
    count: int = strawberry.field(default=3, description="Copies on the board: 3, 6 or 9.")
    size: float = strawberry.field(default=1.0, description="Relative size, 0.5 to 2.")
    model_src: str | None = strawberry.field(
        default=None, description="URL of its 3D model, up to 255 characters."
    )
    model_object_key: str | None = strawberry.field(
        default=None, description="Storage key of its 3D model, up to 255 characters."
    )


@strawberry.input(description="The whole Match3D draft of the form (replaces the stored one).")
class Match3dDraftInput:
    title: str = strawberry.field(default="", description="Title, up to 80 characters.")
    summary: str = strawberry.field(default="", description="Summary, up to 1000 characters.")
    theme: str = strawberry.field(default="", description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(
        default_factory=list, description="Up to 8 distinct tags of 1 to 24 characters."
    )
    items: list[Match3dItemDraftInput] = strawberry.field(
        default_factory=list, description="Up to 12 items, ids distinct."
    )
    layers: int = strawberry.field(default=2, description="Layers of the pile, 1 to 4.")
    difficulty: int = strawberry.field(default=1, description="Difficulty, 1 to 5.")
    clear_count: int | None = strawberry.field(
        default=None, description="Triples to clear to win (null: every triple)."
    )
    time_limit_seconds: int | None = strawberry.field(
        default=None, description="A run's time limit, 30 to 1800 s (null: the default)."
    )

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "theme": self.theme,
            "tags": list(self.tags),
            "items": [
                {
                    **({"itemId": str(item.item_id)} if item.item_id else {}),
                    "name": item.name,
                    "count": item.count,
                    "size": item.size,
                    "modelSrc": item.model_src,
                    "modelObjectKey": item.model_object_key,
                }
                for item in self.items
            ],
            "layers": self.layers,
            "difficulty": self.difficulty,
            "clearCount": self.clear_count,
            "timeLimitSeconds": self.time_limit_seconds,
        }
