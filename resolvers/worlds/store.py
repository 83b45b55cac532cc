"""A custom world as one aggregate: its agent session, its work (profile) and its cards.

Every write of a world runs in one `write_transaction()` and
1. locks the agent session row, then the profile row, each with one conditional
   `UPDATE … RETURNING` (`lock_world`). On PostgreSQL these row locks order every writer
   of the world (agent turns, autosave, card updates, publish, unpublish, delete), always
   in that order, so they never wait on each other in a cycle; SQLite's immediate
   transactions order all writers anyway. A soft-deleted world locks as nothing
   (NOT_FOUND).
2. validates the new draft (typed), evaluates the publish gate before writing anything,
   and refuses a change that would leave a *published* world with blockers;
3. writes the session (draft, anchors, gate, stage, progress, findings), the cards (one per
   character, place and chapter of the draft), the profile (the work), and, when the world
   is published, both read models (`custom_world_gallery_entry` and the gallery's
   `gallery_public_work` through `publish_work`) in the same transaction (`save_world`).
The gallery's stream entries are returned to the caller, which publishes them after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson

from db.tables.auth import UserAccount
from db.tables.worlds import CustomWorldAgentSession, CustomWorldDraftCard, CustomWorldProfile
from resolvers.assets.bound import BindingTarget, bound_assets
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import publish_work
from resolvers.play_types.gates import Blocker
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    DraftChapter,
    DraftCharacter,
    DraftPlace,
    kind_of,
    stored_draft,
    stored_json,
)
from resolvers.worlds.errors import PublishBlocked
from resolvers.worlds.gate import (
    ANCHOR_LABELS,
    Cover,
    cover_of,
    cover_src,
    evaluate,
    gate_json,
    progress_percent,
    stage_of,
)
from resolvers.worlds.model import (
    CARD_ENTITY_KIND,
    CARD_IMAGE_SLOT,
    AnchorKey,
    AssetStatus,
    BlockerCode,
    CardKind,
    CardStatus,
)
from resolvers.worlds.rows import AgentSessionRow, WorldProfileRow
from subscriptions.streams import StreamEntry

PLAY_TYPE = PlayType.CUSTOM_WORLD
SESSION_JSON = (
    "anchor_content_json",
    "creator_intent_json",
    "creator_intent_readiness_json",
    "anchor_pack_json",
    "lock_state_json",
    "draft_profile_json",
    "publish_gate_json",
    "result_preview_json",
    "pending_clarifications_json",
    "quality_findings_json",
    "suggested_actions_json",
    "recommended_replies_json",
    "asset_coverage_json",
    "checkpoints_json",
)
MAX_CHECKPOINTS = 20
NOT_FOUND_SESSION = "No such custom world session."
NOT_FOUND_WORLD = "No such custom world."
NOT_FOUND_CARD = "No such draft card."


def dumps(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def loads(value: Any) -> Any:
    """A JSON column as raw SQL returns it (text on both engines) → Python."""
    if isinstance(value, str | bytes):
        return orjson.loads(value)
    return value


def loaded(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {**row, **{key: loads(row[key]) for key in keys if key in row}}


@dataclass(frozen=True, slots=True)
class World:
    """A locked world: its session row (with the world's `profile_id`), its profile row and
    the session's typed draft."""

    session: AgentSessionRow
    profile: WorldProfileRow
    draft: CustomWorldDraft

    @property
    def published(self) -> bool:
        return self.profile.published


# A session whose world was soft-deleted is gone for every reader and writer.
_LIVE_SESSION = (
    "NOT EXISTS (SELECT 1 FROM custom_world_profile d WHERE d.source_agent_session_id = "
    "custom_world_agent_session.session_id AND d.deleted_at IS NOT NULL)"
)


async def lock_session_row(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> dict[str, Any] | None:
    """Lock a live agent session (the owner's, when given): one conditional UPDATE."""
    turn = ", current_turn = current_turn + 1" if new_turn else ""
    owner = " AND owner_user_id = {}" if owner_user_id is not None else ""
    arguments: list[Any] = [now, session_id]
    if owner_user_id is not None:
        arguments.append(owner_user_id)
    rows = await CustomWorldAgentSession.raw(
        f"UPDATE custom_world_agent_session SET updated_at = {{}}{turn} "
        f"WHERE session_id = {{}}{owner} AND {_LIVE_SESSION} RETURNING *",
        *arguments,
    )
    return loaded(dict(rows[0]), SESSION_JSON) if rows else None


async def lock_profile_row(*, session_id: str, now: datetime) -> WorldProfileRow | None:
    rows = await CustomWorldProfile.raw(
        "UPDATE custom_world_profile SET updated_at = {} "
        "WHERE source_agent_session_id = {} AND deleted_at IS NULL RETURNING *",
        now,
        session_id,
    )
    return WorldProfileRow.from_row(rows[0]) if rows else None


async def lock_world(*, session_id: str, owner_user_id: str | None, now: datetime) -> World | None:
    """Lock the session, then the profile (always in this order); None if gone."""
    session = await lock_session_row(session_id=session_id, owner_user_id=owner_user_id, now=now)
    if session is None:
        return None
    return await world_of_locked_session(session, now=now)


async def world_of_locked_session(session: Mapping[str, Any], *, now: datetime) -> World | None:
    """The world of a session row locked by `lock_session_row` (the creation framework
    keeps that row as a mapping in its `SessionState`); locks the profile."""
    row = AgentSessionRow.from_row(session)
    profile = await lock_profile_row(session_id=row.session_id, now=now)
    if profile is None:
        return None
    return World(
        session=replace(row, profile_id=profile.profile_id),
        profile=profile,
        draft=stored_draft(row.draft_profile_json),
    )


async def session_of_profile(*, profile_id: str, owner_user_id: str) -> str | None:
    """The agent session behind the owner's live world (unlocked read)."""
    row = await (
        CustomWorldProfile.select(CustomWorldProfile.source_agent_session_id)
        .where(
            (CustomWorldProfile.profile_id == profile_id)
            & (CustomWorldProfile.owner_user_id == owner_user_id)
            & CustomWorldProfile.deleted_at.is_null()
        )
        .first()
    )
    return row["source_agent_session_id"] if row else None


async def session_of_card(card_id: str) -> str | None:
    row = await (
        CustomWorldDraftCard.select(CustomWorldDraftCard.session_id)
        .where(CustomWorldDraftCard.card_id == card_id)
        .first()
    )
    return row["session_id"] if row else None


# --- derived session fields --------------------------------------------------------------


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


def _card_warnings(element: DraftCharacter | DraftPlace | DraftChapter) -> list[str]:
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


# --- cards --------------------------------------------------------------------------------


async def card_images(card_ids: list[str]) -> set[str]:
    """Which of these cards have an image bound (one statement)."""
    if not card_ids:
        return set()
    bound = await bound_assets([BindingTarget(CARD_ENTITY_KIND, card_ids, CARD_IMAGE_SLOT)])
    return {asset.entity_id for asset in bound}


def asset_status_of(kind: CardKind, has_image: bool) -> tuple[AssetStatus | None, str | None]:
    if kind is CardKind.CHAPTER:
        return None, None
    noun = "Portrait" if kind is CardKind.CHARACTER else "Image"
    if has_image:
        return AssetStatus.BOUND, f"{noun} bound"
    return AssetStatus.MISSING, f"No {noun.lower()} yet"


def card_values(
    draft: CustomWorldDraft, element: DraftCharacter | DraftPlace | DraftChapter, has_image: bool
) -> dict[str, Any]:
    """The card row (without ids and times) of one draft element."""
    kind = kind_of(element)
    detail: dict[str, Any]
    if isinstance(element, DraftCharacter):
        chapters = [c.id for c in draft.chapters if element.id in c.character_ids]
        links = ([element.home_place_id] if element.home_place_id else []) + chapters
        title, subtitle = element.name, element.role
        detail = {
            "playable": element.playable,
            "role": element.role,
            "homePlaceId": element.home_place_id,
        }
    elif isinstance(element, DraftPlace):
        residents = [c.id for c in draft.characters if c.home_place_id == element.id]
        links = residents + [c.id for c in draft.chapters if element.id in c.place_ids]
        title, subtitle = element.name, element.region
        detail = {"region": element.region}
    else:
        number = next(i for i, c in enumerate(draft.chapters, start=1) if c.id == element.id)
        links = [*element.character_ids, *element.place_ids]
        title, subtitle = element.title, f"Chapter {number}"
        detail = {
            "order": number,
            "characterIds": list(element.character_ids),
            "placeIds": list(element.place_ids),
        }
    status, label = asset_status_of(kind, has_image)
    return {
        "kind": kind.value,
        "status": element.status.value,
        "title": title,
        "subtitle": subtitle,
        "summary": element.summary,
        "linked_ids_json": list(dict.fromkeys(links)),
        "warning_count": len(_card_warnings(element)),
        "asset_status": status.value if status else None,
        "asset_status_label": label,
        "detail_payload_json": detail,
    }


async def _sync_cards(session_id: str, draft: CustomWorldDraft, now: datetime) -> None:
    elements = draft.elements()
    ids = [element.id for element in elements]
    if ids:
        placeholders = ", ".join("{}" for _ in ids)
        await CustomWorldDraftCard.raw(
            "DELETE FROM custom_world_draft_card WHERE session_id = {} "
            f"AND card_id NOT IN ({placeholders})",
            session_id,
            *ids,
        )
    else:
        await CustomWorldDraftCard.raw(
            "DELETE FROM custom_world_draft_card WHERE session_id = {}", session_id
        )
        return
    images = await card_images(ids)
    values: list[str] = []
    arguments: list[Any] = []
    for element in elements:
        card = card_values(draft, element, element.id in images)
        values.append("({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})")
        arguments += [
            element.id,
            session_id,
            card["kind"],
            card["status"],
            card["title"],
            card["subtitle"],
            card["summary"],
            dumps(card["linked_ids_json"]),
            card["warning_count"],
            card["asset_status"],
            card["asset_status_label"],
            dumps(card["detail_payload_json"]),
            now,
            now,
        ]
    # A card id belongs to one session forever: the upsert never moves a card.
    await CustomWorldDraftCard.raw(
        "INSERT INTO custom_world_draft_card (card_id, session_id, kind, status, title, "
        "subtitle, summary, linked_ids_json, warning_count, asset_status, asset_status_label, "
        f"detail_payload_json, created_at, updated_at) VALUES {', '.join(values)} "
        "ON CONFLICT (card_id) DO UPDATE SET kind = excluded.kind, status = excluded.status, "
        "title = excluded.title, subtitle = excluded.subtitle, summary = excluded.summary, "
        "linked_ids_json = excluded.linked_ids_json, warning_count = excluded.warning_count, "
        "asset_status = excluded.asset_status, asset_status_label = excluded.asset_status_label, "
        "detail_payload_json = excluded.detail_payload_json, updated_at = excluded.updated_at "
        "WHERE custom_world_draft_card.session_id = excluded.session_id",
        *arguments,
    )


# --- the one write ------------------------------------------------------------------------


def check_gate(world: World, draft: CustomWorldDraft, cover: Cover | None) -> list[Blocker]:
    """The blockers of `draft`; a published world must stay publishable (PublishBlocked)."""
    blockers = evaluate(draft, cover)
    if world.published and blockers:
        raise PublishBlocked(
            blockers,
            "This change would leave the published world unpublishable: "
            + " ".join(b.message for b in blockers)
            + " Unpublish it first to make such changes.",
            note="(The world is published: unpublish it first to make this change.)",
        )
    return blockers


async def author_of(user_id: str) -> dict[str, Any]:
    row = await (
        UserAccount.select(UserAccount.display_name, UserAccount.public_user_code)
        .where(UserAccount.user_id == user_id)
        .first()
    )
    return row or {"display_name": "", "public_user_code": ""}


async def save_world(
    world: World,
    draft: CustomWorldDraft,
    *,
    now: datetime,
    session_changes: dict[str, Any] | None = None,
    profile_changes: dict[str, Any] | None = None,
    checkpoint: dict[str, Any] | None = None,
) -> tuple[World, list[StreamEntry]]:
    """Write `draft` (validated) to the locked world and everything derived from it; see
    the module docstring. `session_changes` and `profile_changes` name row fields;
    `profile_changes` (publication fields) apply before the gate is checked, so publishing
    and unpublishing go through here too."""
    profile = replace(world.profile, **(profile_changes or {}))
    world = replace(world, profile=profile)
    cover = await cover_of(profile.profile_id)
    blockers = check_gate(world, draft, cover)
    published = world.published
    session = _derived_session(
        replace(world.session, **(session_changes or {})),
        draft,
        cover=cover,
        images=await card_images([e.id for e in draft.elements()]),
        blockers=blockers,
        checkpoint=checkpoint,
        published=published,
        now=now,
    )
    await _write_session(session, now)
    await _sync_cards(session.session_id, draft, now)
    author = await author_of(profile.owner_user_id)
    profile = replace(
        profile,
        world_name=draft.world_name,
        subtitle=draft.subtitle,
        summary_text=draft.summary,
        theme_mode=draft.theme_mode.value,
        cover_image_src=cover_src(cover.asset_object_id)
        if cover is not None and cover.is_image
        else None,
        profile_payload_json=stored_json(draft, profile.profile_payload_json),
        playable_npc_count=draft.playable_count(),
        landmark_count=len(draft.places),
        author_display_name=author["display_name"],
        author_public_user_code=author["public_user_code"] or None,
        updated_at=now,
    )
    await _write_profile(profile, now)
    entries: list[StreamEntry] = []
    if published:
        entries = await _write_read_models(profile, draft, now)
    return World(session=session, profile=profile, draft=draft), entries


def _derived_session(
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
        for warning in _card_warnings(e)
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


async def _write_session(session: AgentSessionRow, now: datetime) -> None:
    await CustomWorldAgentSession.raw(
        "UPDATE custom_world_agent_session SET seed_text = {}, stage = {}, "
        "progress_percent = {}, focus_card_id = {}, anchor_content_json = {}, "
        "creator_intent_json = {}, creator_intent_readiness_json = {}, anchor_pack_json = {}, "
        "lock_state_json = {}, draft_profile_json = {}, last_assistant_reply = {}, "
        "publish_gate_json = {}, result_preview_json = {}, pending_clarifications_json = {}, "
        "quality_findings_json = {}, suggested_actions_json = {}, recommended_replies_json = {}, "
        "asset_coverage_json = {}, checkpoints_json = {}, updated_at = {} WHERE session_id = {}",
        session.seed_text,
        session.stage.value,
        session.progress_percent,
        session.focus_card_id,
        dumps(session.anchor_content_json),
        dumps(session.creator_intent_json),
        dumps(session.creator_intent_readiness_json),
        dumps(session.anchor_pack_json),
        dumps(session.lock_state_json),
        dumps(session.draft_profile_json),
        session.last_assistant_reply,
        dumps(session.publish_gate_json),
        dumps(session.result_preview_json),
        dumps(session.pending_clarifications_json),
        dumps(session.quality_findings_json),
        dumps(session.suggested_actions_json),
        dumps(session.recommended_replies_json),
        dumps(session.asset_coverage_json),
        dumps(session.checkpoints_json),
        now,
        session.session_id,
    )


async def _write_profile(profile: WorldProfileRow, now: datetime) -> None:
    await CustomWorldProfile.raw(
        "UPDATE custom_world_profile SET public_work_code = {}, author_public_user_code = {}, "
        "publication_status = {}, world_name = {}, subtitle = {}, summary_text = {}, "
        "theme_mode = {}, cover_image_src = {}, profile_payload_json = {}, "
        "playable_npc_count = {}, landmark_count = {}, author_display_name = {}, "
        "published_at = {}, updated_at = {} WHERE profile_id = {}",
        profile.public_work_code,
        profile.author_public_user_code,
        profile.publication_status.value,
        profile.world_name,
        profile.subtitle,
        profile.summary_text,
        profile.theme_mode,
        profile.cover_image_src,
        dumps(profile.profile_payload_json),
        profile.playable_npc_count,
        profile.landmark_count,
        profile.author_display_name,
        profile.published_at,
        now,
        profile.profile_id,
    )


async def _write_read_models(
    profile: WorldProfileRow, draft: CustomWorldDraft, now: datetime
) -> list[StreamEntry]:
    """Both public read models of a published world, in the caller's transaction."""
    await CustomWorldProfile.raw(
        "INSERT INTO custom_world_gallery_entry (profile_id, owner_user_id, public_work_code, "
        "author_public_user_code, author_display_name, world_name, subtitle, summary_text, "
        "cover_image_src, theme_mode, playable_npc_count, landmark_count, published_at, "
        "updated_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
        "ON CONFLICT (profile_id) DO UPDATE SET public_work_code = excluded.public_work_code, "
        "author_public_user_code = excluded.author_public_user_code, "
        "author_display_name = excluded.author_display_name, world_name = excluded.world_name, "
        "subtitle = excluded.subtitle, summary_text = excluded.summary_text, "
        "cover_image_src = excluded.cover_image_src, theme_mode = excluded.theme_mode, "
        "playable_npc_count = excluded.playable_npc_count, "
        "landmark_count = excluded.landmark_count, published_at = excluded.published_at, "
        "updated_at = excluded.updated_at",
        profile.profile_id,
        profile.owner_user_id,
        profile.public_work_code,
        profile.author_public_user_code or "",
        profile.author_display_name,
        profile.world_name,
        profile.subtitle,
        profile.summary_text,
        profile.cover_image_src,
        profile.theme_mode,
        profile.playable_npc_count,
        profile.landmark_count,
        profile.published_at,
        now,
    )
    return await publish_work(
        play_type=PLAY_TYPE,
        work_id=profile.profile_id,
        owner_user_id=profile.owner_user_id,
        title=draft.world_name,
        summary=draft.summary,
        cover_image_src=profile.cover_image_src,
        theme=draft.theme_mode.value,
        tags=list(draft.tags),
        now=now,
    )
