"""Starting a story session: the world it plays and its first state (docs/rpg.md, "Start").

A PLAY run plays a published world (its profile's `profile_payload_json`, as published);
a TEST run the owner's current draft (its agent session's `draft_profile_json`). The start,
in the framework's transaction: the session's seed (the SHA-256 of the run id, 16 hex
digits), the derived content, the `story_session` (version 0, the opening narrative and the
first choice functions), one `npc_state` per NPC, the starting items and the opening
`story_event`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from resolvers.ids import new_id
from resolvers.rpg import inventory, story
from resolvers.rpg.changes import change
from resolvers.rpg.derivation import derive
from resolvers.rpg.model import (
    InventoryItemSourceKind,
    NpcRelationState,
    StoryEventKind,
    StorySessionStatus,
    relation_for,
)
from resolvers.rpg.records import Progress, StanceProfile
from resolvers.rpg.store import story as store
from resolvers.runs.model import Run, RunMode
from resolvers.runs.rules import PlayableWork
from resolvers.worlds import reading, work_reads
from resolvers.worlds.drafts import CustomWorldDraft, stored_draft


async def playable_work(*, work_id: str, mode: RunMode, user_id: str) -> PlayableWork | None:
    row = (await work_reads.profiles_by_ids([work_id[:64]])).get(work_id)
    if row is None:
        return None
    if mode is RunMode.PLAY:
        if not row.published:
            return None
        draft = stored_draft(row.profile_payload_json)
    else:
        if row.owner_user_id != user_id or row.source_agent_session_id is None:
            return None
        session_id = row.source_agent_session_id
        session = (await reading.sessions_by_ids([session_id])).get(session_id)
        if session is None:
            return None
        draft = stored_draft(session.draft_profile_json)
    return PlayableWork(
        work_id=work_id,
        owner_user_id=row.owner_user_id,
        title=draft.world_name,
        subtitle=draft.subtitle,
        content=draft,
    )


def seed_of(run_id: str) -> str:
    return hashlib.sha256(run_id.encode()).hexdigest()[:16]


async def start(*, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
    draft: CustomWorldDraft = work.content
    seed = seed_of(run.run_id)
    content = derive(draft, seed)
    progress = Progress()
    narrative = story.opening(draft, content)
    story_session_id = new_id()
    # `vitals_json` keeps its default (`{}`: a fresh player).
    session = await store.insert_session(
        story_session_id=story_session_id,
        runtime_session_id=run.run_id,
        actor_user_id=run.owner_user_id,
        world_profile_id=work.work_id,
        initial_prompt=story.initial_prompt(draft),
        opening_summary=draft.summary or None,
        latest_narrative_text=narrative,
        latest_choice_function_id=None,
        status=StorySessionStatus.ACTIVE.value,
        version=0,
        created_at=now,
        updated_at=now,
        mode=run.mode.value,
        seed=seed,
        content_json=content.as_json(),
        offered_choices_json=[c.as_json() for c in story.offered(content, progress)],
        pending_task_id=None,
        pending_action_json=None,
        turn_count=0,
        progress_json=progress.as_json(),
    )
    changes = [change("story_session", "insert", session)]
    for npc in content.npcs:
        profile = StanceProfile(stance=npc.stance, likes=npc.likes, role=npc.role)
        relation: NpcRelationState = relation_for(npc.affinity, False)
        inserted = await store.insert_npc(
            npc_state_id=new_id(),
            runtime_session_id=run.run_id,
            npc_id=npc.npc_id,
            npc_name=npc.name,
            affinity=npc.affinity,
            relation_state=relation.value,
            help_used=False,
            chatted_count=0,
            gifts_given=0,
            recruited=False,
            trade_stock_signature=None,
            revealed_facts=[],
            known_attribute_rumors=[],
            first_meaningful_contact_resolved=False,
            seen_backstory_chapter_ids=[],
            stance_profile=profile.as_json(),
            created_at=now,
            updated_at=now,
        )
        changes.append(change("npc_state", "insert", inserted))
    changes += await inventory.add_items(
        session,
        content.starting_items,
        source_kind=InventoryItemSourceKind.STARTING,
        source_reference_id=None,
        now=now,
    )
    event = await store.insert_event(
        event_id=new_id(),
        story_session_id=story_session_id,
        kind=StoryEventKind.OPENING.value,
        narrative=narrative,
        choice_function_id=None,
        turn_index=0,
        action_text=None,
        now=now,
    )
    changes.append(change("story_event", "insert", event))
    return {"kind": "session_started", "storySessionId": story_session_id, "changes": changes}
