"""Per-operation loaders of the custom-world graph: one statement per kind of data for a
whole list (covers, cards, card images, mirrored operations, sessions, works), plus the
creation framework's and the gallery's loaders the shared interfaces use."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from resolvers.worlds import reading, work_reads
from resolvers.worlds.cards import card_images
from resolvers.worlds.gate import Cover, covers_of
from resolvers.worlds.rows import AgentOperationRow, AgentSessionRow, DraftCardRow, WorldProfileRow
from schema.creation.loaders import CreationLoaders
from schema.gallery.loaders import GalleryLoaders

SCOPE = "worlds"


class WorldLoaders:
    def __init__(
        self, *, viewer_user_id: str | None = None, gallery: GalleryLoaders | None = None
    ) -> None:
        self.gallery = gallery or GalleryLoaders(viewer_user_id=viewer_user_id)
        self.viewer_user_id = self.gallery.viewer_user_id
        self.creation = CreationLoaders()
        self.covers = DataLoader[str, Cover | None](load_fn=self._covers)
        self.card_images = DataLoader[str, bool](load_fn=self._card_images)
        self.cards = DataLoader[str, list[DraftCardRow]](load_fn=self._cards)
        self.operations = DataLoader[str, list[AgentOperationRow]](load_fn=self._operations)
        self.sessions = DataLoader[str, AgentSessionRow | None](load_fn=self._sessions)
        self.profiles = DataLoader[str, WorldProfileRow | None](load_fn=self._profiles)
        # Feed items of this operation find these loaders through the gallery's.
        self.gallery.scoped(SCOPE, lambda: self)

    @classmethod
    def of(cls, gallery: GalleryLoaders) -> WorldLoaders:
        """The world loaders sharing `gallery`'s operation (made once)."""
        return gallery.scoped(SCOPE, lambda: cls(gallery=gallery))

    @staticmethod
    async def _covers(profile_ids: list[str]) -> list[Cover | None]:
        found = await covers_of(list(profile_ids))
        return [found.get(profile_id) for profile_id in profile_ids]

    @staticmethod
    async def _card_images(card_ids: list[str]) -> list[bool]:
        found = await card_images(list(card_ids))
        return [card_id in found for card_id in card_ids]

    @staticmethod
    async def _cards(session_ids: list[str]) -> list[list[DraftCardRow]]:
        grouped = await reading.cards_of(session_ids)
        return [grouped.get(session_id, []) for session_id in session_ids]

    @staticmethod
    async def _operations(session_ids: list[str]) -> list[list[AgentOperationRow]]:
        grouped = await reading.operations_of(session_ids)
        return [grouped.get(session_id, []) for session_id in session_ids]

    @staticmethod
    async def _sessions(session_ids: list[str]) -> list[AgentSessionRow | None]:
        found = await reading.sessions_by_ids(session_ids)
        return [found.get(session_id) for session_id in session_ids]

    @staticmethod
    async def _profiles(profile_ids: list[str]) -> list[WorldProfileRow | None]:
        found = await work_reads.profiles_by_ids(profile_ids)
        return [found.get(profile_id) for profile_id in profile_ids]
