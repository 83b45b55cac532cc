"""The publish gate and its blockers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry

from resolvers.play_types.gates import Blocker
from resolvers.worlds.drafts import CustomWorldDraft
from resolvers.worlds.gate import (
    Cover,
    evaluate,
)
from resolvers.worlds.model import (
    AnchorKey,
    BlockerCode,
)
from schema.worlds.loaders import WorldLoaders


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
