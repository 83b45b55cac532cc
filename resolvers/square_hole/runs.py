"""Square-hole runs: the square hole's `RunRules` (resolvers/runs/rules.py), `SQUARE_HOLE_RUNS`.

The framework (resolvers/runs/lifecycle.py) owns the run's status, version and timing
(`runs_run`); the square hole's state is its catalog row in `square_hole_runtime_run`:
- A run plays a work's config: a PLAY run the published work's (`config_json`), a TEST
  run the owner's current draft. It deals `shape_count` of the work's shapes in an order
  drawn from a per-run seed (`snapshot_json.shapes`); the holes, the rules, the default
  and the target score are copied into the snapshot, so a later update of the work never
  changes a running game.
- An action is a drop `{"kind": "drop", "shapeId": id, "holeId": id}`: a shape that is
  not the current one (the first not dropped yet) or a hole the work lacks is
  ILLEGAL_MOVE (nothing is written). The rule interpreter (rules.py) judges the drop: an
  accepted shape counts in `completed_shape_count` and adds its points to `score`; a
  refused one is gone and takes its points off (never below 0).
- After the last shape the run ends: WON (COMPLETED) when `score` reached the config's
  `targetScore`, otherwise LOST (SCORE_TOO_LOW). The time limit
  (SQUARE_HOLE_RUN_TIME_LIMIT_SECONDS) expires it (EXPIRED, TIME_UP) as the framework does.
- The catalog's status columns (`status`, `snapshot_version`, `started_at_ms`,
  `duration_limit_ms`, `finished_at_ms`, `elapsed_ms`) mirror `runs_run`: written at the
  start, with every drop, and when the run ends however it ends (`on_finished`).
  `states()` returns the play state only (the mirrors are the framework's fields).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import Outcome, Run, RunMode, RunReason, RunStatus
from resolvers.runs.rules import PlayableWork, RunRules
from resolvers.square_hole import drafts, sessions, works
from resolvers.square_hole.model import SCORE_TOO_LOW
from resolvers.square_hole.rules import RuleBook, scored
from resolvers.square_hole.run_state import SquareHoleRunState
from resolvers.square_hole.store import runs as run_store
from settings import get_settings

MAX_SUBTITLE_LENGTH = 200
DROP = "drop"


def drop_action(shape_id: str, hole_id: str) -> dict[str, Any]:
    return {"kind": DROP, "shapeId": shape_id, "holeId": hole_id}


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def dealt(seed: int, shapes: Sequence[Mapping[str, Any]], count: int) -> list[dict[str, Any]]:
    """The shapes a run deals, in order: `count` of them, shuffled by the run's seed."""
    order = [dict(shape) for shape in shapes]
    random.Random(seed).shuffle(order)
    return order[:count]


def _checked_drop(action: Any, snapshot: Mapping[str, Any]) -> tuple[str, str]:
    if (
        not isinstance(action, Mapping)
        or set(action) != {"kind", "shapeId", "holeId"}
        or action["kind"] != DROP
        or not all(isinstance(action[key], str) for key in ("shapeId", "holeId"))
    ):
        raise RunError(
            RunErrorCode.ACTION_INVALID,
            'A square-hole action is {"kind": "drop", "shapeId": id, "holeId": id}.',
            field="action",
        )
    position = len(snapshot["drops"])
    current = snapshot["shapes"][position]["shapeId"]
    if action["shapeId"] != current:
        raise RunError(
            RunErrorCode.ILLEGAL_MOVE,
            f"Shape {action['shapeId']!r} is not the current one ({current!r}).",
            field="shapeId",
        )
    if action["holeId"] not in {hole["holeId"] for hole in snapshot["holes"]}:
        raise RunError(
            RunErrorCode.ILLEGAL_MOVE, f"There is no hole {action['holeId']!r}.", field="holeId"
        )
    return current, action["holeId"]


