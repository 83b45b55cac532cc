"""Publishing a play type's work: one flow for publish, update and unpublish.

Every draft-and-gate play type (puzzle, Match3D, square hole) publishes the same way, so
the flow lives here once and each type hands over a `PublicationSpec`: its work profile
table, its session table and lock, its error class and codes, its public-code prefix and
two hooks for what differs (the gate and projection written on publish, the mirror of
the draft written on unpublish). Each call is one transaction that takes the session's
row lock first, then the work's (the order every writer of a type uses, so none waits
on another in a cycle):
- publish: the work must be a draft (the conditional UPDATE on `publication_status`
  decides: two concurrent publications publish once, one code, one event) and pass the
  type's gate; the work gets a public work code (kept for good); the session goes to
  `published`; the gallery's read model is written;
- update: the same for a published work (the gallery's UPDATED change);
- unpublish: back to a draft that mirrors the session again; the work leaves the gallery.
Stream entries are published after commit. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from piccolo.columns import Column

from db.transactions import write_transaction
from resolvers import clock
from resolvers.creation import turns
from resolvers.errors import DomainError, NotFound
from resolvers.gallery import publishing as gallery
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types import store
from resolvers.play_types.public_codes import assign_public_code
from resolvers.play_types.tables import WorkTables
from resolvers.principal import Principal
from subscriptions import streams

# Public work codes: the type's prefix and 10 random base32 characters (50 bits).
PUBLIC_CODE_LENGTH = 10

SessionT = TypeVar("SessionT")
SessionT_co = TypeVar("SessionT_co", covariant=True)
WorkT = TypeVar("WorkT")


class PublicationEvent(StrEnum):
    """What happened to a work, for a type that keeps its own event log (puzzle_event)."""

    PUBLISHED = "published"
    UPDATED = "updated"
    UNPUBLISHED = "unpublished"


class LockSession(Protocol[SessionT_co]):
    def __call__(
        self, *, session_id: str, owner_user_id: str | None, now: datetime
    ) -> Awaitable[SessionT_co | None]: ...


@dataclass(frozen=True)
class Projected:
    """What the publish hook wrote: the work row (JSON decoded) and the gallery's fields
    that come from the draft rather than from the row."""

    work: dict[str, Any]
    theme: str | None
    tags: list[str]


# (session, profile_id, now) -> the projected work; raises the type's PublishBlocked.
ProjectHook = Callable[[SessionT, str, datetime], Awaitable[Projected]]
# (session, session_id, now) -> (stage, progress_percent) after mirroring the draft.
UnprojectHook = Callable[[SessionT, str, datetime], Awaitable[tuple[str, int]]]
# (event, work row, now) -> stream entries; only for types with an event log.
RecordHook = Callable[[PublicationEvent, dict[str, Any], datetime], Awaitable[list[Any]]]


@dataclass(frozen=True)
class PublicationSpec(Generic[SessionT, WorkT]):
    play_type: PlayType
    tables: WorkTables
    published_stage: str
    lock_session: LockSession[SessionT]
    project: ProjectHook[SessionT]
    unproject: UnprojectHook[SessionT]
    error: type[DomainError]
    already_published: StrEnum
    not_published: StrEnum
    # The GraphQL name prefix of the type's mutations, for the refusal messages.
    mutation_prefix: str
    not_found_message: str
    public_code_prefix: str
    title_column: str
    summary_column: str
    # The type's frozen work row, from a stored row (JSON columns decoded): what publish,
    # update and unpublish return.
    work_row: Callable[[Mapping[str, Any]], WorkT]
    # What the claim UPDATEs return (a column, or `*`): the puzzle keeps the whole row for
    # its event log.
    claim_returning: str = "profile_id"
    # The puzzle's profile has `publish_ready`, cleared on unpublish in the claim itself.
    clears_publish_ready: bool = False
    record: RecordHook | None = None
    # The session table's stage column (visual novel names it `status`).
    session_stage_column: str = "stage"
    # Session columns set to NULL on publish (visual novel: the agent's pending action).
    session_cleared_on_publish: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return self.tables.profile._meta.get_column_by_name(name)


async def owned_work(spec: PublicationSpec[Any, Any], work_id: str, owner: str) -> dict[str, Any]:
    """The owner's work (profile_id, source_session_id); NotFound otherwise."""
    row = await store.owned_profile(spec.tables.profile, work_id=work_id, owner=owner)
    if row is None or row["source_session_id"] is None:
        raise NotFound(spec.not_found_message)
    return row


