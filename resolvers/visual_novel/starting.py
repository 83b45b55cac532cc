"""Starting a visual-novel run: the story it plays and its first state.

A PLAY run plays the published work's story (`visual_novel_work_profile.draft_json`, as
published); a TEST run the owner's current draft. A story without an opening scene cannot
be played (NOT_FOUND, like a missing work). The run's row is written with the catalog's
columns and `snapshot_json` = `{story, state}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.gallery.model import WorkPublicationStatus
from resolvers.runs.model import Run, RunMode
from resolvers.runs.rules import PlayableWork
from resolvers.visual_novel import drafts, sessions, story, works
from resolvers.visual_novel.history import state_columns
from resolvers.visual_novel.store import runs as run_store

MAX_SUBTITLE_LENGTH = 200


async def playable_work(*, work_id: str, mode: RunMode, user_id: str) -> PlayableWork | None:
    row = (await works.works_by_id([work_id])).get(work_id)
    if row is None:
        return None
    if mode is RunMode.PLAY:
        if row.publication_status is not WorkPublicationStatus.PUBLISHED:
            return None
        data = row.draft_json
    else:
        if row.owner_user_id != user_id or row.source_session_id is None:
            return None
        session = (await sessions.sessions_by_id([row.source_session_id])).get(
            row.source_session_id
        )
        data = session.draft_json if session else None
    draft = drafts.stored_draft(data)
    if story.scene_of(draft, draft.opening_scene_id) is None:
        return None
    return PlayableWork(
        work_id=work_id,
        owner_user_id=row.owner_user_id,
        title=draft.title,
        subtitle=draft.summary[:MAX_SUBTITLE_LENGTH],
        content=draft,
    )


async def start(*, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
    draft: drafts.VisualNovelResultDraft = work.content
    state = story.initial_state(draft)
    columns = state_columns(draft.stored(), state)
    await run_store.insert_run(
        run_id=run.run_id,
        owner_user_id=run.owner_user_id,
        profile_id=work.work_id,
        mode=run.mode.value,
        status=run.status.value,
        text_mode_enabled=draft.text_mode_enabled,
        columns=columns,
        now=now,
    )
    return {"sceneId": state["sceneId"], "textModeEnabled": draft.text_mode_enabled}
