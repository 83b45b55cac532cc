"""What a PLAY run counts (TEST runs count nothing): plays, played works and play time.

- A play: `runs_play_record` keeps when a play of (user, work) last counted; one
  conditional upsert moves it only when that is more than `PLAY_COUNT_WINDOW_SECONDS` (10
  minutes) ago, and only then does the gallery count the play (`record_play`), in the same
  transaction. A row, so the window holds across processes.
- Played works: `profile_played_world`, one row per (user, `{play_type}:{work_id}`)
  (unique), upserted when a run starts (first and last played, title) and updated when it
  ends (`last_observed_play_time_ms`, last played).
- Play time: `profile_dashboard_state.total_play_time_ms` grows by the run's elapsed time in
  its finishing transaction.
Every function here runs inside the run's transaction; the statements on the profile's and
the economy's tables are theirs (`resolvers/profile/store/played.py`,
`resolvers/economy/store/wallet.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from resolvers.economy.store.wallet import add_play_time, lock_dashboard
from resolvers.errors import NotFound
from resolvers.gallery.errors import GalleryError
from resolvers.gallery.model import entry_key
from resolvers.gallery.publishing import record_play
from resolvers.ids import new_id
from resolvers.profile.store.played import record_play_time, record_played
from resolvers.runs.model import PLAY_COUNT_WINDOW_SECONDS, Run
from resolvers.runs.rules import PlayableWork
from resolvers.runs.store.plays import move_play_record

MAX_TITLE = 200
MAX_SUBTITLE = 256


async def lock_player(user_id: str, now: datetime) -> None:
    """Take the user's dashboard row lock (creating the row if needed): a user's run starts
    are serialized, so counting their unfinished runs and inserting one cannot race."""
    await lock_dashboard(user_id=user_id, now=now)


async def count_play(run: Run, now: datetime) -> bool:
    """Count a play of the run's work unless this user's last counted play of it is at most
    10 minutes old. True when it counted."""
    user_id, play_type, work_id = run.owner_user_id, run.play_type, run.work_id
    window_start = now - timedelta(seconds=PLAY_COUNT_WINDOW_SECONDS)
    moved = await move_play_record(
        user_id=user_id, play_type=play_type, work_id=work_id, now=now, window_start=window_start
    )
    if not moved:
        return False
    try:
        await record_play(play_type=play_type, work_id=work_id, now=now)
    except GalleryError as error:  # unpublished since the work was read
        raise NotFound("No such work.") from error
    return True


async def played(run: Run, work: PlayableWork, now: datetime) -> None:
    """The user played this work now (a PLAY run started)."""
    await record_played(
        user_id=run.owner_user_id,
        world_key=entry_key(run.play_type, run.work_id),
        owner_user_id=work.owner_user_id,
        profile_id=run.work_id,
        world_type=run.play_type.value,
        title=work.title[:MAX_TITLE],
        subtitle=work.subtitle[:MAX_SUBTITLE],
        played_world_id=new_id(),
        now=now,
    )


async def finished_playing(run: Run, now: datetime) -> None:
    """A PLAY run ended: its elapsed time joins the user's total and their played work."""
    elapsed = run.elapsed_ms or 0
    await add_play_time(user_id=run.owner_user_id, elapsed_ms=elapsed, now=now)
    await record_play_time(
        user_id=run.owner_user_id,
        world_key=entry_key(run.play_type, run.work_id),
        elapsed_ms=elapsed,
        ended=min(now, run.deadline_at),
    )
