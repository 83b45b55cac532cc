"""Actions that complete later: the server applies them to a run, not a client.

Some play types answer an action asynchronously: a visual novel's text turn queues an AI
task, and the turn is applied when the task finishes. `complete` is the framework's path
for that second half: the same transaction shape as `lifecycle.act` (a guard that takes
the run's row lock and bumps `snapshot_version`, the rules' `apply`, the ACTION event, the
end of the run when the rules say so) but without an expected version or an owner check,
because the server itself acts for the owner on whatever version the run has now. The
action is the play type's own (its rules must refuse one that no longer matches, e.g. a
task that is not the pending one, by raising `RunError`: then nothing is written and
`complete` answers None). Idempotent as long as the rules are; call it outside any
transaction (it publishes after its commit).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.model import utc
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError
from resolvers.runs.finishing import end_running
from resolvers.runs.model import Run, RunEventKind, RunStatus
from resolvers.runs.registry import require_rules
from resolvers.runs.store import runs as store
from resolvers.runs.store.events import record_event
from subscriptions import streams
from subscriptions.streams import StreamEntry

ENDINGS = frozenset({RunStatus.WON, RunStatus.LOST})


async def complete(*, run_id: str, play_type: PlayType, action: Mapping[str, Any]) -> Run | None:
    """Apply a server-side action to a running run; None when the run is not running (or
    past its deadline, or of another play type) or the rules refused it (nothing written)."""
    now = utc(clock.now())
    entries: list[StreamEntry] = []
    try:
        async with write_transaction():
            run = await store.guard_completion(run_id=run_id, play_type=play_type, now=now)
            if run is None:
                return None
            outcome = await require_rules(run.play_type).apply(run=run, action=action, now=now)
            entries = list(outcome.entries)
            entries += await record_event(
                run, RunEventKind.ACTION, now=now, payload=outcome.event, action=action
            )
            if outcome.status is not None:
                if outcome.status not in ENDINGS:
                    raise ValueError(f"an action can only win or lose a run, not {outcome.status}")
                run, ending = await end_running(run, outcome.status, outcome.reason, now)
                entries += ending
    except RunError:
        return None
    await streams.publish(entries)
    return run
