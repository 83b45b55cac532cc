"""The session fields derived from a custom world's draft at every write (readiness,
anchor pack, lock state, preview, clarifications, findings, suggested actions, replies,
asset coverage, checkpoints, stage and progress): `derived_session` recomputes them all.
They are JSON documents the schema exposes as JSON scalars, so they stay free-form here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from resolvers.play_types.gates import Blocker
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    DraftChapter,
    DraftCharacter,
    DraftPlace,
    kind_of,
    stored_json,
)
from resolvers.worlds.gate import ANCHOR_LABELS, Cover, gate_json, progress_percent, stage_of
from resolvers.worlds.model import AnchorKey, BlockerCode, CardStatus
from resolvers.worlds.rows import AgentSessionRow

MAX_CHECKPOINTS = 20


def _readiness(draft: CustomWorldDraft) -> dict[str, Any]:
    missing = draft.missing_anchors()
    return {
        "filled": [key.value for key in AnchorKey if key in draft.anchors],
        "missing": [key.value for key in missing],
        "ready": not missing,
    }


def _anchor_pack(draft: CustomWorldDraft) -> dict[str, Any] | None:
    """The eight anchors together, once every one is set (None before)."""
    if draft.missing_anchors():
        return None
    return {key.value: draft.anchors[key] for key in AnchorKey}


def _lock_state(draft: CustomWorldDraft) -> dict[str, Any]:
    """What agent turns keep as it is: the cards the creator edited."""
    return {"editedCardIds": [e.id for e in draft.elements() if e.status is CardStatus.EDITED]}


def _clarifications(draft: CustomWorldDraft) -> list[dict[str, Any]]:
    return [
        {"anchor": key.value, "question": f"What is the world's {ANCHOR_LABELS[key]}?"}
        for key in draft.missing_anchors()
    ]


def _recommended_replies(draft: CustomWorldDraft) -> list[str]:
    replies = [f"{key.value}: …" for key in draft.missing_anchors()[:3]]
    if not draft.places:
        replies.append("place: <name> - <what it is>")
    if draft.playable_count() == 0:
        replies.append("player: <name> - <who they are>")
    return replies or ["Tell me more about the conflict.", "Add a chapter."]


_ACTIONS = {
    BlockerCode.WORLD_NAME_MISSING: ("autosave", "Give the world a name."),
    BlockerCode.ANCHOR_MISSING: ("answer_anchor", "Fill the empty anchors."),
    BlockerCode.NO_PLAYABLE_CHARACTER: ("edit_card", "Make a character playable."),
    BlockerCode.NO_LANDMARK: ("send_message", "Ask the agent for a place."),
    BlockerCode.COVER_MISSING: ("bind_cover", "Upload an image and bind it as the cover."),
    BlockerCode.COVER_NOT_IMAGE: ("bind_cover", "Bind an image as the cover."),
    BlockerCode.COVER_NOT_PUBLIC: ("bind_cover", "Bind a PUBLIC_READ image as the cover."),
}


def _suggested_actions(blockers: list[Blocker], published: bool) -> list[dict[str, Any]]:
    if published:
        return [{"action": "share", "label": "Share the public work code."}]
    seen: list[BlockerCode] = []
    for blocker in blockers:
        code = BlockerCode(blocker.code)
        if code not in seen:
            seen.append(code)
    actions = [{"action": _ACTIONS[code][0], "label": _ACTIONS[code][1]} for code in seen]
    return actions or [{"action": "publish", "label": "Publish the world."}]


def card_warnings(element: DraftCharacter | DraftPlace | DraftChapter) -> list[str]:
    warnings: list[str] = []
    if not element.summary:
        warnings.append("No summary yet.")
    if isinstance(element, DraftCharacter):
        if not element.role:
            warnings.append("No role yet.")
        if element.home_place_id is None:
            warnings.append("No home place.")
    if isinstance(element, DraftChapter):
        if not element.character_ids:
            warnings.append("Nobody appears in this chapter.")
        if not element.place_ids:
            warnings.append("This chapter has no place.")
    return warnings


def _preview(draft: CustomWorldDraft) -> dict[str, Any]:
    return {
        "worldName": draft.world_name,
        "subtitle": draft.subtitle,
        "summary": draft.summary,
        "themeMode": draft.theme_mode.value,
        "playableCharacters": [c.name for c in draft.characters if c.playable],
        "places": [p.name for p in draft.places],
        "chapterCount": len(draft.chapters),
    }


def derived_session(
    session: AgentSessionRow,
    draft: CustomWorldDraft,
    *,
    cover: Cover | None,
    images: set[str],
    blockers: list[Blocker],
    checkpoint: dict[str, Any] | None,
    published: bool,
    now: datetime,
) -> AgentSessionRow:
    """The session row with every field derived from `draft` recomputed."""
    findings = [
        {"cardId": e.id, "kind": kind_of(e).value, "message": warning}
        for e in draft.elements()
        for warning in card_warnings(e)
    ]
    coverage = {
        "cover": cover is not None and cover.is_image,
        "characters": {
            "bound": sum(1 for c in draft.characters if c.id in images),
            "total": len(draft.characters),
        },
        "places": {
            "bound": sum(1 for p in draft.places if p.id in images),
            "total": len(draft.places),
        },
    }
    checkpoints = list(session.checkpoints_json or [])
    if checkpoint is not None:
        checkpoints = [*checkpoints, checkpoint][-MAX_CHECKPOINTS:]
    focus = session.focus_card_id
    if focus is not None and draft.element(focus) is None:
        focus = None
    return replace(
        session,
        focus_card_id=focus,
        draft_profile_json=stored_json(draft, session.draft_profile_json),
        anchor_content_json={key.value: text for key, text in draft.anchors.items()},
        creator_intent_readiness_json=_readiness(draft),
        anchor_pack_json=_anchor_pack(draft),
        lock_state_json=_lock_state(draft),
        publish_gate_json=gate_json(blockers, now),
        result_preview_json=_preview(draft),
        pending_clarifications_json=_clarifications(draft),
        quality_findings_json=findings,
        suggested_actions_json=_suggested_actions(blockers, published),
        recommended_replies_json=_recommended_replies(draft),
        asset_coverage_json=coverage,
        checkpoints_json=checkpoints,
        stage=stage_of(draft, blockers, published=published),
        progress_percent=progress_percent(draft, cover),
        updated_at=now,
    )
