"""Per-operation loaders of the square-hole graph: one statement per kind of data for a
whole list of works or sessions (profiles, sessions, bound covers)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from resolvers.assets.rows import BoundAsset
from resolvers.play_types.gates import Blocker
from resolvers.square_hole import drafts, sessions, works
from resolvers.square_hole.gate import blockers, bound_covers
from resolvers.square_hole.rows import SquareHoleSessionRow, SquareHoleWorkRow
from schema.creation.loaders import CreationLoaders


class SquareHoleLoaders:
    def __init__(self) -> None:
        self.works = DataLoader[str, SquareHoleWorkRow | None](load_fn=self._works)
        self.works_by_session = DataLoader[str, SquareHoleWorkRow | None](
            load_fn=self._works_by_session
        )
        self.sessions = DataLoader[str, SquareHoleSessionRow | None](load_fn=self._sessions)
        self.covers = DataLoader[str, BoundAsset | None](load_fn=self._covers)
        # The gate of each (work id, session id): one batch for a whole list, so its
        # sessions and covers are one statement each, however the fields resolve.
        self.gates = DataLoader[tuple[str, str], list[Blocker]](load_fn=self._gates)
        self.creation = CreationLoaders()

    @staticmethod
    async def _works(work_ids: list[str]) -> list[SquareHoleWorkRow | None]:
        rows = await works.works_by_work_id(work_ids)
        return [rows.get(work_id) for work_id in work_ids]

    @staticmethod
    async def _works_by_session(session_ids: list[str]) -> list[SquareHoleWorkRow | None]:
        rows = await works.works_by_session(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _sessions(session_ids: list[str]) -> list[SquareHoleSessionRow | None]:
        rows = await sessions.sessions_by_id(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    async def _gates(self, keys: list[tuple[str, str]]) -> list[list[Blocker]]:
        found = await self.sessions.load_many([session_id for _, session_id in keys])
        covers = await self.covers.load_many([work_id for work_id, _ in keys])
        return [
            blockers(drafts.stored_draft(session.draft_json if session else None), cover)
            for session, cover in zip(found, covers, strict=True)
        ]

    @staticmethod
    async def _covers(work_ids: list[str]) -> list[BoundAsset | None]:
        rows = await bound_covers(work_ids)
        return [rows.get(work_id) for work_id in work_ids]
