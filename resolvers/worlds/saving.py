"""Writing a custom world: `save_world`, the one write every change of a world goes
through, in the caller's `write_transaction()` after it locked the world
(resolvers/worlds/locking.py). It
1. validates the new draft (typed), evaluates the publish gate before writing anything,
   and refuses a change that would leave a *published* world with blockers;
2. writes the session (draft, anchors, gate, stage, progress, findings: derived.py), the
   cards (one per character, place and chapter of the draft: cards.py), the profile (the
   work), and, when the world is published, both read models (`custom_world_gallery_entry`
   and the gallery's `gallery_public_work` through `publish_work`) in the same
   transaction.
The gallery's stream entries are returned to the caller, which publishes them after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from resolvers.auth.public_users import public_user_by_id
from resolvers.gallery.publishing import publish_work
from resolvers.play_types.gates import Blocker
from resolvers.worlds.cards import card_images, sync_cards
from resolvers.worlds.derived import derived_session
from resolvers.worlds.drafts import CustomWorldDraft, stored_json
from resolvers.worlds.errors import PublishBlocked
from resolvers.worlds.gate import Cover, cover_of, cover_src, evaluate
from resolvers.worlds.locking import World
from resolvers.worlds.model import PLAY_TYPE
from resolvers.worlds.rows import WorldProfileRow
from resolvers.worlds.store.gallery import upsert_gallery_entry
from resolvers.worlds.store.profiles import update_profile
from resolvers.worlds.store.sessions import update_session
from subscriptions.streams import StreamEntry


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
    user = await public_user_by_id(user_id)
    return Author(user.display_name, user.public_user_code) if user else Author("", "")


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
    await update_session(session=session, now=now)
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
    await update_profile(profile=profile, now=now)
    entries: list[StreamEntry] = []
    if published:
        entries = await _write_read_models(profile, draft, now)
    return World(session=session, profile=profile, draft=draft), entries


async def _write_read_models(
    profile: WorldProfileRow, draft: CustomWorldDraft, now: datetime
) -> list[StreamEntry]:
    """Both public read models of a published world, in the caller's transaction."""
    await upsert_gallery_entry(profile=profile, now=now)
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
