"""The square hole's play-type plugin (resolvers/play_types/contract.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.contract import PlaySession
from resolvers.play_types.gates import Blocker
from resolvers.play_types.publishing_plugin import PublishingPlugin
from resolvers.principal import Principal
from resolvers.square_hole import drafts, gate, publishing, sessions, works
from resolvers.square_hole.adapter import ADAPTER
from resolvers.square_hole.model import WORK_ENTITY
from resolvers.square_hole.rows import SquareHoleWorkRow
from resolvers.square_hole.runs import SQUARE_HOLE_RUNS
from resolvers.square_hole.store import sessions as session_store


class SquareHolePlugin(PublishingPlugin[SquareHoleWorkRow]):
    play_type = PlayType.SQUARE_HOLE
    creation = ADAPTER
    publication = publishing.SPEC
    public_code_prefix = publishing.PUBLIC_CODE_PREFIX
    public_code_length = publishing.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORK_ENTITY
    image_codes = gate.IMAGE_CODES
    draft = session_store.DRAFT
    runs = SQUARE_HOLE_RUNS

    def entity_policies(self) -> Mapping[str, EntityPolicy]:
        return works.ENTITY_POLICIES

    async def start_session(self, *, viewer: Principal, seed_text: str) -> PlaySession:
        started = await sessions.start_session(viewer=viewer, seed_text=seed_text)
        return PlaySession(started.session.session_id, started.work.profile_id)

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
        return PlaySession(saved.session.session_id, saved.work.profile_id)

    async def blockers(self, *, viewer: Principal, work_id: str) -> list[Blocker]:
        found = await publishing.owned_work(work_id, viewer.require_user())
        session = await sessions.owned_session(viewer=viewer, session_id=found["source_session_id"])
        draft = drafts.stored_draft(session.draft_json)
        return gate.blockers(draft, (await gate.bound_covers([work_id])).get(work_id))

    def example_draft(self) -> dict[str, Any]:
        return {
            "title": "Everything Fits",
            "description": "Three toys, one hole that takes them all.",
            "theme": "toys",
            "tags": ["toys", "twist"],
            "twistRule": "Every shape fits the square hole.",
            "difficulty": 2,
            "shapeCount": 3,
            "config": {
                "shapes": [
                    {"shapeId": "circle", "name": "Circle"},
                    {"shapeId": "triangle", "name": "Triangle"},
                    {"shapeId": "star", "name": "Star"},
                    {"shapeId": "square", "name": "Square"},
                ],
                "holes": [
                    {"holeId": "square", "name": "Square"},
                    {"holeId": "circle", "name": "Circle"},
                ],
                "rules": [{"shape": "*", "hole": "square", "accepts": True, "points": 10}],
                "defaultRule": {"accepts": False, "points": 5},
                "targetScore": 30,
            },
        }


SQUARE_HOLE = SquareHolePlugin()
