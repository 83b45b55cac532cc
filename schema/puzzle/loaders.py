"""Per-operation loaders of the puzzle graph: one statement per kind of data for a whole
list of works or sessions (profiles, sessions, bound images, asset objects)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from resolvers.assets.queries import objects_by_ids
from resolvers.assets.rows import AssetObjectRow
from resolvers.puzzle import sessions, works
from resolvers.puzzle.gate import WorkImages, bound_images
from resolvers.puzzle.rows import PuzzleSessionRow, PuzzleWorkRow
from schema.creation.loaders import CreationLoaders
from schema.gallery.loaders import GalleryLoaders

ImagesKey = tuple[str, tuple[str, ...]]


class PuzzleLoaders:
    def __init__(self) -> None:
        self.works = DataLoader[str, PuzzleWorkRow | None](load_fn=self._works)
        self.works_by_session = DataLoader[str, PuzzleWorkRow | None](
            load_fn=self._works_by_session
        )
        self.sessions = DataLoader[str, PuzzleSessionRow | None](load_fn=self._sessions)
        self.images = DataLoader[ImagesKey, WorkImages](load_fn=self._images)
        self.assets = DataLoader[str, AssetObjectRow | None](load_fn=self._assets)
        self.creation = CreationLoaders()

    @staticmethod
    async def _works(work_ids: list[str]) -> list[PuzzleWorkRow | None]:
        rows = await works.works_by_work_id(work_ids)
        return [rows.get(work_id) for work_id in work_ids]

    @staticmethod
    async def _works_by_session(session_ids: list[str]) -> list[PuzzleWorkRow | None]:
        rows = await works.works_by_session(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _sessions(session_ids: list[str]) -> list[PuzzleSessionRow | None]:
        rows = await sessions.sessions_by_id(session_ids)
        return [rows.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _images(keys: list[ImagesKey]) -> list[WorkImages]:
        wanted: dict[str, set[str]] = {}
        for work_id, level_ids in keys:
            wanted.setdefault(work_id, set()).update(level_ids)
        found = await bound_images({work_id: sorted(ids) for work_id, ids in wanted.items()})
        return [found[work_id] for work_id, _ in keys]

    @staticmethod
    async def _assets(asset_ids: list[str]) -> list[AssetObjectRow | None]:
        rows = await objects_by_ids(asset_ids)
        return [rows.get(asset_id) for asset_id in asset_ids]


def puzzle_loaders(loaders: GalleryLoaders) -> PuzzleLoaders:
    return loaders.scoped("puzzle", PuzzleLoaders)
