"""A visual-novel run's state as `VisualNovelRunRules.states()` reads it: the run's
`visual_novel_runtime_run` row, built in `from_row` on both engines (a select without
`load_json` gives JSON as text; SQLite may give booleans as integers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.runs.model import RunMode
from resolvers.runs.rows import json_value


@dataclass(frozen=True, slots=True)
class VisualNovelChoiceRow:
    """A choice offered now (`available_choices_json`): its id and its label."""

    choice_id: str
    label: str


@dataclass(frozen=True, slots=True)
class VisualNovelRunStateRow:
    """A run's story state without the framework's mirrors (status, times): the catalog's
    columns, then JSON documents: `snapshot_json` = `{"story": the draft played, "state":
    the story state}`, the kept before-snapshots (`[{turnIndex, snapshot}]`) and the
    pending text turn (`{taskId, text, turnIndex, regenerated}` or None)."""

    run_id: str
    owner_user_id: str
    profile_id: str
    mode: RunMode
    current_scene_id: str
    current_phase_id: str
    visible_character_ids: tuple[str, ...]
    flags_json: Any
    metrics_json: Any
    available_choices: tuple[VisualNovelChoiceRow, ...]
    text_mode_enabled: bool
    snapshot_json: Any
    recent_snapshots_json: Any
    pending_turn_json: Any

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisualNovelRunStateRow:
        return cls(
            run_id=row["run_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            mode=RunMode(row["mode"]),
            current_scene_id=row["current_scene_id"] or "",
            current_phase_id=row["current_phase_id"] or "",
            visible_character_ids=tuple(json_value(row["visible_character_ids_json"]) or ()),
            flags_json=json_value(row["flags_json"]),
            metrics_json=json_value(row["metrics_json"]),
            available_choices=tuple(
                VisualNovelChoiceRow(choice_id=choice["choiceId"], label=choice["label"])
                for choice in json_value(row["available_choices_json"]) or ()
            ),
            text_mode_enabled=bool(row["text_mode_enabled"]),
            snapshot_json=json_value(row["snapshot_json"]),
            recent_snapshots_json=json_value(row["recent_snapshots_json"]),
            pending_turn_json=json_value(row["pending_turn_json"]),
        )

    @property
    def story(self) -> Any:
        """The draft the run plays, as `snapshot_json` keeps it."""
        return (self.snapshot_json or {}).get("story")

    @property
    def state(self) -> Any:
        """The story state (scene, flags, metrics, turn, narrative, ending, choices)."""
        return (self.snapshot_json or {}).get("state") or {}

    @property
    def narrative(self) -> str:
        """The latest narrative (the scene's text or the AI's)."""
        return str(self.state.get("narrative") or "")

    @property
    def turn_index(self) -> int:
        """Turns applied so far."""
        return int(self.state.get("turn") or 0)

    @property
    def ending_id(self) -> str | None:
        """The ending reached, if any."""
        ending: str | None = self.state.get("endingId")
        return ending

    @property
    def pending_task_id(self) -> str | None:
        """The AI task of the text turn being answered; None when no turn is pending."""
        return self.pending_turn_json["taskId"] if self.pending_turn_json else None
