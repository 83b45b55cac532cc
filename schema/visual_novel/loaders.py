"""Per-operation loaders of the visual-novel graph: one statement per kind of data for a whole
list of works or sessions (profiles, sessions, bound images)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from resolvers.visual_novel import sessions, works
from resolvers.visual_novel.gate import WorkImages, bound_images
from resolvers.visual_novel.rows import VisualNovelSessionRow, VisualNovelWorkRow
from schema.creation.loaders import CreationLoaders
from schema.gallery.loaders import GalleryLoaders


class VisualNovelLoaders:
    def __init__(self) -> None:
        self.works = DataLoader[str, VisualNovelWorkRow | None](load_fn=self._works)
        self.works_by_session = DataLoader[str, VisualNovelWorkRow | None](
            load_fn=self._works_by_session
        )
        self.sessions = DataLoader[str, VisualNovelSessionRow | None](load_fn=self._sessions)
        self.images = DataLoader[str, WorkImages](load_fn=self._images)
        self.creation = CreationLoaders()

    @staticmethod
    async def _works(work_ids: list[str]) -> list[VisualNovelWorkRow | None]:
        rows = await works.works_by_id(work_ids)
        return [rows.get(work_id) for work_id in work_ids]

    @staticmethod
    async def _works_by_session(session_ids: list[str]) -> list[VisualNovelWorkRow | None]:
        rows = await works.works_by_session(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _sessions(session_ids: list[str]) -> list[VisualNovelSessionRow | None]:
        rows = await sessions.sessions_by_id(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _images(work_ids: list[str]) -> list[WorkImages]:
        found = await bound_images(work_ids)
        return [found[work_id] for work_id in work_ids]


def vn_loaders(loaders: GalleryLoaders) -> VisualNovelLoaders:
    return loaders.scoped("visual_novel", VisualNovelLoaders)
