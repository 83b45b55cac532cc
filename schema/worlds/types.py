"""Custom worlds on the graph: the typed draft, cards, the publish gate, agent sessions
(a `CreationSession`), works (a gallery `Work`), Q&A sessions and errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from resolvers.assets.objects import read_url
from resolvers.creation.model import OperationStatus
from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import works_by_keys
from resolvers.play_types.gates import Blocker
from resolvers.worlds import adapter as _adapter  # registers the adapter and entity kinds
from resolvers.worlds.drafts import CustomWorldDraft, stored_draft
from resolvers.worlds.errors import WorldErrorCode
from resolvers.worlds.gate import (
    ANCHOR_LABELS,
    Cover,
    cover_object_id,
    cover_src,
    covers_of,
    evaluate,
)
from resolvers.worlds.model import (
    AgentStage,
    AnchorKey,
    AssetStatus,
    BlockerCode,
    CardKind,
    CardStatus,
    GenerationMode,
    LegacySessionStatus,
    ThemeMode,
)
from resolvers.worlds.reading import visible
from resolvers.worlds.store import asset_status_of
from schema.context import Info
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import Work
from schema.worlds.loaders import WorldLoaders

assert _adapter.ADAPTER.play_type is PlayType.CUSTOM_WORLD

strawberry.enum(
    AnchorKey,
    name="CustomWorldAnchorKey",
    description="The eight anchors of a world: PREMISE (the hook), TONE (mood and genre), "
    "SETTING (era, geography, look), RULES (magic or technology and its cost), FACTIONS (the "
    "powers in conflict), PLAYER_ROLE (who the player is), CONFLICT (the central threat), "
    "STAKES (what is won or lost). All eight must be set to publish.",
)
strawberry.enum(
    ThemeMode, name="CustomWorldThemeMode", description="The world's genre (the gallery theme)."
)
strawberry.enum(
    AgentStage,
    name="CustomWorldAgentStage",
    description="COLLECTING_ANCHORS (anchors missing) → DRAFTING (other blockers remain) → "
    "READY_TO_PUBLISH (the gate passes) → PUBLISHED.",
)
strawberry.enum(CardKind, name="CustomWorldCardKind", description="What a draft card shows.")
strawberry.enum(
    CardStatus,
    name="CustomWorldCardStatus",
    description="GENERATED: the agent's (later turns may replace it). EDITED: changed by the "
    "creator (agent turns keep it).",
)
strawberry.enum(
    AssetStatus,
    name="CustomWorldAssetStatus",
    description="Whether a character or place card has an image bound (entity kind "
    "`custom_world_card`, slot `image`).",
)
strawberry.enum(
    BlockerCode,
    name="CustomWorldBlockerCode",
    description="Why a world cannot be published: WORLD_NAME_MISSING, ANCHOR_MISSING (the "
    "anchor is named), NO_PLAYABLE_CHARACTER, NO_LANDMARK (no place), COVER_MISSING (no "
    "image bound to entity kind `custom_world`, slot `cover`), COVER_NOT_IMAGE, "
    "COVER_NOT_PUBLIC (the cover must be PUBLIC_READ).",
)
strawberry.enum(
    GenerationMode,
    name="CustomWorldGenerationMode",
    description="Q&A sessions: QUICK may generate at once; GUIDED needs every answer first.",
)
strawberry.enum(
    LegacySessionStatus,
    name="CustomWorldSessionStatus",
    description="QUESTIONING → READY (every answer given, or QUICK) → COMPLETED (result) or "
    "FAILED (error; answer again and retry).",
)
strawberry.enum(
    WorldErrorCode,
    name="CustomWorldErrorCode",
    description="Why a custom-world mutation was refused (nothing was written). Publish "
    "blockers use their blocker code (ANCHOR_MISSING, COVER_MISSING, …).",
)

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


def signed_cover_url(src: str | None) -> str | None:
    """A cover source as shown: an asset's read path gets a fresh signature."""
    asset_object_id = cover_object_id(src)
    if asset_object_id is None:
        return src
    return read_url({"asset_object_id": asset_object_id}).url


