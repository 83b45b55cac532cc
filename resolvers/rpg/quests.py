"""Quests (docs/rpg.md, "Quests"): accepted from the NPC that offers them, moved on by
signals, completed, turned in. Every change writes one `quest_log` row.

- accept: the session's derived quest of that NPC (`quest_<npcId>`), once per session
  (QUEST_ALREADY_ACCEPTED; the unique `(runtime_session_id, quest_key)` holds it anyway): a
  `quest_record` in status `active` with one step per objective, log `accepted`.
- signals (defeat: a battle won; collect: an item entering the backpack; talk: a chat;
  reach: a place explored) add to the active step whose kind and target match, log
  `progressed`; when the last step is done the quest is `completed` with
  `completion_notified` (the change is the notification on `storySessionEvents`), log
  `completed`.
- turn in: only a completed quest (QUEST_NOT_COMPLETED, QUEST_NOT_ACCEPTED,
  QUEST_ALREADY_TURNED_IN): its reward items enter the backpack (source `quest`), its XP is
  granted (progression.py), status `turned_in`, log `turned_in`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from resolvers.ids import new_id
from resolvers.rpg import inventory, progression
from resolvers.rpg.changes import change
from resolvers.rpg.errors import RpgError, RpgErrorCode
from resolvers.rpg.model import (
    InventoryItemSourceKind,
    PlayerProgressionGrantSource,
    QuestLogEventKind,
    QuestStatus,
)
from resolvers.rpg.quest_rows import QuestLogRow, QuestRecordRow
from resolvers.rpg.records import QuestReward, QuestSignal, QuestStep, WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.store import play as play_store

QUEST, LOG = QuestRecordRow.TABLE, QuestLogRow.TABLE


async def _log(
    quest: QuestRecordRow,
    kind: QuestLogEventKind,
    now: datetime,
    *,
    signal: QuestSignal | None = None,
    step: QuestStep | None = None,
) -> dict[str, Any]:
    row = await play_store.insert(
        QuestLogRow,
        {
            "log_id": new_id(),
            "quest_id": quest.quest_id,
            "runtime_session_id": quest.runtime_session_id,
            "actor_user_id": quest.actor_user_id,
            "event_kind": kind.value,
            "status_after": quest.status.value,
            "signal_kind": signal.kind if signal else None,
            "signal": signal.as_json() if signal else None,
            "step_id": step.step_id if step else None,
            "step_progress": step.progress if step else None,
            "created_at": now,
        },
    )
    return change(LOG, "insert", row)


async def _quest(session: StorySessionRow, quest_key: str) -> QuestRecordRow | None:
    return await play_store.one(
        QuestRecordRow,
        runtime_session_id=session.runtime_session_id,
        quest_key=quest_key[:128],
    )


async def accept(
    session: StorySessionRow, content: WorldContent, npc_id: str, now: datetime
) -> list[dict[str, Any]]:
    spec = next((q for q in content.quests if q.issuer_npc_id == npc_id), None)
    npc = content.npc(npc_id)
    if spec is None or npc is None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, "This character offers no quest.", field="npcId")
    if await _quest(session, spec.quest_id) is not None:
        raise RpgError(
            RpgErrorCode.QUEST_ALREADY_ACCEPTED, "You already took this quest.", field="npcId"
        )
    objective = spec.objective
    step = QuestStep(
        step_id="step_1", kind=objective.kind, target_id=objective.target_id, required=1
    )
    reward = QuestReward(xp=spec.reward_xp, items=spec.reward_items)
    row = await play_store.insert(
        QuestRecordRow,
        {
            "quest_id": new_id(),
            "quest_key": spec.quest_id,
            "runtime_session_id": session.runtime_session_id,
            "story_session_id": session.story_session_id,
            "actor_user_id": session.actor_user_id,
            "issuer_npc_id": npc.npc_id,
            "issuer_npc_name": npc.name,
            "chapter_id": spec.chapter_id,
            "title": spec.title,
            "description": f"{npc.name} asks you to {objective.kind} {objective.target_id}.",
            "summary": f"{objective.kind} {objective.target_id}",
            "objective": objective.as_json(),
            "progress": 0,
            "status": QuestStatus.ACTIVE.value,
            "completion_notified": False,
            "reward": reward.as_json(),
            "reward_text": f"{spec.reward_xp} XP and {len(spec.reward_items)} item(s)",
            "narrative_binding": {"issuerNpcId": npc.npc_id, "chapterId": spec.chapter_id},
            "steps": [step.as_json()],
            "active_step_id": step.step_id,
            "visible_stage": 1,
            "created_at": now,
            "updated_at": now,
        },
    )
    return [change(QUEST, "insert", row), await _log(row, QuestLogEventKind.ACCEPTED, now)]


async def signal(
    session: StorySessionRow, kind: str, target_id: str, now: datetime
) -> list[dict[str, Any]]:
    """Move on every active quest of the session whose active step waits for this signal."""
    changes: list[dict[str, Any]] = []
    received = QuestSignal(kind=kind, target_id=target_id)
    for quest in (await play_store.quests_of([session.runtime_session_id]))[
        session.runtime_session_id
    ]:
        if quest.status != QuestStatus.ACTIVE.value:
            continue
        steps = [QuestStep.model_validate(s) for s in quest.steps]
        index = next((i for i, s in enumerate(steps) if s.step_id == quest.active_step_id), None)
        if index is None or (steps[index].kind, steps[index].target_id) != (kind, target_id):
            continue
        step = steps[index].model_copy(update={"progress": steps[index].progress + 1})
        steps[index] = step
        done = step.progress >= step.required
        last = done and index == len(steps) - 1
        columns: dict[str, Any] = {
            "steps": [s.as_json() for s in steps],
            "progress": int(quest.progress) + 1,
            "active_step_id": None
            if last
            else (steps[index + 1].step_id if done else step.step_id),
            "visible_stage": int(quest.visible_stage) + (1 if done else 0),
            "updated_at": now,
        }
        if last:
            columns |= {
                "status": QuestStatus.COMPLETED.value,
                "completion_notified": True,
                "completed_at": now,
            }
        after = await play_store.update(QuestRecordRow, quest.quest_id, **columns)
        changes.append(change(QUEST, "update", after))
        progressed = replace(after, status=QuestStatus.ACTIVE)
        changes.append(
            await _log(progressed, QuestLogEventKind.PROGRESSED, now, signal=received, step=step)
        )
        if last:
            # a microsecond later: the log reads in order by created_at
            later = now + timedelta(microseconds=1)
            changes.append(await _log(after, QuestLogEventKind.COMPLETED, later, step=step))
    return changes


async def turn_in(
    session: StorySessionRow, content: WorldContent, quest_key: str, now: datetime
) -> list[dict[str, Any]]:
    quest = await _quest(session, quest_key)
    if quest is None:
        raise RpgError(
            RpgErrorCode.QUEST_NOT_ACCEPTED, "You have not taken this quest.", field="questId"
        )
    if quest.status == QuestStatus.TURNED_IN.value:
        raise RpgError(
            RpgErrorCode.QUEST_ALREADY_TURNED_IN, "You already turned it in.", field="questId"
        )
    if quest.status != QuestStatus.COMPLETED.value:
        raise RpgError(
            RpgErrorCode.QUEST_NOT_COMPLETED,
            f"Finish it first ({quest.progress} of its steps done).",
            field="questId",
        )
    reward = QuestReward.model_validate(quest.reward)
    after = await play_store.update(
        QuestRecordRow,
        quest.quest_id,
        status=QuestStatus.TURNED_IN.value,
        turned_in_at=now,
        updated_at=now,
    )
    changes = await inventory.add_items(
        session,
        reward.items,
        source_kind=InventoryItemSourceKind.QUEST,
        source_reference_id=quest.quest_key,
        now=now,
    )
    changes += [
        change(QUEST, "update", after),
        await _log(after, QuestLogEventKind.TURNED_IN, now),
    ]
    changes += await progression.grant(
        session=session,
        content=content,
        xp=reward.xp,
        source=PlayerProgressionGrantSource.QUEST_TURN_IN,
        chapter_id=quest.chapter_id,
        now=now,
    )
    return changes
