"""The custom world's play-type plugin (resolvers/play_types/contract.py).

The world's work id is its profile id. Its form autosave (`sessions.autosave`) takes form
fields; the contract's autosave takes the whole draft, as every play type's does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.contract import GeneratedSlot, PlaySession, PlayTypePlugin
from resolvers.play_types.gates import Blocker
from resolvers.principal import Principal
from resolvers.rpg.runs import CUSTOM_WORLD_RUNS
from resolvers.worlds import reading, sessions, work_reads, works
from resolvers.worlds.adapter import ADAPTER
from resolvers.worlds.drafts import parse_draft, stored_draft
from resolvers.worlds.entities import ENTITY_POLICIES
from resolvers.worlds.gate import IMAGE_CODES, cover_of, evaluate
from resolvers.worlds.model import (
    CARD_ENTITY_KIND,
    CARD_IMAGE_SLOT,
    WORLD_ENTITY_KIND,
    AnchorKey,
)
from resolvers.worlds.rows import WorldProfileRow
from resolvers.worlds.store.sessions import DRAFT


class CustomWorldPlugin(PlayTypePlugin):
    play_type = PlayType.CUSTOM_WORLD
    creation = ADAPTER
    public_code_prefix = works.PUBLIC_CODE_PREFIX
    public_code_length = works.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORLD_ENTITY_KIND
    image_codes = IMAGE_CODES
    draft = DRAFT
    runs = CUSTOM_WORLD_RUNS  # story sessions (docs/rpg.md)

    def entity_policies(self) -> Mapping[str, EntityPolicy]:
        return ENTITY_POLICIES

    async def start_session(self, *, viewer: Principal, seed_text: str) -> PlaySession:
        saved = await sessions.create_session(viewer=viewer, seed=seed_text)
        return PlaySession(saved.session.session_id, saved.profile.profile_id)

    async def autosave(
        self,
        *,
        viewer: Principal,
        session_id: str,
        seed_text: str | None,
        draft: Mapping[str, Any] | None,
    ) -> PlaySession:
        viewer.require_user()  # anonymous is refused before the draft is even read
        saved = await sessions.autosave(
            viewer=viewer,
            session_id=session_id,
            fields=sessions.AutosaveInput(seed_text=seed_text),
            draft=parse_draft(dict(draft)) if draft is not None else None,
        )
        return PlaySession(saved.session.session_id, saved.profile.profile_id)

    async def blockers(self, *, viewer: Principal, work_id: str) -> list[Blocker]:
        profile = await work_reads.owned_world(viewer=viewer, profile_id=work_id)
        session = await reading.owned_session(
            viewer=viewer, session_id=profile.source_agent_session_id or ""
        )
        return evaluate(stored_draft(session.draft_profile_json), await cover_of(work_id))

    # The world's work row is its profile (`works.WorkRow` through `source_session_id`).
    async def publish(self, *, viewer: Principal, work_id: str) -> WorldProfileRow:
        return await works.publish(viewer=viewer, profile_id=work_id)

    async def update(self, *, viewer: Principal, work_id: str) -> WorldProfileRow:
        return await works.update(viewer=viewer, profile_id=work_id)

    async def unpublish(self, *, viewer: Principal, work_id: str) -> WorldProfileRow:
        return await works.unpublish(viewer=viewer, profile_id=work_id)

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        return (*super().generated_slots(), GeneratedSlot(CARD_ENTITY_KIND, CARD_IMAGE_SLOT))

    def example_draft(self) -> dict[str, Any]:
        return {
            "worldName": "The Salt Archive",
            "subtitle": "A drowned library",
            "summary": "Scholars dive for books in a flooded city.",
            "themeMode": "fantasy",
            "tags": ["sea", "library"],
            "anchors": {key.value: f"The world's {key.value}." for key in AnchorKey},
            "characters": [
                {"id": "mira", "name": "Mira", "role": "Diver", "playable": True},
            ],
            "places": [{"id": "stacks", "name": "The Sunken Stacks"}],
            "chapters": [
                {"id": "ch1", "title": "First Dive", "characterIds": ["mira"]},
            ],
        }


CUSTOM_WORLD = CustomWorldPlugin()
