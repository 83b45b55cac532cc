"""The Match3D play-type plugin (resolvers/play_types/contract.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts, gate, publishing, sessions, works
from resolvers.match3d.adapter import ADAPTER
from resolvers.match3d.model import ITEM_SLOT_PREFIX, WORK_ENTITY, item_slot
from resolvers.match3d.rows import Match3dWorkRow
from resolvers.match3d.runs import MATCH3D_RUNS
from resolvers.match3d.store import works as work_store
from resolvers.play_types.contract import (
    GeneratedSlot,
    ImageSlot,
    PlaySession,
)
from resolvers.play_types.gates import Blocker
from resolvers.play_types.publishing_plugin import PublishingPlugin
from resolvers.principal import Principal


class Match3dPlugin(PublishingPlugin[Match3dWorkRow]):
    play_type = PlayType.MATCH3D
    creation = ADAPTER
    publication = publishing.SPEC
    public_code_prefix = publishing.PUBLIC_CODE_PREFIX
    public_code_length = publishing.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORK_ENTITY
    image_codes = gate.IMAGE_CODES
    draft = work_store.DRAFT
    runs = MATCH3D_RUNS

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
        images = await gate.bound_images([work_id])
        return gate.blockers(drafts.stored_draft(session.draft_json), images[work_id])

    def example_draft(self) -> dict[str, Any]:
        return {
            "title": "Grandma's Attic",
            "summary": "Four keepsakes, three of each, in a two-layer pile.",
            "theme": "attic",
            "tags": ["cozy", "attic"],
            "items": [
                {"itemId": "teacup", "name": "Teacup", "count": 3, "size": 1.0},
                {"itemId": "lantern", "name": "Lantern", "count": 3, "size": 1.25},
                {"itemId": "button", "name": "Button", "count": 3, "size": 0.75},
                {"itemId": "key", "name": "Key", "count": 3, "size": 0.75},
            ],
            "layers": 2,
            "difficulty": 2,
            "clearCount": 4,
            "timeLimitSeconds": None,
        }

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        # `item:` names a family of slots: one per item id (`item:<itemId>`).
        return (*super().generated_slots(), GeneratedSlot(WORK_ENTITY, ITEM_SLOT_PREFIX))

    def example_images(self, *, work_id: str, draft: Mapping[str, Any]) -> list[ImageSlot]:
        return [
            ImageSlot(WORK_ENTITY, work_id, item_slot(item["itemId"])) for item in draft["items"]
        ]


MATCH3D = Match3dPlugin()