class SquareHoleRunRules(RunRules[SquareHoleRunState]):
    play_type = PlayType.SQUARE_HOLE

    def time_limit_ms(self) -> int:
        return get_settings().square_hole_run_time_limit_seconds * 1000

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        row = (await works.works_by_work_id([work_id])).get(work_id)
        if row is None:
            return None
        if mode is RunMode.PLAY:
            if row.publication_status is not WorkPublicationStatus.PUBLISHED:
                return None
            title, summary = row.game_name, row.summary_text
            config, count = dict(row.config_json), row.shape_count
        else:
            if row.owner_user_id != user_id or row.source_session_id is None:
                return None
            session = (await sessions.sessions_by_id([row.source_session_id])).get(
                row.source_session_id
            )
            if session is None:
                return None
            draft = drafts.stored_draft(session.draft_json)
            title, summary = draft.title, draft.description
            config, count = draft.config.stored(), draft.shape_count or 0
        shapes, holes = config.get("shapes") or [], config.get("holes") or []
        if count < 1 or len(shapes) < count or not holes:
            return None
        return PlayableWork(
            work_id=work_id,
            owner_user_id=row.owner_user_id,
            title=title,
            subtitle=summary[:MAX_SUBTITLE_LENGTH],
            content={"config": config, "shapeCount": count},
        )

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        config, count = work.content["config"], work.content["shapeCount"]
        seed = secrets.randbits(48)
        snapshot = {
            "seed": seed,
            "shapes": dealt(seed, config["shapes"], count),
            "holes": list(config["holes"]),
            "rules": list(config.get("rules") or []),
            "defaultRule": dict(config.get("defaultRule") or {}),
            "targetScore": int(config.get("targetScore") or 0),
            "drops": [],
        }
        await run_store.insert_run(
            run_id=run.run_id,
            owner_user_id=run.owner_user_id,
            profile_id=work.work_id,
            status=run.status.value,
            started_at_ms=_millis(run.started_at),
            duration_limit_ms=run.duration_limit_ms,
            total_shape_count=count,
            snapshot=snapshot,
            now=now,
        )
        return {"shapeCount": count, "targetScore": snapshot["targetScore"]}

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        state = (await self.states([run.run_id]))[run.run_id]
        snapshot = dict(state.snapshot_json)
        shape, hole = _checked_drop(action, snapshot)
        verdict = RuleBook.from_json(snapshot).judge(shape, hole)
        score = scored(state.score, verdict)
        completed = state.completed_shape_count + (1 if verdict.accepts else 0)
        drop = {"shapeId": shape, "holeId": hole, "accepted": verdict.accepts}
        snapshot["drops"] = [*snapshot["drops"], {**drop, "points": verdict.points}]
        event = {**drop, "points": verdict.points, "rule": verdict.rule_index, "score": score}
        outcome: dict[str, Any] = {}
        if len(snapshot["drops"]) == len(snapshot["shapes"]):
            if score >= snapshot["targetScore"]:
                outcome.update(status=RunStatus.WON, reason=RunReason.COMPLETED.value)
            else:
                outcome.update(status=RunStatus.LOST, reason=SCORE_TOO_LOW)
        await run_store.save_drop(
            run_id=run.run_id,
            snapshot_version=run.snapshot_version,
            elapsed_ms=run.elapsed_at(now),
            completed_shape_count=completed,
            score=score,
            snapshot=snapshot,
            now=now,
        )
        return Outcome(event=event, **outcome)

    async def on_finished(self, *, run: Run, now: datetime) -> list[Any]:
        """Mirror the end into the catalog's columns (the play state is left as it was)."""
        await run_store.finish_run(
            run_id=run.run_id,
            status=run.status.value,
            snapshot_version=run.snapshot_version,
            finished_at_ms=_millis(run.finished_at or now),
            elapsed_ms=run.elapsed_at(now),
            now=now,
        )
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, SquareHoleRunState]:
        return await run_store.run_states(run_ids)

    def winning_actions(self, state: SquareHoleRunState) -> list[dict[str, Any]]:
        """Each remaining shape into the hole that scores it most (an accepting hole when
        there is one): the best score the rules allow."""
        return self._plays(state, best=True)

    def losing_actions(self, state: SquareHoleRunState) -> list[dict[str, Any]]:
        """Each remaining shape into the hole that scores it least (tests play a loss)."""
        return self._plays(state, best=False)

    def _plays(self, state: SquareHoleRunState, *, best: bool) -> list[dict[str, Any]]:
        snapshot = state.snapshot_json
        book = RuleBook.from_json(snapshot)
        holes = [hole["holeId"] for hole in snapshot["holes"]]
        plays = []
        for shape in snapshot["shapes"][len(snapshot["drops"]) :]:
            shape_id = shape["shapeId"]

            def gain(hole: str, shape_id: str = shape_id) -> int:
                verdict = book.judge(shape_id, hole)
                return verdict.points if verdict.accepts else -verdict.points - 1

            chosen = max(holes, key=gain) if best else min(holes, key=gain)
            plays.append(drop_action(shape_id, chosen))
        return plays

    def illegal_action(self, state: SquareHoleRunState) -> dict[str, Any]:
        """The current shape into a hole the work lacks."""
        snapshot = state.snapshot_json
        return drop_action(snapshot["shapes"][len(snapshot["drops"])]["shapeId"], "no-such-hole")


SQUARE_HOLE_RUNS = SquareHoleRunRules()
