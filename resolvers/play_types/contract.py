"""`PlayTypePlugin`: everything a play type gives the platform, behind one contract.

A plugin bundles its play type's creation adapter (agent turns, resolvers/creation), its
draft model, its gate (`blockers`: `gates.Blocker`s with codes of its `<Type>BlockerCode`
enum, public images checked by `gates.public_image_blockers`), its publication (the status
enum `WorkPublicationStatus`, public codes from `public_codes`, the gallery's read model
through `resolvers.gallery.publishing`), its asset entity policies, and the life cycle
every play type offers under the same names: start a session, autosave, publish, update,
unpublish. Plugins are listed in `resolvers/play_types/registry.py`; the contract test
suite (tests/play_types/) runs for every listed plugin.

Every operation takes the signed-in viewer: anonymous callers are refused
(`NotAuthenticated`), and another user's session or work is `NotFound`. A refusal writes
nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel

from resolvers.assets.entities import EntityPolicy
from resolvers.creation.adapters import CreationAdapter
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker, ImageCodes
from resolvers.play_types.tables import DraftColumn
from resolvers.play_types.works import WorkRow
from resolvers.principal import Principal
from resolvers.runs.rules import RunRules

COVER_SLOT = "cover"


@dataclass(frozen=True, slots=True)
class PlaySession:
    """A creation session and the work it makes (every play type has both at once)."""

    session_id: str
    work_id: str


@dataclass(frozen=True, slots=True)
class ImageSlot:
    """Where an image is bound: asset entity kind, entity id, slot."""

    entity_kind: str
    entity_id: str
    slot: str


@dataclass(frozen=True, slots=True)
class GeneratedSlot:
    """A slot `imageGenerate` may fill: entity kind, slot, and whether the stored image is
    PUBLIC_READ (what the published work shows to everyone must be). A slot ending in `:`
    names a family of slots, one per part (`item:` covers Match3D's `item:<itemId>`)."""

    entity_kind: str
    slot: str
    public: bool = True

    def covers(self, slot: str) -> bool:
        """Whether `slot` is this slot, or one of its family."""
        if self.slot.endswith(":"):
            return slot.startswith(self.slot) and len(slot) > len(self.slot)
        return slot == self.slot


class PlayTypePlugin(ABC):
    """One play type's side of the platform. Subclass, fill in, list it in the registry."""

    play_type: ClassVar[PlayType]
    creation: ClassVar[CreationAdapter]
    # Public work codes: prefix and number of random characters (public_codes.py).
    public_code_prefix: ClassVar[str]
    public_code_length: ClassVar[int]
    # The work's cover is bound to slot `cover` of this entity kind, entity id = work id.
    cover_entity_kind: ClassVar[str]
    # The codes its gate reports for a cover or image that is not an image / not public.
    image_codes: ClassVar[ImageCodes]
    # Where the session's draft is stored (a JSON object column of the session table).
    draft: ClassVar[DraftColumn]
    # Its run rules (resolvers/runs/rules.py); None while the play type has no runs.
    runs: ClassVar[RunRules[Any] | None] = None

    @property
    def draft_model(self) -> type[BaseModel]:
        return self.creation.draft_model

    @abstractmethod
    def entity_policies(self) -> Mapping[str, EntityPolicy]:
        """The asset entity kinds this play type binds images to, with who may bind/view."""

    # --- the life cycle ------------------------------------------------------------------

    @abstractmethod
    async def start_session(self, *, viewer: Principal, seed_text: str) -> PlaySession:
        """A new session from a seed, and its draft work at once (not publish-ready)."""

    @abstractmethod
    async def autosave(
        self,
        *,
        viewer: Principal,
        session_id: str,
        seed_text: str | None,
        draft: Mapping[str, Any] | None,
    ) -> PlaySession:
        """Save the seed and/or the whole draft (validated, the model's JSON keys; None:
        unchanged). Keys of the stored draft that the model does not know are kept."""

    @abstractmethod
    async def blockers(self, *, viewer: Principal, work_id: str) -> list[Blocker]:
        """The gate now, on the session's current draft and the bound images."""

    @abstractmethod
    async def publish(self, *, viewer: Principal, work_id: str) -> WorkRow:
        """Publish a draft work that passes the gate: public code, gallery entry, PUBLISHED
        gallery change. Already published: the play type's ALREADY_PUBLISHED error."""

    @abstractmethod
    async def update(self, *, viewer: Principal, work_id: str) -> WorkRow:
        """Publish the current draft over a published work (same gate): UPDATED change.
        Not published: the play type's NOT_PUBLISHED error."""

    @abstractmethod
    async def unpublish(self, *, viewer: Principal, work_id: str) -> WorkRow:
        """Take a published work out of the gallery (a draft again, code kept)."""

    # --- for tests and documentation ----------------------------------------------------

    @abstractmethod
    def example_draft(self) -> dict[str, Any]:
        """A complete draft (the model's JSON) that passes the gate once its images are
        bound: the contract tests and the docs' examples use it."""

    def example_images(self, *, work_id: str, draft: Mapping[str, Any]) -> list[ImageSlot]:
        """Every image `example_draft` needs besides the cover. Default: none."""
        return []

    def cover_slot(self, work_id: str) -> ImageSlot:
        return ImageSlot(self.cover_entity_kind, work_id, COVER_SLOT)

    # --- generated images (resolvers/images) -------------------------------------------

    # The size `workCoverGenerate` asks for (width, height; 64 to 1024 each).
    cover_size: ClassVar[tuple[int, int]] = (512, 512)

    def generated_slots(self) -> tuple[GeneratedSlot, ...]:
        """The slots `imageGenerate` may fill for this play type (the entity's own rules,
        `entity_policies`, decide who). Default: the work's cover; add the others."""
        return (GeneratedSlot(self.cover_entity_kind, COVER_SLOT),)
