"""The visual-novel creation adapter: how agent turns read and write visual-novel sessions,
and the statements every visual-novel writer shares (lock the session, save the draft,
mirror it into the draft work's card)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column
from pydantic import BaseModel

from db.tables.visual_novel import (
    VisualNovelAgentMessage,
    VisualNovelAgentSession,
    VisualNovelWorkProfile,
)
from resolvers.creation.adapters import CreationAdapter, MessageLog
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.rows import as_json as as_json
from resolvers.play_types.rows import decoded as decoded
from resolvers.play_types.rows import lock_session_row
from resolvers.visual_novel import drafts, gate
from resolvers.visual_novel.model import VisualNovelStage
from subscriptions.streams import StreamEntry

SESSION_JSON = ("source_asset_ids_json", "draft_json", "pending_action_json")
PROFILE_JSON = ("tags_json", "source_asset_ids_json", "draft_json")
# The session table's stage column.
STAGE_COLUMN = "status"


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a session row (conditional UPDATE … RETURNING); None if there is none (of that
    owner)."""
    return await lock_session_row(
        VisualNovelAgentSession,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
        stage_column=STAGE_COLUMN,
    )


async def mirror_draft(
    *, session_id: str, draft: drafts.VisualNovelResultDraft, now: datetime
) -> str | None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `visualNovelWorkUpdate`); returns the work's id."""
    columns = drafts.projection(draft)
    profile = VisualNovelWorkProfile
    rows = await (
        profile.update(
            {
                profile.work_title: columns["work_title"],
                profile.work_description: columns["work_description"],
                profile.tags_json: as_json(columns["tags_json"]),
                profile.draft_json: as_json(columns["draft_json"]),
                profile.updated_at: now,
            }
        )
        .where(
            (profile.source_session_id == session_id)
            & (profile.publication_status == WorkPublicationStatus.DRAFT.value)
        )
        .returning(profile.profile_id)
    )
    return str(rows[0]["profile_id"]) if rows else None


async def save_draft(
    *, session: SessionState, draft: drafts.VisualNovelResultDraft, now: datetime, **extra: Any
) -> Any:
    """Write a session's draft (unknown keys kept) and the agent's next proposal
    (`pending_action_json`), mirror the work card; `extra` columns are set too."""
    work_id = await mirror_draft(session_id=session.session_id, draft=draft, now=now)
    missing: list[str] = []
    if work_id is not None:
        images = (await gate.bound_images([work_id]))[work_id]
        missing = gate.missing_scene_images(draft, images)
    values: dict[Column | str, Any] = {
        "draft_json": as_json(drafts.stored_json(draft, session.draft)),
        "pending_action_json": as_json(drafts.pending_action(draft, missing)),
    }
    values.update({column: value for column, value in extra.items()})
    values["updated_at"] = now
    table = VisualNovelAgentSession
    rows = await (
        table.update(values)
        .where(table.session_id == session.session_id)
        .returning(*table.all_columns())
    )
    return rows[0]


class VisualNovelAdapter(CreationAdapter):
    play_type = PlayType.VISUAL_NOVEL
    draft_model = drafts.VisualNovelResultDraft
    subject = (
        "a visual novel: a title, a summary, tags, characters, phases, scenes with text, "
        "the characters shown and choices (conditions and effects on flags and metrics, "
        "each leading to a scene or an ending), and endings that win or lose (scene images "
        "come later)"
    )
    draft_shape = drafts.DRAFT_SHAPE
    messages = MessageLog(VisualNovelAgentMessage)

    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        return await lock_session(
            session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=new_turn
        )

    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        draft = outcome.draft
        if draft is None:
            table = VisualNovelAgentSession
            await table.update(
                {table.last_assistant_reply: outcome.assistant_text, table.updated_at: now}
            ).where(table.session_id == session.session_id)
            return []
        assert isinstance(draft, drafts.VisualNovelResultDraft)
        await save_draft(
            session=session,
            draft=draft,
            now=now,
            status=outcome.stage,
            progress_percent=outcome.progress,
            last_assistant_reply=outcome.assistant_text,
        )
        return []

    def derive_draft(
        self, session: SessionState, conversation: Sequence[ConversationMessage]
    ) -> BaseModel:
        return drafts.derive_draft(
            seed_text=session.seed_text,
            previous=drafts.stored_draft(session.draft),
            conversation=conversation,
        )

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        assert isinstance(draft, drafts.VisualNovelResultDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == VisualNovelStage.PUBLISHED.value
        )


ADAPTER = VisualNovelAdapter()