@strawberry.type(name="CustomWorldError", description="Why a custom-world mutation did nothing.")
class WorldErrorType:
    code: WorldErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


# --- the typed draft -------------------------------------------------------------------------


@strawberry.type(description="One of the eight anchors.")
class CustomWorldAnchor:
    key: AnchorKey = strawberry.field(description="Which anchor.")
    label: str = strawberry.field(description="Its name for people (`player role`).")
    text: str | None = strawberry.field(description="Its text (up to 500), null while empty.")

    @strawberry.field(description="Whether it is set (publishing needs all eight).")
    def filled(self) -> bool:
        return self.text is not None


def anchors_of(draft: CustomWorldDraft) -> list[CustomWorldAnchor]:
    return [
        CustomWorldAnchor(key=key, label=ANCHOR_LABELS[key], text=draft.anchors.get(key))
        for key in AnchorKey
    ]


@strawberry.type(description="A character of the draft (also shown as a CHARACTER card).")
class CustomWorldCharacter:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    name: str = strawberry.field(description="Name, 1 to 40 characters.")
    role: str = strawberry.field(description="Role in the story, up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    playable: bool = strawberry.field(description="Whether players may play as them.")
    home_place_id: strawberry.ID | None = strawberry.field(description="Their home place, if any.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(description="A place (landmark) of the draft (also a PLACE card).")
class CustomWorldPlace:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    name: str = strawberry.field(description="Name, 1 to 40 characters.")
    region: str = strawberry.field(description="Where it is, up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(description="A chapter of the draft, in story order (also a CHAPTER card).")
class CustomWorldChapter:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    title: str = strawberry.field(description="Title, 1 to 40 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    character_ids: list[strawberry.ID] = strawberry.field(description="Characters who appear.")
    place_ids: list[strawberry.ID] = strawberry.field(description="Places where it happens.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(
    name="CustomWorldDraft",
    description="A custom world's typed draft, validated on every write (limits in each "
    "field's description; at most 8 tags and 24 characters, places and chapters).",
)
class CustomWorldDraftType:
    world_name: str = strawberry.field(description="The world's name, up to 40; may be empty.")
    subtitle: str = strawberry.field(description="Up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    theme_mode: ThemeMode = strawberry.field(description="The genre.")
    tags: list[str] = strawberry.field(description="At most 8 tags of up to 20 characters.")
    anchors: list[CustomWorldAnchor] = strawberry.field(description="The eight anchors, in order.")
    characters: list[CustomWorldCharacter] = strawberry.field(description="The cast.")
    places: list[CustomWorldPlace] = strawberry.field(description="The places (landmarks).")
    chapters: list[CustomWorldChapter] = strawberry.field(description="The chapters, in order.")

    @classmethod
    def from_draft(cls, draft: CustomWorldDraft) -> CustomWorldDraftType:
        return cls(
            world_name=draft.world_name,
            subtitle=draft.subtitle,
            summary=draft.summary,
            theme_mode=draft.theme_mode,
            tags=list(draft.tags),
            anchors=anchors_of(draft),
            characters=[
                CustomWorldCharacter(
                    id=strawberry.ID(c.id),
                    name=c.name,
                    role=c.role,
                    summary=c.summary,
                    playable=c.playable,
                    home_place_id=strawberry.ID(c.home_place_id) if c.home_place_id else None,
                    status=c.status,
                )
                for c in draft.characters
            ],
            places=[
                CustomWorldPlace(
                    id=strawberry.ID(p.id),
                    name=p.name,
                    region=p.region,
                    summary=p.summary,
                    status=p.status,
                )
                for p in draft.places
            ],
            chapters=[
                CustomWorldChapter(
                    id=strawberry.ID(c.id),
                    title=c.title,
                    summary=c.summary,
                    character_ids=[strawberry.ID(i) for i in c.character_ids],
                    place_ids=[strawberry.ID(i) for i in c.place_ids],
                    status=c.status,
                )
                for c in draft.chapters
            ],
        )


# --- the publish gate ------------------------------------------------------------------------


@strawberry.type(description="One reason a world cannot be published yet.")
class CustomWorldPublishBlocker:
    code: BlockerCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="What to do about it.")
    anchor: AnchorKey | None = strawberry.field(description="ANCHOR_MISSING: which anchor.")
    field: str | None = strawberry.field(description="The draft field at fault, if any.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> CustomWorldPublishBlocker:
        return cls(
            code=BlockerCode(blocker.code),
            message=blocker.message,
            anchor=AnchorKey(blocker.part_id) if blocker.part_id else None,
            field=blocker.field,
        )


@strawberry.type(
    description="The publish gate evaluated now: the draft, and the cover bound through the "
    "assets domain at this moment."
)
class CustomWorldPublishGate:
    blockers: list[CustomWorldPublishBlocker] = strawberry.field(
        description="Every blocker (empty: the world can be published)."
    )

    @strawberry.field(description="True when nothing blocks publishing.")
    def ready(self) -> bool:
        return not self.blockers

    @classmethod
    def of(cls, blockers: Iterable[Blocker]) -> CustomWorldPublishGate:
        return cls(blockers=[CustomWorldPublishBlocker.from_blocker(b) for b in blockers])


async def live_gate(draft: CustomWorldDraft, profile_id: str, loaders: WorldLoaders) -> Any:
    cover: Cover | None = await loaders.covers.load(profile_id)
    return CustomWorldPublishGate.of(evaluate(draft, cover))


# --- cards -----------------------------------------------------------------------------------


@strawberry.type(
    description="A card of a session's draft: one character, place or chapter. Edit it with "
    "`draftCardUpdate` (the publish gate runs again)."
)
class CustomWorldDraftCard:
    card_id: strawberry.ID = strawberry.field(description="The card's id (its element's id).")
    session_id: strawberry.ID = strawberry.field(description="Its agent session.")
    kind: CardKind = strawberry.field(description="CHARACTER, PLACE or CHAPTER.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")
    title: str = strawberry.field(description="Name or chapter title.")
    subtitle: str = strawberry.field(description="Role, region, or `Chapter n`.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    linked_ids: list[strawberry.ID] = strawberry.field(
        description="Cards it is linked to: a character's home and chapters, a place's "
        "residents and chapters, a chapter's characters and places."
    )
    warning_count: int = strawberry.field(
        description="Quality warnings (missing summary, role, home, cast or place)."
    )
    detail: JSON | None = strawberry.field(
        description="Kind-specific details (`playable`, `homePlaceId`, `region`, `order`, …)."
    )
    created_at: datetime = strawberry.field(description="When the card appeared.")
    updated_at: datetime = strawberry.field(description="Its last write.")
    loaders: strawberry.Private[WorldLoaders]

    @classmethod
    def from_row(cls, row: dict[str, Any], loaders: WorldLoaders) -> CustomWorldDraftCard:
        return cls(
            card_id=strawberry.ID(row["card_id"]),
            session_id=strawberry.ID(row["session_id"]),
            kind=CardKind(row["kind"]),
            status=CardStatus(row["status"]),
            title=row["title"],
            subtitle=row["subtitle"],
            summary=row["summary"],
            linked_ids=[strawberry.ID(i) for i in row["linked_ids_json"] or []],
            warning_count=row["warning_count"],
            detail=row["detail_payload_json"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            loaders=loaders,
        )

    async def _asset(self) -> tuple[AssetStatus | None, str | None]:
        if self.kind is CardKind.CHAPTER:
            return None, None
        return asset_status_of(self.kind, await self.loaders.card_images.load(str(self.card_id)))

    @strawberry.field(
        description="MISSING or BOUND for characters and places (read now from the "
        "bindings); null for chapters."
    )
    async def asset_status(self) -> AssetStatus | None:
        return (await self._asset())[0]

    @strawberry.field(description="`Portrait bound`, `No image yet`, …; null for chapters.")
    async def asset_status_label(self) -> str | None:
        return (await self._asset())[1]


# --- operations (the catalog's mirror of each turn) -----------------------------------------


@strawberry.type(
    description="An agent turn as `custom_world_agent_operation` records it (the same "
    "`operationId` as the creation framework's turn)."
)
class CustomWorldAgentOperation:
    operation_id: strawberry.ID = strawberry.field(description="The turn's id.")
    operation_type: str = strawberry.field(description="`agent_reply`.")
    status: OperationStatus = strawberry.field(description="RUNNING, COMPLETED, FAILED, …")
    phase_label: str = strawberry.field(description="Short label of its phase.")
    phase_detail: str = strawberry.field(description="What the phase means.")
    progress: int = strawberry.field(description="0 while running, 100 once finished.")
    error_message: str | None = strawberry.field(description="Why it failed, if it did.")
    task_id: strawberry.ID | None = strawberry.field(
        description="The AI task streaming the reply (`aiTaskEvents(taskId)`)."
    )
    created_at: datetime = strawberry.field(description="When it started.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CustomWorldAgentOperation:
        return cls(
            operation_id=strawberry.ID(row["operation_id"]),
            operation_type=row["operation_type"],
            status=OperationStatus(row["status"]),
            phase_label=row["phase_label"],
            phase_detail=row["phase_detail"],
            progress=row["progress"],
            error_message=row["error_message"],
            task_id=strawberry.ID(row["task_id"]) if row.get("task_id") else None,
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


# --- agent sessions --------------------------------------------------------------------------


@strawberry.type(
    description="A conversation with the creation agent about one custom world (only its "
    "owner sees it). Send messages with `creationMessageSend(playType: CUSTOM_WORLD)`. "
    "`stage` and `progress` are as of the last write; `publishGate` is evaluated now."
)
class CustomWorldAgentSession(CreationSession):
    profile_id: strawberry.ID = strawberry.field(description="Its world (`work.workId`).")
    agent_stage: AgentStage = strawberry.field(description="`stage` as an enum.")
    focus_card_id: strawberry.ID | None = strawberry.field(description="The card in focus.")
    creator_intent: JSON | None = strawberry.field(description="What the creator set out to do.")
    creator_intent_readiness: JSON = strawberry.field(
        description="`{filled, missing, ready}`: which anchors are set."
    )
    anchor_pack: JSON | None = strawberry.field(
        description="The eight anchors together once all are set; null before."
    )
    lock_state: JSON | None = strawberry.field(
        description="What agent turns keep as it is (`editedCardIds`)."
    )
    stored_publish_gate: JSON | None = strawberry.field(
        description="The gate as evaluated at the last write (`{ready, blockers, evaluatedAt}`)."
    )
    result_preview: JSON | None = strawberry.field(description="The world card as it would show.")
    pending_clarifications: JSON = strawberry.field(description="Questions for the empty anchors.")
    quality_findings: JSON = strawberry.field(
        description="Card warnings: `[{cardId, kind, message}]`."
    )
    suggested_actions: JSON = strawberry.field(
        description="Next steps from the blockers: `[{action, label}]`."
    )
    recommended_replies: JSON = strawberry.field(description="Things the creator might say next.")
    asset_coverage: JSON = strawberry.field(
        description="`{cover, characters: {bound, total}, places: {bound, total}}` at the last "
        "write."
    )
    checkpoints: JSON = strawberry.field(
        description="One entry per applied turn, latest 20: `{turn, at, draftChanged}`."
    )
    world_draft: CustomWorldDraftType = strawberry.field(description="The typed draft.")
    anchors: list[CustomWorldAnchor] = strawberry.field(description="The eight anchors, in order.")
    typed_draft: strawberry.Private[CustomWorldDraft]
    loaders: strawberry.Private[WorldLoaders]

    @classmethod
    def from_row(cls, row: dict[str, Any], loaders: WorldLoaders) -> CustomWorldAgentSession:
        draft = stored_draft(row["draft_profile_json"])
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.CUSTOM_WORLD,
                row=row,
                draft=row["draft_profile_json"],
                loaders=loaders.creation,
            ),
            profile_id=strawberry.ID(row["profile_id"]),
            agent_stage=AgentStage(row["stage"]),
            focus_card_id=strawberry.ID(row["focus_card_id"]) if row["focus_card_id"] else None,
            creator_intent=row["creator_intent_json"],
            creator_intent_readiness=row["creator_intent_readiness_json"],
            anchor_pack=row["anchor_pack_json"],
            lock_state=row["lock_state_json"],
            stored_publish_gate=row["publish_gate_json"],
            result_preview=row["result_preview_json"],
            pending_clarifications=row["pending_clarifications_json"],
            quality_findings=row["quality_findings_json"],
            suggested_actions=row["suggested_actions_json"],
            recommended_replies=row["recommended_replies_json"],
            asset_coverage=row["asset_coverage_json"],
            checkpoints=row["checkpoints_json"],
            world_draft=CustomWorldDraftType.from_draft(draft),
            anchors=anchors_of(draft),
            typed_draft=draft,
            loaders=loaders,
        )

    @strawberry.field(
        description="The publish gate now (the draft and the cover bound at this moment)."
    )
    async def publish_gate(self) -> CustomWorldPublishGate:
        gate: CustomWorldPublishGate = await live_gate(
            self.typed_draft, str(self.profile_id), self.loaders
        )
        return gate

    @strawberry.field(
        description="The draft's cards in draft order: characters, then places, then "
        "chapters; optionally of one kind."
    )
    async def cards(
        self,
        kind: Annotated[
            CardKind | None, strawberry.argument(description="Only cards of this kind.")
        ] = None,
    ) -> list[CustomWorldDraftCard]:
        rows = await self.loaders.cards.load(str(self.session_id))
        order = {element.id: index for index, element in enumerate(self.typed_draft.elements())}
        return [
            CustomWorldDraftCard.from_row(row, self.loaders)
            for row in sorted(rows, key=lambda row: order.get(row["card_id"], len(order)))
            if kind is None or row["kind"] == kind.value
        ]

    @strawberry.field(
        description="The latest 20 turns as `custom_world_agent_operation` records them, "
        "newest first."
    )
    async def world_operations(self) -> list[CustomWorldAgentOperation]:
        rows = await self.loaders.operations.load(str(self.session_id))
        return [CustomWorldAgentOperation.from_row(row) for row in rows]

    @strawberry.field(description="Its world (a draft work until published).")
    async def work(self) -> CustomWorldWork | None:
        return await work_of(str(self.profile_id), self.loaders)


# --- works -----------------------------------------------------------------------------------


@strawberry.type(
    description="A custom world as a work: in the gallery once published (anyone sees it), "
    "a draft only its author sees otherwise."
)
class CustomWorldWork(Work):
    profile: strawberry.Private[dict[str, Any] | None] = None

    @classmethod
    def from_gallery_row(cls, row: dict[str, Any], loaders: GalleryLoaders) -> CustomWorldWork:
        fields = Work.gallery_fields(row, loaders)
        fields["cover_url"] = signed_cover_url(row["cover_image_src"])
        return cls(**fields)

    @classmethod
    def from_profile(
        cls,
        row: dict[str, Any],
        gallery_row: dict[str, Any] | None,
        cover: Cover | None,
        loaders: WorldLoaders,
    ) -> CustomWorldWork:
        draft = stored_draft(row["profile_payload_json"])
        published = row["publication_status"] == WorkPublicationStatus.PUBLISHED.value
        live_cover = row["cover_image_src"]
        if not published:
            live_cover = (
                cover_src(cover.asset_object_id) if cover is not None and cover.is_image else None
            )
        fields = Work.work_fields(
            play_type=PlayType.CUSTOM_WORLD,
            work_id=row["profile_id"],
            owner_user_id=row["owner_user_id"],
            title=row["world_name"],
            summary=row["summary_text"],
            cover_url=signed_cover_url(live_cover),
            theme=row["theme_mode"],
            tags=list(draft.tags),
            publication_status=WorkPublicationStatus(row["publication_status"]),
            play_count=gallery_row["play_count"] if published and gallery_row else 0,
            like_count=gallery_row["like_count"] if published and gallery_row else 0,
            published_at=row["published_at"] if published else None,
            loaders=loaders.gallery,
        )
        return cls(**fields, profile=row)

    def _worlds(self) -> WorldLoaders:
        return WorldLoaders.of(self.loaders)

    async def _profile(self) -> dict[str, Any]:
        if self.profile is None:
            self.profile = await self._worlds().profiles.load(str(self.work_id))
        return self.profile or {}

    def _value(self, key: str) -> Any:
        if self.profile is not None:
            return self.profile[key]
        return self._later(key)

    async def _later(self, key: str) -> Any:
        return (await self._profile()).get(key)

    @strawberry.field(description="Public work code (`CW…`), assigned at first publication.")
    def public_work_code(self) -> str | None:
        value: str | None = self._value("public_work_code")
        return value

    @strawberry.field(description="Subtitle, up to 80 characters.")
    def subtitle(self) -> str:
        value: str = self._value("subtitle")
        return value

    @strawberry.field(description="The genre.")
    async def theme_mode(self) -> ThemeMode:
        return ThemeMode((await self._profile()).get("theme_mode") or ThemeMode.FANTASY)

    @strawberry.field(description="Playable characters.")
    def playable_npc_count(self) -> int:
        value: int = self._value("playable_npc_count")
        return value

    @strawberry.field(description="Places (landmarks).")
    def landmark_count(self) -> int:
        value: int = self._value("landmark_count")
        return value

    @strawberry.field(description="Last change of the world.")
    def updated_at(self) -> datetime:
        value: datetime = self._value("updated_at")
        return value

    @strawberry.field(
        description="The world's content (anchors, characters, places, chapters), as "
        "published or, for its author, as drafted."
    )
    async def world(self) -> CustomWorldDraftType:
        return CustomWorldDraftType.from_draft(
            stored_draft((await self._profile()).get("profile_payload_json"))
        )

    @strawberry.field(
        description="Whether it can be published now (its gate passes); a published world is "
        "always publish-ready. False for a new draft (no cover yet)."
    )
    async def publish_ready(self) -> bool:
        profile = await self._profile()
        if not profile:
            return False
        if profile["publication_status"] == WorkPublicationStatus.PUBLISHED.value:
            return True
        cover: Cover | None = await self._worlds().covers.load(str(self.work_id))
        return not evaluate(stored_draft(profile["profile_payload_json"]), cover)

    @strawberry.field(description="For its author: the publish gate now; null for others.")
    async def publish_gate(self) -> CustomWorldPublishGate | None:
        profile = await self._profile()
        if not profile or profile["owner_user_id"] != self.loaders.viewer_user_id:
            return None
        gate: CustomWorldPublishGate = await live_gate(
            stored_draft(profile["profile_payload_json"]), str(self.work_id), self._worlds()
        )
        return gate

    @strawberry.field(description="For its author: the agent session it came from; null else.")
    async def agent_session(self) -> CustomWorldAgentSession | None:
        profile = await self._profile()
        if not profile or profile["owner_user_id"] != self.loaders.viewer_user_id:
            return None
        worlds = self._worlds()
        row = await worlds.sessions.load(profile["source_agent_session_id"])
        return CustomWorldAgentSession.from_row(row, worlds) if row is not None else None

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Work | None]:
        """Published worlds for anyone; drafts for their author."""
        ids = list(node_ids)
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        rows = [await loaders.profiles.load(work_id) for work_id in ids]
        shown = [row for row in rows if visible(row, loaders.viewer_user_id)]
        works = {w.work_id: w for w in await works_from_profiles(shown, loaders)}
        return [works.get(strawberry.ID(work_id)) for work_id in ids]


async def works_from_profiles(
    rows: list[dict[str, Any]], loaders: WorldLoaders
) -> list[CustomWorldWork]:
    """Works from profile rows: their gallery counts and live covers in two statements."""
    published = [
        entry_key(PlayType.CUSTOM_WORLD, row["profile_id"])
        for row in rows
        if row["publication_status"] == WorkPublicationStatus.PUBLISHED.value
    ]
    gallery_rows = await works_by_keys(published)
    drafts = [
        row["profile_id"]
        for row in rows
        if row["publication_status"] != WorkPublicationStatus.PUBLISHED.value
    ]
    covers = await covers_of(drafts)
    return [
        CustomWorldWork.from_profile(
            row,
            gallery_rows.get(entry_key(PlayType.CUSTOM_WORLD, row["profile_id"])),
            covers.get(row["profile_id"]),
            loaders,
        )
        for row in rows
    ]


async def work_of(profile_id: str, loaders: WorldLoaders) -> CustomWorldWork | None:
    """One live world through the loaders (a list of them costs one statement per kind)."""
    row = await loaders.profiles.load(profile_id)
    if row is None:
        return None
    published = row["publication_status"] == WorkPublicationStatus.PUBLISHED.value
    gallery_row = (
        await loaders.gallery.works.load(entry_key(PlayType.CUSTOM_WORLD, profile_id))
        if published
        else None
    )
    cover = None if published else await loaders.covers.load(profile_id)
    return CustomWorldWork.from_profile(row, gallery_row, cover, loaders)


# --- the question-and-answer flow ------------------------------------------------------------


@strawberry.type(description="One question of a Q&A session, with the creator's answer.")
class CustomWorldQuestion:
    question_id: strawberry.ID = strawberry.field(description="`name` or an anchor key.")
    prompt: str = strawberry.field(description="The question.")
    anchor: AnchorKey | None = strawberry.field(description="The anchor it fills, if any.")
    answer: str | None = strawberry.field(description="The answer (up to 500), if given.")


@strawberry.type(
    description="A session of the older question-and-answer flow (kept apart from agent "
    "sessions): setting, questions and answers, then a result or an error. Owner only."
)
class CustomWorldSession:
    session_id: strawberry.ID = strawberry.field(description="The session's id.")
    generation_mode: GenerationMode = strawberry.field(description="QUICK or GUIDED.")
    status: LegacySessionStatus = strawberry.field(description="Where the session is.")
    setting_text: str = strawberry.field(description="The setting, up to 4000 characters.")
    creator_intent: JSON | None = strawberry.field(description="What the creator asked for.")
    questions: list[CustomWorldQuestion] = strawberry.field(description="The questions, in order.")
    result_payload: JSON | None = strawberry.field(
        description="COMPLETED: the generated draft as JSON."
    )
    result: CustomWorldDraftType | None = strawberry.field(
        description="COMPLETED: the generated draft."
    )
    last_error_message: str | None = strawberry.field(description="FAILED: why.")
    created_at: datetime = strawberry.field(description="When it was started.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CustomWorldSession:
        result = row["result_payload_json"]
        return cls(
            session_id=strawberry.ID(row["session_id"]),
            generation_mode=GenerationMode(row["generation_mode"]),
            status=LegacySessionStatus(row["status"]),
            setting_text=row["setting_text"],
            creator_intent=row["creator_intent_json"],
            questions=[
                CustomWorldQuestion(
                    question_id=strawberry.ID(q["id"]),
                    prompt=q["prompt"],
                    anchor=AnchorKey(q["anchor"]) if q["anchor"] else None,
                    answer=q["answer"],
                )
                for q in row["question_snapshot_json"] or []
            ],
            result_payload=result,
            result=CustomWorldDraftType.from_draft(stored_draft(result)) if result else None,
            last_error_message=row["last_error_message"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
