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
3. writes the session (draft, anchors, gate, stage, progress, findings: derived.py), the
   cards (one per character, place and chapter of the draft: cards.py), the profile (the
   work), and, when the world is published, both read models (`custom_world_gallery_entry`
   and the gallery's `gallery_public_work` through `publish_work`) in the same
   transaction (`save_world`).
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
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import publish_work
from resolvers.play_types.gates import Blocker
from resolvers.worlds.cards import card_images, sync_cards
from resolvers.worlds.derived import derived_session
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    stored_draft,
    stored_json,
)
from resolvers.worlds.errors import PublishBlocked
from resolvers.worlds.gate import (
    Cover,
    cover_of,
    cover_src,
    evaluate,
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


@dataclass(frozen=True, slots=True)
class Author:
    """The names a world's work shows of its author (empty for an unknown user)."""

    display_name: str
    public_user_code: str | None


async def author_of(user_id: str) -> Author:
    row = await (
        UserAccount.select(UserAccount.display_name, UserAccount.public_user_code)
        .where(UserAccount.user_id == user_id)
        .first()
    )
    return Author(row["display_name"], row["public_user_code"]) if row else Author("", "")


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
    session = derived_session(
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
    await sync_cards(session.session_id, draft, now)
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
        author_display_name=author.display_name,
        author_public_user_code=author.public_user_code or None,
        updated_at=now,
    )
    await _write_profile(profile, now)
    entries: list[StreamEntry] = []
    if published:
        entries = await _write_read_models(profile, draft, now)
    return World(session=session, profile=profile, draft=draft), entries


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
