"""Big-fish creation sessions (each one is also its work): the form entry, autosave,
owner-checked reads, visibility, and the asset entity kind `big_fish_work`.

The form entry creates an empty session from a seed, a draft work at once (publication
status `draft`, no cover, not publish-ready). Autosave saves the seed and/or the whole
draft (validated as a `BigFishDraft`). A draft is its owner's alone; a published work is
anyone's; the cover and sprites (entity `big_fish_work`, the session id) follow that rule.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.entities import EntityPolicy, entity_is_profile
from resolvers.big_fish import drafts
from resolvers.big_fish.adapter import save_draft
from resolvers.big_fish.errors import BigFishError, BigFishErrorCode
from resolvers.big_fish.model import MAX_SEED_LENGTH, WORK_ENTITY, BigFishCreationStage
from resolvers.big_fish.rows import BigFishWorkRow
from resolvers.big_fish.store import sessions as store
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.play_types.works import visible
from resolvers.principal import Principal

NOT_FOUND_MESSAGE = "No such big-fish session."


def _seed(seed_text: str) -> str:
    cleaned = seed_text.strip()
    if len(cleaned) > MAX_SEED_LENGTH or "\x00" in cleaned:
        raise BigFishError(
            BigFishErrorCode.SEED_INVALID,
            f"The seed takes at most {MAX_SEED_LENGTH} characters.",
            field="seedText",
        )
    return cleaned


def checked_draft(data: dict[str, Any]) -> drafts.BigFishDraft:
    """A draft from the form, validated; DRAFT_INVALID (nothing written) otherwise."""
    try:
        return drafts.BigFishDraft.model_validate(data)
    except ValidationError as error:
        raise BigFishError(
            BigFishErrorCode.DRAFT_INVALID, describe_validation(error), field="draft"
        ) from None


async def start_session(*, viewer: Principal, seed_text: str = "") -> BigFishWorkRow:
    """The form entry: an empty session (and draft work) from the seed."""
    owner = viewer.require_user()
    seed = _seed(seed_text)
    now = clock.now()
    async with write_transaction():
        return await store.insert_session(
            session_id=new_id(),
            owner_user_id=owner,
            seed_text=seed,
            stage=BigFishCreationStage.COLLECTING_ANCHORS.value,
            now=now,
        )


async def autosave(
    *,
    viewer: Principal,
    session_id: str,
    seed_text: str | None = None,
    draft: dict[str, Any] | None = None,
) -> BigFishWorkRow:
    """Save the form: the seed and/or the whole draft (validated). NOT_FOUND for a session
    that is not the viewer's; a refused draft writes nothing."""
    owner = viewer.require_user()
    seed = _seed(seed_text) if seed_text is not None else None
    checked = checked_draft(draft) if draft is not None else None
    await turns.settle_sessions(play_type=PlayType.BIG_FISH, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await store.lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        if seed is not None:
            await store.set_seed(session_id=session_id, seed_text=seed)
        if checked is not None:
            await save_draft(session_id=session_id, draft=checked, previous=session.draft, now=now)
        return await store.session_row(session_id)


async def owned_session(*, viewer: Principal, session_id: str) -> BigFishWorkRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.BIG_FISH, session_ids=[session_id])
    row = (await sessions_by_id([session_id])).get(session_id)
    if row is None or row.owner_user_id != owner:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def sessions_of(
    *,
    user_id: str,
    status: WorkPublicationStatus | None = None,
    first: int | None,
    after: str | None,
) -> Page[BigFishWorkRow]:
    """The user's sessions (their works), most recently changed first."""
    await turns.settle_owner(owner_user_id=user_id)
    return await store.sessions_page(user_id=user_id, status=status, first=first, after=after)


sessions_by_id = store.sessions_by_id


async def visible_work(*, viewer: Principal, work_id: str) -> BigFishWorkRow:
    """A published work, or the viewer's own draft; NOT_FOUND otherwise."""
    row = (await sessions_by_id([work_id])).get(work_id)
    if row is None or not row.visible_to(viewer.user_id):
        raise NotFound("No such big-fish work.")
    return row


async def _may_bind_work(user_id: str, work_id: str) -> bool:
    row = await store.work_for_binding(work_id)
    return row is not None and row["owner_user_id"] == user_id


async def _may_view_work(user_id: str | None, work_id: str) -> bool:
    return visible(await store.work_for_binding(work_id), user_id)


ENTITY_POLICIES = {
    WORK_ENTITY: EntityPolicy(
        can_bind=_may_bind_work, can_view=_may_view_work, profile_of=entity_is_profile
    )
}
