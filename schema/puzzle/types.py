"""Puzzle values on the graph: its enums, the typed draft and its levels, publish blockers
and mutation errors (the objects `PuzzleWork` and `PuzzleSession` are built from)."""

from __future__ import annotations

import strawberry

from resolvers.play_types.gates import Blocker
from resolvers.puzzle import drafts
from resolvers.puzzle.errors import PuzzleErrorCode
from resolvers.puzzle.model import (
    PuzzleBlockerCode,
    PuzzleEventKind,
    PuzzleStage,
)

strawberry.enum(
    PuzzleStage,
    description="COLLECTING_ANCHORS until the draft has levels (form autosave keeps it), "
    "DRAFT_READY once it has, PUBLISHED while its work is published.",
)
strawberry.enum(PuzzleEventKind, description="What a puzzle event records about a work.")
strawberry.enum(
    PuzzleBlockerCode,
    description="Why a puzzle cannot be published yet: TITLE_MISSING, COVER_MISSING, "
    "NO_LEVELS, LEVEL_NAME_MISSING, LEVEL_IMAGE_MISSING, GRID_SIZE_INVALID (not 3 to 8), "
    "IMAGE_NOT_PUBLIC (bind a PUBLIC_READ object), IMAGE_NOT_AN_IMAGE.",
)
strawberry.enum(PuzzleErrorCode, description="Why a puzzle mutation was refused.")


@strawberry.type(name="PuzzleLevelDraft", description="One level of a puzzle draft.")
class PuzzleLevelDraftType:
    level_id: strawberry.ID = strawberry.field(
        description="Stable id of the level; its image is bound to the asset entity "
        "`puzzle_level` with id `<workId>.<levelId>`, slot `image`."
    )
    name: str = strawberry.field(description="Name, up to 60 characters (empty: not named).")
    grid_size: int | None = strawberry.field(
        description="Pieces per side, 3 to 8; null until chosen."
    )


@strawberry.type(
    name="PuzzleDraft",
    description="The typed draft of a puzzle (validated on every write).",
)
class PuzzleDraftType:
    title: str = strawberry.field(description="Title, up to 80 characters.")
    description: str = strawberry.field(description="Description, up to 1000 characters.")
    theme: str = strawberry.field(description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(description="Up to 8 tags of up to 24 characters.")
    levels: list[PuzzleLevelDraftType] = strawberry.field(
        description="The levels in play order, at most 12."
    )

    @classmethod
    def from_draft(cls, draft: drafts.PuzzleDraft) -> PuzzleDraftType:
        return cls(
            title=draft.title,
            description=draft.description,
            theme=draft.theme,
            tags=list(draft.tags),
            levels=[
                PuzzleLevelDraftType(
                    level_id=strawberry.ID(level.level_id),
                    name=level.name,
                    grid_size=level.grid_size,
                )
                for level in draft.levels
            ],
        )


@strawberry.type(description="Something that keeps a puzzle from being published.")
class PuzzleBlocker:
    code: PuzzleBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `levels`, `levels.<i>.name`, "
        "`levels.<i>.gridSize`, `levels.<i>.image` (i from 0)."
    )
    level_id: strawberry.ID | None = strawberry.field(description="The level concerned, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> PuzzleBlocker:
        return cls(
            code=PuzzleBlockerCode(blocker.code),
            field=blocker.field,
            level_id=strawberry.ID(blocker.part_id) if blocker.part_id else None,
            message=blocker.message,
        )


@strawberry.type(name="PuzzleError", description="Why a puzzle mutation did nothing.")
class PuzzleErrorType:
    code: PuzzleErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
