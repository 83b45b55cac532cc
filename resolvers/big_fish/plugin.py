"""Big fish's play-type plugin (resolvers/play_types/contract.py).

The session is the work: `PlaySession(session_id, work_id)` carries the same id twice.
Runs are runs of the run framework whose time the server drives (run_rules.py,
`server_clock`): the server simulates them (live.py) and a client only steers, so the
action-by-action run contract suite does not apply to them (tests/big_fish/ plays them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.big_fish import gate, publishing, sessions, slots
from resolvers.big_fish.adapter import ADAPTER
from resolvers.big_fish.drafts import BigFishDraft
from resolvers.big_fish.model import (
    BACKGROUND_SLOT,
    FISH_SLOT_PREFIX,
    MOTION_SLOT_PREFIX,
    WORK_ENTITY,
)
from resolvers.big_fish.rows import BigFishWorkRow
from resolvers.big_fish.run_rules import BIG_FISH_RUN_RULES
from resolvers.big_fish.store import sessions as store
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.contract import GeneratedSlot, ImageSlot, PlaySession, PlayTypePlugin
from resolvers.play_types.gates import Blocker
from resolvers.principal import Principal


class BigFishPlugin(PlayTypePlugin):
    play_type = PlayType.BIG_FISH
    creation = ADAPTER
    public_code_prefix = publishing.PUBLIC_CODE_PREFIX
    public_code_length = publishing.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORK_ENTITY
    image_codes = gate.IMAGE_CODES
    draft = store.DRAFT
    runs = BIG_FISH_RUN_RULES

    def entity_policies(self) -> Mapping[str, EntityPolicy]:
        return sessions.ENTITY_POLICIES

    async def start_session(self, *, viewer: Principal, seed_text: str) -> PlaySession:
        row = await sessions.start_session(viewer=viewer, seed_text=seed_text)
        return PlaySession(row.session_id, row.session_id)

    async def autosave(
        self,
        *,
        viewer: Principal,
        session_id: str,
        seed_text: str | None,
        draft: Mapping[str, Any] | None,
    ) -> PlaySession:
        row = await sessions.autosave(
            viewer=viewer,
            session_id=session_id,
            seed_text=seed_text,
            draft=dict(draft) if draft is not None else None,
        )
        return PlaySession(row.session_id, row.session_id)

    async def blockers(self, *, viewer: Principal, work_id: str) -> list[Blocker]:
        return await publishing.evaluate_gate(viewer=viewer, work_id=work_id)

    async def publish(self, *, viewer: Principal, work_id: str) -> BigFishWorkRow:
        return await publishing.publish_work(viewer=viewer, work_id=work_id)

    async def update(self, *, viewer: Principal, work_id: str) -> BigFishWorkRow:
        return await publishing.update_work(viewer=viewer, work_id=work_id)

    async def unpublish(self, *, viewer: Principal, work_id: str) -> BigFishWorkRow:
        return await publishing.unpublish_work(viewer=viewer, work_id=work_id)

    def example_draft(self) -> dict[str, Any]:
        return {
            "title": "Reef Climb",
            "description": "Eat the shrimp, become the perch, avoid the shark.",
            "theme": "reef",
            "tags": ["reef", "arcade"],
            "levels": [
                {"levelId": "shrimp", "name": "Shrimp", "size": 0.4, "speed": 0.5, "count": 10},
                {"levelId": "perch", "name": "Perch", "size": 0.8, "speed": 0.5, "count": 3},
                {"levelId": "shark", "name": "Shark", "size": 1.5, "speed": 0.3, "count": 2},
            ],
            "growthThresholds": [1.2, 4.0],
            "playerLevel": 0,
            "playerSpeed": 4.0,
            "winSize": 3.0,
        }

    def example_images(self, *, work_id: str, draft: Mapping[str, Any]) -> list[ImageSlot]:
        typed = BigFishDraft.model_validate(draft)
        return [ImageSlot(WORK_ENTITY, work_id, spec.key) for spec in slots.required_slots(typed)]

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        return (
            *super().generated_slots(),
            GeneratedSlot(WORK_ENTITY, BACKGROUND_SLOT),
            GeneratedSlot(WORK_ENTITY, FISH_SLOT_PREFIX),
            GeneratedSlot(WORK_ENTITY, MOTION_SLOT_PREFIX),
        )


BIG_FISH = BigFishPlugin()
