"""The play-type contracts' shared statements, each run on a table a play type's store hands
over (`WorkTables`, a session table): the session row lock, the publication's claim and
writes, and the shared work reads. Columns are named by the catalog's shared column names
(every work profile has `profile_id`, `owner_user_id`, `publication_status`, …)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from piccolo.columns import Column, Integer
from piccolo.custom_types import Combinable
from piccolo.table import Table

from resolvers.creation.model import SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.pagination import Page, build_page, keyset_page
from resolvers.play_types.rows import session_state


def _column(table: type[Table], name: str) -> Column:
    return table._meta.get_column_by_name(name)


async def lock_session_row(
    table: type[Table],
    *,
    json_keys: Sequence[str],
    session_id: str,
    owner_user_id: str | None,
    now: datetime,
    new_turn: bool,
    stage_column: str = "stage",
) -> SessionState | None:
    """Lock a session row of `table` (conditional UPDATE … RETURNING); None if there is no
    such session (of that owner). `stage_column` names the session's stage column."""
    values: dict[Column | str, Any] = {_column(table, "updated_at"): now}
    if new_turn:
        turn = cast(Integer, _column(table, "current_turn"))
        values[turn] = turn + 1
    where: Combinable = _column(table, "session_id") == session_id
    if owner_user_id is not None:
        where &= _column(table, "owner_user_id") == owner_user_id
    rows = await table.update(values).where(where).returning(*table.all_columns())
    return session_state(rows[0], json_keys, stage_column) if rows else None


async def set_session(table: type[Table], session_id: str, values: dict[Column | str, Any]) -> None:
    await table.update(values).where(_column(table, "session_id") == session_id)


async def owned_profile(profile: type[Table], *, work_id: str, owner: str) -> dict[str, Any] | None:
    """The owner's work profile (profile_id, source_session_id), if any."""
    profile_id = _column(profile, "profile_id")
    row: dict[str, Any] | None = (
        await profile.select(profile_id, _column(profile, "source_session_id"))
        .where((profile_id == work_id) & (_column(profile, "owner_user_id") == owner))
        .first()
    )
    return row


async def set_public_code(profile: type[Table], *, profile_id: str, code: str) -> None:
    """The work's public code, unless it has one already."""
    code_column = _column(profile, "public_work_code")
    await profile.update({code_column: code}).where(
        (_column(profile, "profile_id") == profile_id) & code_column.is_null()
    )


async def claim_profile(
    profile: type[Table],
    *,
    profile_id: str,
    expected: WorkPublicationStatus,
    values: dict[Column | str, Any],
    returning: str,
) -> list[dict[str, Any]]:
    """The conditional UPDATE on `publication_status` that decides a publication race;
    no rows when the work is not (or no longer) `expected`. `returning`: a column or `*`."""
    columns = profile.all_columns() if returning == "*" else [_column(profile, returning)]
    rows: list[dict[str, Any]] = (
        await profile.update(values)
        .where(
            (_column(profile, "profile_id") == profile_id)
            & (_column(profile, "publication_status") == expected.value)
        )
        .returning(*columns)
    )
    return rows


async def profiles_by(
    profile: type[Table], *, key: str, values: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Work profiles (JSON decoded) whose `key` column is one of `values`, by that value."""
    if not values:
        return {}
    rows = (
        await profile.select()
        .where(_column(profile, key).is_in(list(values)))
        .output(load_json=True)
    )
    return {row[key]: row for row in rows}


async def profiles_page(
    profile: type[Table],
    *,
    user_id: str,
    status: WorkPublicationStatus | None,
    first: int | None,
    after: str | None,
) -> Page[dict[str, Any]]:
    """The user's work profiles (JSON decoded), most recently changed first (keyset)."""
    where: Any = _column(profile, "owner_user_id") == user_id
    if status is not None:
        where &= _column(profile, "publication_status") == status.value
    return await keyset_page(
        profile,
        _column(profile, "updated_at"),
        _column(profile, "profile_id"),
        first=first,
        after=after,
        where=where,
        load_json=True,
    )


async def profile_access(profile: type[Table], work_id: str) -> dict[str, Any] | None:
    """A work's owner and publication status: who may bind or view its images."""
    row: dict[str, Any] | None = (
        await profile.select(
            _column(profile, "owner_user_id"), _column(profile, "publication_status")
        )
        .where(_column(profile, "profile_id") == work_id)
        .first()
    )
    return row


async def sessions_by_id(session: type[Table], session_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Creation sessions of `session` (JSON decoded) by id: one statement, none for no ids."""
    if not session_ids:
        return []
    rows: list[dict[str, Any]] = (
        await session.select()
        .where(_column(session, "session_id").is_in(list(session_ids)))
        .output(load_json=True)
    )
    return rows


async def owned_session(
    session: type[Table], *, session_id: str, owner_user_id: str
) -> dict[str, Any] | None:
    """The owner's creation session of `session` (JSON decoded); None for anyone else's."""
    row: dict[str, Any] | None = (
        await session.select()
        .where(
            (_column(session, "session_id") == session_id)
            & (_column(session, "owner_user_id") == owner_user_id)
        )
        .output(load_json=True)
        .first()
    )
    return row


async def sessions_page(
    session: type[Table], *, owner_user_id: str, size: int, after: tuple[datetime, str] | None
) -> Page[dict[str, Any]]:
    """A page of the owner's creation sessions of `session` (JSON decoded) after
    (updated_at, session_id), newest first."""
    updated_at, session_id = _column(session, "updated_at"), _column(session, "session_id")
    query = session.select().where(_column(session, "owner_user_id") == owner_user_id)
    if after is not None:
        moment, last_id = after
        query = query.where(
            (updated_at < moment) | ((updated_at == moment) & (session_id < last_id))
        )
    rows = (
        await query.order_by(updated_at, ascending=False)
        .order_by(session_id, ascending=False)
        .limit(size + 1)
        .output(load_json=True)
    )
    # The cursor keeps the stored time as read (the keyset compares it to the column).
    return build_page(rows, size, lambda row: [row["updated_at"].isoformat(), row["session_id"]])
