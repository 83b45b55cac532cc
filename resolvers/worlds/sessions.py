"""Agent sessions of custom worlds: start one (its draft work appears at once), autosave
the form fields (editing a draft card is resolvers/worlds/card_edits.py).

Starting a session creates, in one transaction, the session (stage COLLECTING_ANCHORS), its
work (`custom_world_profile`, DRAFT, no cover, not publish-ready) and the agent's greeting.
Autosave reuses the session's seed and draft fields and re-runs the publish gate
(resolvers/worlds/saving.py `save_world`), and on a published world keeps both read models in
step (or refuses a change that would leave it with blockers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.creation.model import MessageKind, MessageRole
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.ids import new_id
from resolvers.play_types.gates import Blocker
from resolvers.principal import Principal
from resolvers.worlds import locking
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    replace,
)
from resolvers.worlds.errors import NOT_FOUND_CARD, NOT_FOUND_SESSION, WorldError, WorldErrorCode
from resolvers.worlds.gate import cover_of, evaluate
from resolvers.worlds.model import (
    MAX_ANCHOR_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SEED_LENGTH,
    MAX_SUBTITLE_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    AgentStage,
    AnchorKey,
    ThemeMode,
)
from resolvers.worlds.rows import AgentSessionRow, WorldProfileRow
from resolvers.worlds.saving import author_of, save_world
from resolvers.worlds.store.messages import save_message
from resolvers.worlds.store.profiles import insert_profile
from resolvers.worlds.store.sessions import insert_session
from subscriptions import streams

GREETING = (
    "Hello! Tell me about the world you want to build. I will keep track of its eight "
    "anchors (premise, tone, setting, rules, factions, player role, conflict, stakes) and "
    "draft its characters, places and chapters as we talk."
)


@dataclass(frozen=True, slots=True)
class SavedWorld:
    """The world after a write (its session row carries the world's `profile_id`), and
    the blockers its publish gate lists now."""

    session: AgentSessionRow
    profile: WorldProfileRow
    blockers: list[Blocker]


def clean_text(value: str, *, field: str, limit: int, code: WorldErrorCode) -> str:
    """`value` stripped, or a WorldError `code` on `field` when it is too long (or holds a
    NUL byte)."""
    cleaned = value.strip()
    if len(cleaned) > limit or "\x00" in cleaned:
        raise WorldError(code, f"`{field}` takes at most {limit} characters.", field=field)
    return cleaned


def seed_text(value: str) -> str:
    return clean_text(
        value, field="seedText", limit=MAX_SEED_LENGTH, code=WorldErrorCode.SEED_INVALID
    )


async def create_session(*, viewer: Principal, seed: str = "") -> SavedWorld:
    """A new agent session with its draft work; the seed (if any) becomes the premise."""
    owner = viewer.require_user()
    text = seed_text(seed)
    draft = CustomWorldDraft(anchors={AnchorKey.PREMISE: text[:MAX_ANCHOR_LENGTH]} if text else {})
    now = clock.now()
    session_id = new_id()
    profile_id = new_id()
    author = await author_of(owner)
    async with write_transaction():
        await insert_session(
            session_id=session_id,
            owner_user_id=owner,
            seed_text=text,
            stage=AgentStage.COLLECTING_ANCHORS,
            creator_intent={"seedText": text},
            now=now,
        )
        await insert_profile(
            profile_id=profile_id,
            owner_user_id=owner,
            session_id=session_id,
            status=WorkPublicationStatus.DRAFT,
            author_display_name=author.display_name,
            author_public_user_code=author.public_user_code or None,
            now=now,
        )
        await save_message(
            message_id=new_id(),
            session_id=session_id,
            role=MessageRole.ASSISTANT,
            kind=MessageKind.CHAT,
            text=GREETING,
            now=now,
        )
        world = await locking.lock_world(session_id=session_id, owner_user_id=owner, now=now)
        assert world is not None
        saved, entries = await save_world(world, draft, now=now)
    await streams.publish(entries)
    return SavedWorld(
        session=saved.session, profile=saved.profile, blockers=evaluate(saved.draft, None)
    )


@dataclass(frozen=True, slots=True)
class AutosaveInput:
    """Form fields to save; None leaves a field as it is. An anchor of "" clears it."""

    seed_text: str | None = None
    world_name: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    theme_mode: ThemeMode | None = None
    tags: list[str] | None = None
    anchors: Mapping[AnchorKey, str] | None = None
    focus_card_id: str | None = None


def _changes(fields: AutosaveInput, draft: CustomWorldDraft) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if fields.world_name is not None:
        changes["world_name"] = clean_text(
            fields.world_name,
            field="worldName",
            limit=MAX_NAME_LENGTH,
            code=WorldErrorCode.NAME_INVALID,
        )
    if fields.subtitle is not None:
        changes["subtitle"] = clean_text(
            fields.subtitle,
            field="subtitle",
            limit=MAX_SUBTITLE_LENGTH,
            code=WorldErrorCode.SUBTITLE_INVALID,
        )
    if fields.summary is not None:
        changes["summary"] = clean_text(
            fields.summary,
            field="summary",
            limit=MAX_SUMMARY_LENGTH,
            code=WorldErrorCode.SUMMARY_INVALID,
        )
    if fields.theme_mode is not None:
        changes["theme_mode"] = fields.theme_mode
    if fields.tags is not None:
        tags = list(dict.fromkeys(tag.strip() for tag in fields.tags if tag.strip()))
        if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise WorldError(
                WorldErrorCode.TAGS_INVALID,
                f"At most {MAX_TAGS} tags of at most {MAX_TAG_LENGTH} characters.",
                field="tags",
            )
        changes["tags"] = tags
    if fields.anchors is not None:
        anchors = dict(draft.anchors)
        for key, value in fields.anchors.items():
            text = clean_text(
                value,
                field=f"anchors.{AnchorKey(key).value}",
                limit=MAX_ANCHOR_LENGTH,
                code=WorldErrorCode.ANCHOR_INVALID,
            )
            if text:
                anchors[AnchorKey(key)] = text
            else:
                anchors.pop(AnchorKey(key), None)
        changes["anchors"] = anchors
    return changes


async def autosave(
    *,
    viewer: Principal,
    session_id: str,
    fields: AutosaveInput,
    draft: CustomWorldDraft | None = None,
) -> SavedWorld:
    """Save form fields into the session's seed and draft; re-runs the publish gate.
    `draft`: a whole new draft the fields apply to (the play-type contract's autosave)."""
    owner = viewer.require_user()
    seed = seed_text(fields.seed_text) if fields.seed_text is not None else None
    now = clock.now()
    async with write_transaction():
        world = await locking.lock_world(session_id=session_id, owner_user_id=owner, now=now)
        if world is None:
            raise NotFound(NOT_FOUND_SESSION)
        base = draft if draft is not None else world.draft
        draft = replace(base, **_changes(fields, base))
        session_changes: dict[str, Any] = {}
        if seed is not None:
            session_changes["seed_text"] = seed
            session_changes["creator_intent_json"] = {
                **(world.session.creator_intent_json or {}),
                "seedText": seed,
            }
        if fields.focus_card_id is not None:
            if fields.focus_card_id and draft.element(fields.focus_card_id) is None:
                raise NotFound(NOT_FOUND_CARD)
            session_changes["focus_card_id"] = fields.focus_card_id or None
        saved, entries = await save_world(world, draft, now=now, session_changes=session_changes)
        blockers = evaluate(saved.draft, await cover_of(saved.profile.profile_id))
    await streams.publish(entries)
    return SavedWorld(session=saved.session, profile=saved.profile, blockers=blockers)
