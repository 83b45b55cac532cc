"""A custom world as a gallery `Work`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from resolvers.gallery.model import entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import works_by_keys
from resolvers.gallery.rows import GalleryWorkRow
from resolvers.worlds.drafts import stored_draft
from resolvers.worlds.gate import (
    Cover,
    cover_src,
    covers_of,
    evaluate,
)
from resolvers.worlds.model import (
    ThemeMode,
)
from resolvers.worlds.rows import WorldProfileRow
from resolvers.worlds.work_reads import visible
from schema.context import Info
from schema.gallery.work import Work
from schema.worlds.loaders import WorldLoaders
from schema.worlds.types import agent as agent_types
from schema.worlds.types.common import signed_cover_url
from schema.worlds.types.drafts import CustomWorldDraftType
from schema.worlds.types.gate import CustomWorldPublishGate, live_gate


@strawberry.type(
    description="A custom world as a work: in the gallery once published (anyone sees it), "
    "a draft only its author sees otherwise."
)
class CustomWorldWork(Work):
    profile: strawberry.Private[WorldProfileRow | None] = None

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        return signed_cover_url(src)

    @classmethod
    def from_profile(
        cls,
        row: WorldProfileRow,
        gallery_row: GalleryWorkRow | None,
        cover: Cover | None,
        loaders: WorldLoaders,
    ) -> CustomWorldWork:
        draft = stored_draft(row.profile_payload_json)
        published = row.published
        live_cover = row.cover_image_src
        if not published:
            live_cover = (
                cover_src(cover.asset_object_id) if cover is not None and cover.is_image else None
            )
        fields = Work.work_fields(
            play_type=PlayType.CUSTOM_WORLD,
            work_id=row.profile_id,
            owner_user_id=row.owner_user_id,
            title=row.world_name,
            summary=row.summary_text,
            cover_url=signed_cover_url(live_cover),
            theme=row.theme_mode,
            tags=list(draft.tags),
            publication_status=row.publication_status,
            play_count=gallery_row.play_count if published and gallery_row else 0,
            like_count=gallery_row.like_count if published and gallery_row else 0,
            published_at=row.published_at if published else None,
            loaders=loaders.gallery,
        )
        return cls(**fields, profile=row)

    def _worlds(self) -> WorldLoaders:
        return WorldLoaders.of(self.loaders)

    async def _profile(self) -> WorldProfileRow | None:
        if self.profile is None:
            self.profile = await self._worlds().profiles.load(str(self.work_id))
        return self.profile

    def _value(self, read: Callable[[WorldProfileRow], Any]) -> Any:
        """The field at once when the row is at hand (a list's works build no coroutine per
        field); else an awaitable that loads it (a feed's work: null if it is gone)."""
        if self.profile is not None:
            return read(self.profile)
        return self._later(read)

    async def _later(self, read: Callable[[WorldProfileRow], Any]) -> Any:
        profile = await self._profile()
        return read(profile) if profile is not None else None

    @strawberry.field(description="Public work code (`CW…`), assigned at first publication.")
    def public_work_code(self) -> str | None:
        value: str | None = self._value(lambda row: row.public_work_code)
        return value

    @strawberry.field(description="Subtitle, up to 80 characters.")
    def subtitle(self) -> str:
        value: str = self._value(lambda row: row.subtitle)
        return value

    @strawberry.field(description="The genre.")
    async def theme_mode(self) -> ThemeMode:
        profile = await self._profile()
        return ThemeMode((profile.theme_mode if profile else None) or ThemeMode.FANTASY)

    @strawberry.field(description="Playable characters.")
    def playable_npc_count(self) -> int:
        value: int = self._value(lambda row: row.playable_npc_count)
        return value

    @strawberry.field(description="Places (landmarks).")
    def landmark_count(self) -> int:
        value: int = self._value(lambda row: row.landmark_count)
        return value

    @strawberry.field(description="Last change of the world.")
    def updated_at(self) -> datetime:
        value: datetime = self._value(lambda row: row.updated_at)
        return value

    @strawberry.field(
        description="The world's content (anchors, characters, places, chapters), as "
        "published or, for its author, as drafted."
    )
    async def world(self) -> CustomWorldDraftType:
        profile = await self._profile()
        return CustomWorldDraftType.from_draft(
            stored_draft(profile.profile_payload_json if profile else None)
        )

    @strawberry.field(
        description="Whether it can be published now (its gate passes); a published world is "
        "always publish-ready. False for a new draft (no cover yet)."
    )
    async def publish_ready(self) -> bool:
        profile = await self._profile()
        if profile is None:
            return False
        if profile.published:
            return True
        cover: Cover | None = await self._worlds().covers.load(str(self.work_id))
        return not evaluate(stored_draft(profile.profile_payload_json), cover)

    @strawberry.field(description="For its author: the publish gate now; null for others.")
    async def publish_gate(self) -> CustomWorldPublishGate | None:
        profile = await self._profile()
        if profile is None or profile.owner_user_id != self.loaders.viewer_user_id:
            return None
        gate: CustomWorldPublishGate = await live_gate(
            stored_draft(profile.profile_payload_json), str(self.work_id), self._worlds()
        )
        return gate

    @strawberry.field(description="For its author: the agent session it came from; null else.")
    async def agent_session(
        self,
    ) -> Annotated[CustomWorldAgentSession, strawberry.lazy("schema.worlds.types.agent")] | None:
        profile = await self._profile()
        if profile is None or profile.owner_user_id != self.loaders.viewer_user_id:
            return None
        if profile.source_agent_session_id is None:
            return None
        worlds = self._worlds()
        row = await worlds.sessions.load(profile.source_agent_session_id)
        return (
            agent_types.CustomWorldAgentSession.from_row(row, worlds) if row is not None else None
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Work | None]:
        """Published worlds for anyone; drafts for their author."""
        ids = list(node_ids)
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        rows = [await loaders.profiles.load(work_id) for work_id in ids]
        shown = [row for row in rows if row is not None and visible(row, loaders.viewer_user_id)]
        works = {w.work_id: w for w in await works_from_profiles(shown, loaders)}
        return [works.get(strawberry.ID(work_id)) for work_id in ids]


async def works_from_profiles(
    rows: list[WorldProfileRow], loaders: WorldLoaders
) -> list[CustomWorldWork]:
    """Works from profile rows: their gallery counts and live covers in two statements."""
    published = [entry_key(PlayType.CUSTOM_WORLD, row.profile_id) for row in rows if row.published]
    gallery_rows = await works_by_keys(published)
    drafts = [row.profile_id for row in rows if not row.published]
    covers = await covers_of(drafts)
    return [
        CustomWorldWork.from_profile(
            row,
            gallery_rows.get(entry_key(PlayType.CUSTOM_WORLD, row.profile_id)),
            covers.get(row.profile_id),
            loaders,
        )
        for row in rows
    ]


async def work_of(profile_id: str, loaders: WorldLoaders) -> CustomWorldWork | None:
    """One live world through the loaders (a list of them costs one statement per kind)."""
    row = await loaders.profiles.load(profile_id)
    if row is None:
        return None
    published = row.published
    gallery_row = (
        await loaders.gallery.works.load(entry_key(PlayType.CUSTOM_WORLD, profile_id))
        if published
        else None
    )
    cover = None if published else await loaders.covers.load(profile_id)
    return CustomWorldWork.from_profile(row, gallery_row, cover, loaders)


if TYPE_CHECKING:
    from schema.worlds.types.agent import CustomWorldAgentSession
