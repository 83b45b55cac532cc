"""Match3D runs: the Match3D `RunRules` (resolvers/runs/rules.py), `MATCH3D_RUNS`.

The framework (resolvers/runs/lifecycle.py) owns the run's status, version and timing
(`runs_run`); Match3D's state is its catalog row in `match3d_runtime_run`:
- A run plays the work's item set: a PLAY run the published work's (`config_json`, with
  the cut images published), a TEST run the owner's current draft. Its time limit is the
  work's `timeLimitSeconds`, else MATCH3D_RUN_TIME_LIMIT_SECONDS.
- `snapshot_json` holds the run's `seed`, the board (resolvers/match3d/board.py: `side`,
  `layers`, the `pile` and the `tray`) and the item set (`items`: name, size, model
  references, cut image); the board is dealt from the seed.
- An action is a pick `{"kind": "pick", "itemId": "<board item id>"}`: an item not on
  the pile or covered is ILLEGAL_MOVE (nothing is written). Three alike in the tray clear
  (`clear_count` + 1, `cleared_item_count` + 3); a full tray LOSES (TRAY_FULL); an empty
  board WINS (COMPLETED).
- The catalog's status columns (`status`, `snapshot_version`, `started_at_ms`,
  `duration_limit_ms`, `finished_at_ms`, `elapsed_ms`, `failure_reason`) mirror `runs_run`:
  written at the start, with every action, and when the run ends however it ends
  (`on_finished`). `states()` returns the play state only (those mirrors are the
  framework's fields on the graph).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import board, drafts, sessions, works
from resolvers.match3d.model import Match3dLossReason
from resolvers.match3d.rows import Match3dConfig
from resolvers.match3d.run_state import Match3dRunState
from resolvers.match3d.store import runs as run_store
from resolvers.runs.model import Outcome, Run, RunMode, RunReason, RunStatus
from resolvers.runs.rules import PlayableWork, RunRules
from settings import get_settings
from subscriptions.streams import StreamEntry

MAX_SUBTITLE_LENGTH = 200


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _items(config: Match3dConfig, generated: Any) -> list[dict[str, Any]]:
    """The item set a run plays (JSON for its snapshot): the configured items, with the
    model references of the work's generated item assets where an item names none itself."""
    assets = {
        str(asset.get("itemId")): asset
        for asset in (generated if isinstance(generated, list) else [])
        if isinstance(asset, dict)
    }
    items = []
    for item in config.items:
        found = assets.get(item.item_id, {})
        items.append(
            {
                "itemId": item.item_id,
                "name": item.name,
                "count": item.count,
                "size": item.size,
                "modelSrc": item.model_src or found.get("modelSrc"),
                "modelObjectKey": item.model_object_key or found.get("modelObjectKey"),
                "cutImageAssetId": item.cut_image_asset_id,
            }
        )
    return items


class Match3dRunRules(RunRules[Match3dRunState]):
    play_type = PlayType.MATCH3D

    def time_limit_ms(self) -> int:
        return get_settings().match3d_run_time_limit_seconds * 1000

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        row = (await works.works_by_id([work_id])).get(work_id)
        if row is None:
            return None
        if mode is RunMode.PLAY:
            if row.publication_status is not WorkPublicationStatus.PUBLISHED:
                return None
            config, title, summary = row.config, row.game_name, row.summary_text
        else:
            if row.owner_user_id != user_id or row.source_session_id is None:
                return None
            session = (await sessions.sessions_by_id([row.source_session_id])).get(
                row.source_session_id
            )
            if session is None:
                return None
            draft = drafts.stored_draft(session.draft_json)
            config = Match3dConfig.from_json(drafts.config_json(draft))
            title, summary = draft.title, draft.summary
        items = _items(config, row.generated_item_assets_json)
        if not items:
            return None
        limit = config.time_limit_seconds
        return PlayableWork(
            work_id=work_id,
            owner_user_id=row.owner_user_id,
            title=title,
            subtitle=summary[:MAX_SUBTITLE_LENGTH],
            content={"items": items, "layers": config.layers},
            time_limit_ms=limit * 1000 if limit else None,
        )

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        items = work.content["items"]
        seed = secrets.randbits(48)
        dealt = board.deal(
            seed, {item["itemId"]: item["count"] for item in items}, work.content["layers"]
        )
        total = len(dealt["pile"])
        snapshot = {"seed": seed, **dealt, "items": items}
        await run_store.insert_run(
            run_id=run.run_id,
            owner_user_id=run.owner_user_id,
            work_id=work.work_id,
            status=run.status.value,
            started_at_ms=_millis(run.started_at),
            duration_limit_ms=run.duration_limit_ms,
            total_item_count=total,
            snapshot=snapshot,
            now=now,
        )
        return {"totalItemCount": total, "layers": dealt["layers"], "side": dealt["side"]}

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        picked = board.checked_pick(action)
        state = (await self.states([run.run_id]))[run.run_id]
        snapshot = dict(state.snapshot_json)
        after, cleared = board.pick(snapshot, picked)
        snapshot.update(pile=after["pile"], tray=after["tray"])
        clears = state.clear_count + (1 if cleared else 0)
        cleared_items = state.cleared_item_count + len(cleared)
        event: dict[str, Any] = {"kind": board.PICK, "itemId": picked, "cleared": cleared}
        outcome: dict[str, Any] = {}
        if board.is_won(after):
            outcome.update(status=RunStatus.WON, reason=RunReason.COMPLETED.value)
        elif board.is_lost(after):
            outcome.update(status=RunStatus.LOST, reason=Match3dLossReason.TRAY_FULL.value)
        await run_store.set_play_state(
            run_id=run.run_id,
            snapshot_version=run.snapshot_version,
            clear_count=clears,
            cleared_item_count=cleared_items,
            elapsed_ms=run.elapsed_at(now),
            snapshot=snapshot,
            now=now,
        )
        return Outcome(event=event, **outcome)

    async def on_finished(self, *, run: Run, now: datetime) -> list[StreamEntry]:
        """Mirror the end into the catalog's columns (the play state is left as it was)."""
        await run_store.set_finished(
            run_id=run.run_id,
            status=run.status.value,
            snapshot_version=run.snapshot_version,
            finished_at_ms=_millis(run.finished_at or now),
            elapsed_ms=run.elapsed_at(now),
            failure_reason="" if run.status is RunStatus.WON else (run.reason or ""),
            now=now,
        )
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, Match3dRunState]:
        return await run_store.run_states(run_ids)

    def winning_actions(self, state: Match3dRunState) -> list[dict[str, Any]]:
        """The picks a search finds from the current board (every dealt board has some)."""
        return [
            board.pick_action(each) for each in board.search(state.snapshot_json, goal="win") or []
        ]

    def illegal_action(self, state: Match3dRunState) -> dict[str, Any]:
        """A covered item when there is one, else an item that is not on the board."""
        covered = sorted(state.covered)
        return board.pick_action(covered[0] if covered else "absent.0")

    def losing_actions(self, state: Match3dRunState) -> list[dict[str, Any]]:
        """Picks that fill the tray from the current board (tests play a loss with them)."""
        return [
            board.pick_action(each) for each in board.search(state.snapshot_json, goal="lose") or []
        ]


MATCH3D_RUNS = Match3dRunRules()
