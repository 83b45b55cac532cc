"""Reading a play type's works: one set of reads for every draft-and-gate play type.

A draft work is its owner's alone; a published one is anyone's. Each read costs one
statement (a list is one keyset page); a type's works module binds a `WorkReads` to its
work profile table and keeps only what is its own (the puzzle's level bindings, events).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from piccolo.columns import Column
from piccolo.table import Table

from resolvers.assets.entities import EntityPolicy, entity_is_profile
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page
from resolvers.play_types import store
from resolvers.principal import Principal


def may_read(*, publication_status: str, owner_user_id: str, user_id: str | None) -> bool:
    """Who may read a play type's work: anyone once it is published, else its owner."""
    return publication_status == WorkPublicationStatus.PUBLISHED or (
        user_id is not None and owner_user_id == user_id
    )


def visible(row: Mapping[str, Any] | None, user_id: str | None) -> bool:
    """Published, or the user's own (`may_read` of a stored row)."""
    return row is not None and may_read(
        publication_status=row["publication_status"],
        owner_user_id=row["owner_user_id"],
        user_id=user_id,
    )


class WorkRow(Protocol):
    """What every play type's work row offers the platform (its own row class adds the
    type's columns): the contract's publish, update and unpublish return one."""

    @property
    def profile_id(self) -> str: ...

    @property
    def owner_user_id(self) -> str: ...

    @property
    def source_session_id(self) -> str | None: ...

    @property
    def publication_status(self) -> WorkPublicationStatus: ...

    @property
    def public_work_code(self) -> str | None: ...


WorkT = TypeVar("WorkT")


@dataclass(frozen=True)
class WorkReads(Generic[WorkT]):
    """The shared reads on one type's work profile table; `row` turns a stored row (JSON
    columns decoded) into the type's frozen work row, which is what the reads return."""

    play_type: PlayType
    profile_table: type[Table]
    not_found_message: str
    row: Callable[[Mapping[str, Any]], WorkT]

    def column(self, name: str) -> Column:
        return self.profile_table._meta.get_column_by_name(name)

    async def _stored(self, key: str, values: Sequence[str]) -> dict[str, dict[str, Any]]:
        return await store.profiles_by(self.profile_table, key=key, values=values)

    async def works_by_id(self, work_ids: Sequence[str]) -> dict[str, WorkT]:
        stored = await self._stored("profile_id", work_ids)
        return {work_id: self.row(row) for work_id, row in stored.items()}

    async def works_by_session(self, session_ids: Sequence[str]) -> dict[str, WorkT]:
        stored = await self._stored("source_session_id", session_ids)
        return {session_id: self.row(row) for session_id, row in stored.items()}

    async def visible_work(self, *, viewer: Principal, work_id: str) -> WorkT:
        """A published work, or the viewer's own draft; NOT_FOUND otherwise. The owner's
        pending turns are settled first, so the owner reads the draft the turn wrote."""
        row = (await self._stored("profile_id", [work_id])).get(work_id)
        if row is not None and row["owner_user_id"] == viewer.user_id and row["source_session_id"]:
            await turns.settle_sessions(
                play_type=self.play_type, session_ids=[row["source_session_id"]]
            )
            row = (await self._stored("profile_id", [work_id])).get(work_id)
        if row is None or not visible(row, viewer.user_id):
            raise NotFound(self.not_found_message)
        return self.row(row)

    async def works_of(
        self,
        *,
        user_id: str,
        status: WorkPublicationStatus | None,
        first: int | None,
        after: str | None,
    ) -> Page[WorkT]:
        """The user's works (drafts and published), most recently changed first."""
        await turns.settle_owner(owner_user_id=user_id)
        stored = await store.profiles_page(
            self.profile_table, user_id=user_id, status=status, first=first, after=after
        )
        return stored.map(self.row)

    async def _work_for_binding(self, work_id: str) -> dict[str, Any] | None:
        return await store.profile_access(self.profile_table, work_id)

    async def _may_bind_work(self, user_id: str, work_id: str) -> bool:
        row = await self._work_for_binding(work_id)
        return row is not None and row["owner_user_id"] == user_id

    async def _may_view_work(self, user_id: str | None, work_id: str) -> bool:
        return visible(await self._work_for_binding(work_id), user_id)

    def work_policy(self) -> EntityPolicy:
        """The work entity's binding rule: only the owner binds, anyone views a published
        work's images (types whose other entities need more keep their own policies)."""
        return EntityPolicy(
            can_bind=self._may_bind_work,
            can_view=self._may_view_work,
            profile_of=entity_is_profile,
        )
