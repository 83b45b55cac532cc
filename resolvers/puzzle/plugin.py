"""The puzzle's play-type plugin (resolvers/play_types/contract.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.contract import (
    GeneratedSlot,
    ImageSlot,
    PlaySession,
)
from resolvers.play_types.gates import Blocker
from resolvers.play_types.publishing_plugin import PublishingPlugin
from resolvers.principal import Principal
from resolvers.puzzle import drafts, gate, publishing, sessions, works
from resolvers.puzzle.adapter import ADAPTER
from resolvers.puzzle.model import IMAGE_SLOT, LEVEL_ENTITY, WORK_ENTITY, level_entity_id
from resolvers.puzzle.rows import PuzzleWorkRow
from resolvers.puzzle.runs import PUZZLE_RUNS
from resolvers.puzzle.store import works as work_store


class PuzzlePlugin(PublishingPlugin[PuzzleWorkRow]):
    play_type = PlayType.PUZZLE
    creation = ADAPTER
    publication = publishing.SPEC
    public_code_prefix = publishing.PUBLIC_CODE_PREFIX
    public_code_length = publishing.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORK_ENTITY
    image_codes = gate.IMAGE_CODES
    draft = work_store.DRAFT
    runs = PUZZLE_RUNS

    def entity_policies(self) -> Mapping[str, EntityPolicy]:
        return works.ENTITY_POLICIES

    async def start_session(self, *, viewer: Principal, seed_text: str) -> PlaySession:
        started = await sessions.start_session(viewer=viewer, seed_text=seed_text)
        return PlaySession(started.session.session_id, started.work.work_id)

    async def autosave(
        self,
        *,
        viewer: Principal,
        session_id: str,
        seed_text: str | None,
        draft: Mapping[str, Any] | None,
    ) -> PlaySession:
        saved = await sessions.autosave(
            viewer=viewer,
            session_id=session_id,
            seed_text=seed_text,
            draft=dict(draft) if draft is not None else None,
        )
        return PlaySession(saved.session.session_id, saved.work.work_id)

    async def blockers(self, *, viewer: Principal, work_id: str) -> list[Blocker]:
        session_id = await publishing.owned_session_id(work_id, viewer.require_user())
        if session_id is None:
            raise NotFound(sessions.NOT_FOUND_MESSAGE)
        session = await sessions.owned_session(viewer=viewer, session_id=session_id)
        draft = drafts.stored_draft(session.draft_json)
        images = await gate.bound_images({work_id: [level.level_id for level in draft.levels]})
        return gate.blockers(draft, images[work_id])

    def example_draft(self) -> dict[str, Any]:
        return {
            "title": "Harbour Lights",
            "description": "Three evenings at the old harbour.",
            "theme": "harbour",
            "tags": ["sea", "evening"],
            "levels": [
                {"levelId": "dusk", "name": "Dusk", "gridSize": 3},
                {"levelId": "night", "name": "Night", "gridSize": 4},
            ],
        }

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        return (*super().generated_slots(), GeneratedSlot(LEVEL_ENTITY, IMAGE_SLOT))

    def example_images(self, *, work_id: str, draft: Mapping[str, Any]) -> list[ImageSlot]:
        return [
            ImageSlot(LEVEL_ENTITY, level_entity_id(work_id, level["levelId"]), IMAGE_SLOT)
            for level in draft["levels"]
        ]


PUZZLE = PuzzlePlugin()
