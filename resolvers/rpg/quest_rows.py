"""Typed rows of the RPG runtime's quests (quest_record, quest_log), built and named like
play_rows.py's (`TABLE`, `KEY`, `JSON` for store/play.py's statements)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from resolvers.rpg.model import QuestLogEventKind, QuestStatus
from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class QuestRecordRow:
    """An accepted quest (`quest_record`); `quest_key` is the derived quest's id."""

    TABLE: ClassVar[str] = "quest_record"
    KEY: ClassVar[str] = "quest_id"
    JSON: ClassVar[tuple[str, ...]] = (
        "objective",
        "reward",
        "narrative_binding",
        "steps",
        "hidden_flags",
        "discovered_fact_ids",
        "related_carrier_ids",
        "consequence_ids",
    )

    quest_id: str
    runtime_session_id: str
    story_session_id: str | None
    actor_user_id: str
    issuer_npc_id: str
    issuer_npc_name: str
    scene_id: str | None
    chapter_id: str | None
    act_id: str | None
    thread_id: str | None
    contract_id: str | None
    title: str
    description: str
    summary: str
    objective: Any
    progress: int
    status: QuestStatus
    completion_notified: bool
    reward: Any
    reward_text: str
    narrative_binding: Any
    steps: Any
    active_step_id: str | None
    visible_stage: int
    hidden_flags: Any
    discovered_fact_ids: Any
    related_carrier_ids: Any
    consequence_ids: Any
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    turned_in_at: datetime | None
    quest_key: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> QuestRecordRow:
        return cls(
            quest_id=row["quest_id"],
            runtime_session_id=row["runtime_session_id"],
            story_session_id=row["story_session_id"],
            actor_user_id=row["actor_user_id"],
            issuer_npc_id=row["issuer_npc_id"],
            issuer_npc_name=row["issuer_npc_name"],
            scene_id=row["scene_id"],
            chapter_id=row["chapter_id"],
            act_id=row["act_id"],
            thread_id=row["thread_id"],
            contract_id=row["contract_id"],
            title=row["title"],
            description=row["description"],
            summary=row["summary"],
            objective=json_value(row["objective"]),
            progress=int(row["progress"]),
            status=QuestStatus(row["status"]),
            completion_notified=bool(row["completion_notified"]),
            reward=json_value(row["reward"]),
            reward_text=row["reward_text"],
            narrative_binding=json_value(row["narrative_binding"]),
            steps=json_value(row["steps"]),
            active_step_id=row["active_step_id"],
            visible_stage=int(row["visible_stage"]),
            hidden_flags=json_value(row["hidden_flags"]),
            discovered_fact_ids=json_value(row["discovered_fact_ids"]),
            related_carrier_ids=json_value(row["related_carrier_ids"]),
            consequence_ids=json_value(row["consequence_ids"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            completed_at=optional_utc_time(row["completed_at"]),
            turned_in_at=optional_utc_time(row["turned_in_at"]),
            quest_key=row["quest_key"],
        )


@dataclass(frozen=True, slots=True)
class QuestLogRow:
    """One change of a quest (`quest_log`)."""

    TABLE: ClassVar[str] = "quest_log"
    KEY: ClassVar[str] = "log_id"
    JSON: ClassVar[tuple[str, ...]] = ("signal",)

    log_id: str
    quest_id: str
    runtime_session_id: str
    actor_user_id: str
    event_kind: QuestLogEventKind
    status_after: QuestStatus
    signal_kind: str | None
    signal: Any
    step_id: str | None
    step_progress: int | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> QuestLogRow:
        return cls(
            log_id=row["log_id"],
            quest_id=row["quest_id"],
            runtime_session_id=row["runtime_session_id"],
            actor_user_id=row["actor_user_id"],
            event_kind=QuestLogEventKind(row["event_kind"]),
            status_after=QuestStatus(row["status_after"]),
            signal_kind=row["signal_kind"],
            signal=json_value(row["signal"]),
            step_id=row["step_id"],
            step_progress=row["step_progress"],
            created_at=utc_time(row["created_at"]),
        )
