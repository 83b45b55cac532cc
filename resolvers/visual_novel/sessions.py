"""Visual-novel creation sessions: start from a seed or from source assets, autosave, and
owner-checked reads.

`start_session` creates the session and its draft work at once, in one transaction. With
source assets (`source_mode` = assets) every id must name a confirmed asset object owned by
the creator (SOURCE_ASSETS_INVALID otherwise, nothing written); the ids are kept on the
session and the work. Autosave writes the seed and the whole draft (validated as a
`VisualNovelResultDraft`), and the agent's next proposal (`pending_action_json`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.queries import owned_object_ids
from resolvers.auth.public_users import public_user_by_id
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.principal import Principal
from resolvers.visual_novel import drafts
from resolvers.visual_novel.adapter import save_draft
from resolvers.visual_novel.errors import VisualNovelError, VisualNovelErrorCode
from resolvers.visual_novel.model import (
    MAX_SEED_LENGTH,
    MAX_SOURCE_ASSETS,
    VisualNovelSourceMode,
    VisualNovelStage,
)
from resolvers.visual_novel.rows import VisualNovelSessionRow, VisualNovelWorkRow
from resolvers.visual_novel.store import sessions as session_store
from resolvers.visual_novel.store import works as work_store

NOT_FOUND_MESSAGE = "No such visual-novel session."


@dataclass(frozen=True, slots=True)
class SessionAndWork:
    """A session after a change, and its work."""

    session: VisualNovelSessionRow
    work: VisualNovelWorkRow


def _seed(seed_text: str) -> str:
    cleaned = seed_text.strip()
    if len(cleaned) > MAX_SEED_LENGTH or "\x00" in cleaned:
        raise VisualNovelError(
            VisualNovelErrorCode.SEED_INVALID,
            f"The seed takes at most {MAX_SEED_LENGTH} characters.",
            field="seedText",
        )
    return cleaned


async def _checked_assets(owner: str, asset_ids: Sequence[str]) -> list[str]:
    """The ids, each a confirmed object of the owner (one statement)."""
    wanted = list(dict.fromkeys(asset_ids))
    invalid = VisualNovelError(
        VisualNovelErrorCode.SOURCE_ASSETS_INVALID,
        f"Name 1 to {MAX_SOURCE_ASSETS} of your own confirmed assets.",
        field="sourceAssetIds",
    )
    if not 1 <= len(wanted) <= MAX_SOURCE_ASSETS or any(len(a) > 64 for a in wanted):
        raise invalid
    owned = await owned_object_ids(owner_user_id=owner, asset_object_ids=wanted)
    if len(owned) != len(wanted):
        raise invalid
    return wanted


def checked_draft(data: Any) -> drafts.VisualNovelResultDraft:
    """A draft from the form, validated; DRAFT_INVALID (nothing written) otherwise."""
    try:
        return drafts.VisualNovelResultDraft.model_validate(data)
    except ValidationError as error:
        raise VisualNovelError(
            VisualNovelErrorCode.DRAFT_INVALID, describe_validation(error), field="draft"
        ) from None


async def start_session(
    *, viewer: Principal, seed_text: str = "", source_asset_ids: Sequence[str] | None = None
) -> SessionAndWork:
    """A session and its draft work, from a seed, or from source assets (and a seed)."""
    owner = viewer.require_user()
    seed = _seed(seed_text)
    mode = VisualNovelSourceMode.SEED if source_asset_ids is None else VisualNovelSourceMode.ASSETS
    now = clock.now()
    session_id, profile_id = new_id(), new_id()
    async with write_transaction():
        assets = [] if source_asset_ids is None else await _checked_assets(owner, source_asset_ids)
        author = await public_user_by_id(owner)
        session = await session_store.insert_session(
            session_id=session_id,
            owner_user_id=owner,
            source_mode=mode.value,
            stage=VisualNovelStage.COLLECTING_ANCHORS.value,
            seed_text=seed,
            source_asset_ids=assets,
            pending_action=drafts.pending_action(drafts.EMPTY_DRAFT, []),
            now=now,
        )
        work = await work_store.insert_work(
            profile_id=profile_id,
            owner_user_id=owner,
            session_id=session_id,
            author_display_name=author.display_name if author else "",
            source_asset_ids=assets,
            draft_json=drafts.EMPTY_DRAFT.stored(),
            now=now,
        )
    return SessionAndWork(session=session, work=work)


async def autosave(
    *,
    viewer: Principal,
    session_id: str,
    seed_text: str | None = None,
    draft: Any = None,
) -> SessionAndWork:
    """Save the seed and/or the whole draft (validated: a JSON object of the draft format;
    anything else is DRAFT_INVALID). NOT_FOUND for a session that is
    not the viewer's; a refused draft writes nothing."""
    owner = viewer.require_user()
    seed = _seed(seed_text) if seed_text is not None else None
    new_draft = checked_draft(draft) if draft is not None else None
    await turns.settle_sessions(play_type=PlayType.VISUAL_NOVEL, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await session_store.lock_session(
            session_id=session_id, owner_user_id=owner, now=now
        )
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        chosen = new_draft or drafts.stored_draft(session.draft)
        new_seed = seed if seed is not None else session.seed_text
        row = await save_draft(session=session, draft=chosen, now=now, seed_text=new_seed)
        work = await work_store.work_by_session(session_id)
    assert work is not None
    return SessionAndWork(session=row, work=work)


async def owned_session(*, viewer: Principal, session_id: str) -> VisualNovelSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.VISUAL_NOVEL, session_ids=[session_id])
    row = await session_store.owned_session(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, VisualNovelSessionRow]:
    return await session_store.sessions_by_ids(session_ids)
