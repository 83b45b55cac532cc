"""The visual-novel play-type plugin (resolvers/play_types/contract.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from resolvers.assets.entities import EntityPolicy
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.contract import GeneratedSlot, ImageSlot, PlaySession
from resolvers.play_types.gates import Blocker
from resolvers.play_types.publishing_plugin import PublishingPlugin
from resolvers.principal import Principal
from resolvers.visual_novel import drafts, gate, publishing, sessions, works
from resolvers.visual_novel.adapter import ADAPTER
from resolvers.visual_novel.model import SCENE_SLOT_PREFIX, WORK_ENTITY, scene_slot
from resolvers.visual_novel.rows import VisualNovelWorkRow
from resolvers.visual_novel.runs import VISUAL_NOVEL_RUNS
from resolvers.visual_novel.store import sessions as session_store


class VisualNovelPlugin(PublishingPlugin[VisualNovelWorkRow]):
    play_type = PlayType.VISUAL_NOVEL
    creation = ADAPTER
    publication = publishing.SPEC
    public_code_prefix = publishing.PUBLIC_CODE_PREFIX
    public_code_length = publishing.PUBLIC_CODE_LENGTH
    cover_entity_kind = WORK_ENTITY
    image_codes = gate.IMAGE_CODES
    draft = session_store.DRAFT
    runs = VISUAL_NOVEL_RUNS

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
        return EXAMPLE_DRAFT

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        # `scene:` names a family of slots: one per scene id (`scene:<sceneId>`).
        return (*super().generated_slots(), GeneratedSlot(WORK_ENTITY, SCENE_SLOT_PREFIX))

    def example_images(self, *, work_id: str, draft: Mapping[str, Any]) -> list[ImageSlot]:
        return [
            ImageSlot(WORK_ENTITY, work_id, scene_slot(scene["sceneId"]))
            for scene in draft["scenes"]
        ]


# A small complete story: a flag, a metric, a condition, a winning and a losing ending.
EXAMPLE_DRAFT: dict[str, Any] = {
    "title": "Last Train",
    "summary": "Mei has one night to find out who left the letter.",
    "tags": ["mystery"],
    "textModeEnabled": True,
    "startSceneId": "platform",
    "characters": [
        {"characterId": "mei", "name": "Mei", "description": "A night-shift conductor."},
        {"characterId": "ren", "name": "Ren", "description": "A stranger with a letter."},
    ],
    "phases": [{"phaseId": "night", "title": "Night"}, {"phaseId": "dawn", "title": "Dawn"}],
    "scenes": [
        {
            "sceneId": "platform",
            "title": "Platform 9",
            "phaseId": "night",
            "text": "The last train is late. Ren holds out a letter.",
            "characterIds": ["mei", "ren"],
            "choices": [
                {
                    "choiceId": "read",
                    "label": "Read the letter",
                    "effects": [{"flag": "read_letter"}, {"metric": "courage", "add": 1}],
                    "nextSceneId": "carriage",
                },
                {"choiceId": "ignore", "label": "Ignore him", "nextSceneId": "carriage"},
            ],
        },
        {
            "sceneId": "carriage",
            "title": "The carriage",
            "phaseId": "dawn",
            "text": "Dawn breaks over the carriage.",
            "characterIds": ["ren"],
            "choices": [
                {
                    "choiceId": "confront",
                    "label": "Ask Ren who wrote it",
                    "conditions": [{"flag": "read_letter"}, {"metric": "courage", "atLeast": 1}],
                    "endingId": "truth",
                },
                {"choiceId": "sleep", "label": "Fall asleep", "endingId": "missed"},
            ],
        },
    ],
    "endings": [
        {"endingId": "truth", "title": "The truth", "text": "Ren smiles.", "outcome": "win"},
        {"endingId": "missed", "title": "Missed", "text": "The stop passes.", "outcome": "lose"},
    ],
}


VISUAL_NOVEL = VisualNovelPlugin()