async def _assign_public_code(spec: PublicationSpec[Any, Any], work: dict[str, Any]) -> str:
    async def write(code: str) -> None:
        await store.set_public_code(spec.tables.profile, profile_id=work["profile_id"], code=code)

    return await assign_public_code(
        existing=work["public_work_code"],
        prefix=spec.public_code_prefix,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def _claim(
    spec: PublicationSpec[Any, Any],
    profile_id: str,
    expected: WorkPublicationStatus,
    values: dict[Column | str, Any],
) -> list[dict[str, Any]]:
    """The conditional UPDATE on `publication_status` that decides a publication race;
    no rows when the work is not (or no longer) `expected`."""
    return await store.claim_profile(
        spec.tables.profile,
        profile_id=profile_id,
        expected=expected,
        values=values,
        returning=spec.claim_returning,
    )


async def _set_session(
    spec: PublicationSpec[Any, Any], session_id: str, values: dict[Column | str, Any]
) -> None:
    await store.set_session(spec.tables.session, session_id, values)


def _status_error(spec: PublicationSpec[Any, Any], expected: WorkPublicationStatus) -> DomainError:
    if expected is WorkPublicationStatus.DRAFT:
        return spec.error(
            spec.already_published,
            f"This work is already published: use {spec.mutation_prefix}WorkUpdate.",
            field="workId",
        )
    return spec.error(
        spec.not_published,
        f"This work is not published: use {spec.mutation_prefix}WorkPublish.",
        field="workId",
    )


async def publish(
    spec: PublicationSpec[SessionT, WorkT],
    *,
    viewer: Principal,
    work_id: str,
    expected: WorkPublicationStatus,
) -> WorkT:
    """Publish (expected DRAFT) or update (expected PUBLISHED) the session's draft."""
    owner = viewer.require_user()
    found = await owned_work(spec, work_id, owner)
    session_id = found["source_session_id"]
    await turns.settle_sessions(play_type=spec.play_type, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await spec.lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(spec.not_found_message)
        claimed = await _claim(spec, found["profile_id"], expected, {"updated_at": now})
        if not claimed:
            raise _status_error(spec, expected)
        projected = await spec.project(session, found["profile_id"], now)
        work = projected.work
        work["public_work_code"] = await _assign_public_code(spec, work)
        await _set_session(
            spec,
            session_id,
            {
                spec.session_stage_column: spec.published_stage,
                "progress_percent": 100,
                "published_profile_id": work["profile_id"],
                **dict.fromkeys(spec.session_cleared_on_publish),
            },
        )
        entries: list[streams.StreamEntry] = []
        if spec.record is not None:
            event = (
                PublicationEvent.PUBLISHED
                if expected is WorkPublicationStatus.DRAFT
                else PublicationEvent.UPDATED
            )
            entries += await spec.record(event, work, now)
        entries += await gallery.publish_work(
            play_type=spec.play_type,
            # The work's id in the gallery is its profile id (Match3D has no work_id).
            work_id=found["profile_id"],
            owner_user_id=owner,
            title=work[spec.title_column],
            summary=work[spec.summary_column],
            cover_image_src=work["cover_image_src"],
            theme=projected.theme,
            tags=projected.tags,
            now=now,
        )
    await streams.publish(entries)
    return spec.work_row(work)


async def unpublish(
    spec: PublicationSpec[SessionT, WorkT], *, viewer: Principal, work_id: str
) -> WorkT:
    """Take a published work out of the gallery; it becomes a draft again (code kept)."""
    owner = viewer.require_user()
    found = await owned_work(spec, work_id, owner)
    session_id = found["source_session_id"]
    now = clock.now()
    async with write_transaction():
        session = await spec.lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(spec.not_found_message)
        ready: dict[Column | str, Any] = (
            {"publish_ready": False} if spec.clears_publish_ready else {}
        )
        claimed = await _claim(
            spec,
            found["profile_id"],
            WorkPublicationStatus.PUBLISHED,
            {"publication_status": WorkPublicationStatus.DRAFT.value, **ready, "updated_at": now},
        )
        if not claimed:
            raise spec.error(spec.not_published, "This work is not published.", field="workId")
        stage, progress = await spec.unproject(session, session_id, now)
        await _set_session(
            spec, session_id, {spec.session_stage_column: stage, "progress_percent": progress}
        )
        entries: list[streams.StreamEntry] = []
        if spec.record is not None:
            entries += await spec.record(PublicationEvent.UNPUBLISHED, claimed[0], now)
        entries += await gallery.unpublish_work(
            play_type=spec.play_type, work_id=found["profile_id"], now=now
        )
        current = (
            await store.profiles_by(
                spec.tables.profile, key="profile_id", values=[found["profile_id"]]
            )
        ).get(found["profile_id"])
    await streams.publish(entries)
    assert current is not None
    return spec.work_row(current)
