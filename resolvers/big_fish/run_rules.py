"""Big fish's runs as runs of the run framework (resolvers/runs/): `BigFishRunRules`.

Every big-fish run has its `runs_run` row (the same run id as its `big_fish_runtime_run`
row), started by `lifecycle.start_run` (`runStart(playType: BIG_FISH)` or
`bigFishRunStart`): so it is in `viewer.runs`, counts against RUN_LIMIT, and in PLAY mode
counts the play, the played work and, when it ends, the play time, like every run; a TEST
run (the owner's draft) counts nothing. Big fish has no time limit (`NO_TIME_LIMIT`: the
deadline is `NO_DEADLINE`). The server drives its time (`server_clock`): there are no
client actions (`apply` refuses everything: a client steers with `bigFishRunInput`); the
ticking process pauses, resumes and ends the framework row through
resolvers/runs/server_clock.py (leases.py). `runAbandon` ends it like any run:
`on_finished` marks the runtime row and drops its lease, which stops its ticker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from resolvers.big_fish import drafts, runs, sessions, simulation
from resolvers.big_fish.gate import game_blockers
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.store import runs as runs_store
from resolvers.big_fish.store import sessions as sessions_store
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import NO_TIME_LIMIT, Outcome, Run, RunMode
from resolvers.runs.rules import PlayableWork, RunRules
from subscriptions.streams import StreamEntry

MAX_SUBTITLE = 256
# Why a run was lost (the framework's `reason`): the player touched a bigger fish.
EATEN = "EATEN"


class BigFishRunRules(RunRules[BigFishRunRow]):
    play_type = PlayType.BIG_FISH
    server_clock = True

    def time_limit_ms(self) -> int:
        return NO_TIME_LIMIT

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        row = (await sessions.sessions_by_id([work_id])).get(work_id)
        if row is None:
            return None
        published = row.publication_status is WorkPublicationStatus.PUBLISHED
        if mode is RunMode.PLAY and not published:
            return None
        draft = drafts.stored_draft(row.draft_json)
        return PlayableWork(
            work_id=work_id,
            owner_user_id=row.owner_user_id,
            title=draft.title,
            subtitle=draft.description[:MAX_SUBTITLE],
            content=draft,
        )

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        draft: drafts.BigFishDraft = work.content
        if game_blockers(draft):
            raise RunError(
                RunErrorCode.NOT_PLAYABLE, "The work's game is not complete.", field="workId"
            )
        seed = int(runs.new_seed(48))  # (tests choose it by replacing `runs.new_seed`)
        world = simulation.world(
            seed=seed,
            levels=[level.model_dump() for level in draft.levels],
            thresholds=draft.growth_thresholds,
            start_level=draft.player_level,
            player_speed=draft.player_speed,
            win_size=draft.win_size,
        )
        await runs_store.insert_run(
            run_id=run.run_id,
            session_id=run.work_id,
            owner_user_id=run.owner_user_id,
            seed=seed,
            world=world,
            now=now,
        )
        if run.mode is RunMode.PLAY:  # the session's own count of runs
            await sessions_store.add_play(run.work_id)
        return {"seed": seed}  # the STARTED event's payload (JSON)

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        raise RunError(
            RunErrorCode.ILLEGAL_MOVE,
            "A big-fish run is steered with bigFishRunInput; the server moves it.",
            field="action",
        )

    async def on_finished(self, *, run: Run, now: datetime) -> list[StreamEntry]:
        # WON / LOST: the ticker saved the runtime row already. Anything else (runAbandon)
        # ends it here and drops its lease: the ticker's next save fails and it stops.
        await runs_store.abandon(run_id=run.run_id, now=now)
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, BigFishRunRow]:
        return await runs.runs_by_id(run_ids)

    def winning_actions(self, state: BigFishRunRow) -> list[dict[str, Any]]:
        return []  # no actions: the server plays (tests steer through the graph)

    def illegal_action(self, state: BigFishRunRow) -> dict[str, Any]:
        return {}  # an action is the client's JSON; every one is refused


BIG_FISH_RUN_RULES = BigFishRunRules()
