"""The big-fish publish gate, and its record: a `big_fish_event` per evaluation.

A work needs a title; a cover (slot `cover` of entity `big_fish_work`, the session id)
and every sprite of `slots.required_slots` bound as PUBLIC_READ images; at least two
levels with strictly ascending sizes; one growth threshold per level above the first,
ascending and positive; a player level that exists; fish the player can eat at its start
(a level at or below its own with a count); and a win size above the player's start that
the world can feed (the mass of all fish it can ever eat, counting each level's fish).

`evaluate` runs the gate on the session's current draft and bindings and records it (inside
the caller's transaction): one `big_fish_event` (`publish_gate_evaluated`, publish_ready,
blockers), the session's `publish_ready` and `asset_coverage_json`, the slot rows, and the
event numbered in the session's stream `big_fish:<sessionId>` (`bigFishEvents`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from resolvers.assets.rows import BoundAsset
from resolvers.big_fish import slots
from resolvers.big_fish.drafts import BigFishDraft
from resolvers.big_fish.model import (
    COVER_SLOT,
    MIN_LEVELS,
    BigFishBlockerCode,
    BigFishEventKind,
)
from resolvers.big_fish.store import assets as assets_store
from resolvers.big_fish.store import sessions as sessions_store
from resolvers.ids import new_id
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers
from subscriptions import streams
from subscriptions.streams import StreamEntry

IMAGE_CODES = ImageCodes(
    not_an_image=BigFishBlockerCode.IMAGE_NOT_AN_IMAGE,
    not_public=BigFishBlockerCode.IMAGE_NOT_PUBLIC,
)
Code = BigFishBlockerCode


def session_stream(session_id: str) -> str:
    """The stream of a session's gate evaluations (`bigFishEvents`)."""
    return f"big_fish:{session_id}"


def game_blockers(draft: BigFishDraft) -> list[Blocker]:
    found: list[Blocker] = []
    levels = draft.levels
    if len(levels) < MIN_LEVELS:
        found.append(Blocker(Code.TOO_FEW_LEVELS, "Add at least two levels.", field="levels"))
        return found
    if any(a.size >= b.size for a, b in pairwise(levels)):
        found.append(
            Blocker(Code.SIZES_NOT_ASCENDING, "Sizes must grow level by level.", field="levels")
        )
    thresholds = draft.growth_thresholds
    if len(thresholds) != len(levels) - 1 or any(a >= b for a, b in pairwise([0.0, *thresholds])):
        found.append(
            Blocker(
                Code.THRESHOLDS_INVALID,
                f"Give {len(levels) - 1} ascending positive growth thresholds.",
                field="growthThresholds",
            )
        )
    if draft.player_level >= len(levels):
        found.append(
            Blocker(Code.PLAYER_LEVEL_INVALID, "Start the player at a level.", field="playerLevel")
        )
        return found
    if not any(level.count for level in levels[: draft.player_level + 1]):
        found.append(
            Blocker(
                Code.NOTHING_TO_EAT,
                "Put fish the player can eat at the start (its level or below).",
                field="levels",
            )
        )
    food = sum(level.size * level.count for level in levels)
    if not 0 < draft.win_size <= food:
        found.append(
            Blocker(
                Code.WIN_SIZE_UNREACHABLE,
                f"The win size must be above 0 and at most {food:g}, the mass of every fish.",
                field="winSize",
            )
        )
    return found


def blockers(draft: BigFishDraft, bound: dict[str, BoundAsset]) -> list[Blocker]:
    """Every reason the draft cannot be published with these bindings (empty: ready)."""
    found: list[Blocker] = []
    if not draft.title:
        found.append(Blocker(Code.TITLE_MISSING, "Give it a title.", field="title"))
    cover = bound.get(COVER_SLOT)
    if cover is None:
        found.append(Blocker(Code.COVER_MISSING, "Bind a cover image.", field="cover"))
    else:
        found += public_image_blockers(cover, codes=IMAGE_CODES, what="cover", field="cover")
    found += game_blockers(draft)
    for spec in slots.required_slots(draft):
        image = bound.get(spec.key)
        if image is None:
            found.append(
                Blocker(
                    Code.ASSET_MISSING,
                    f"Generate the {spec.key} sprite.",
                    field="assets",
                    part_id=spec.key,
                )
            )
        else:
            found += public_image_blockers(
                image, codes=IMAGE_CODES, what=spec.key, field="assets", part_id=spec.key
            )
    return found


@dataclass(frozen=True, slots=True)
class Evaluation:
    blockers: list[Blocker]
    event_id: str
    entries: list[StreamEntry]


async def evaluate(
    *, session_id: str, owner_user_id: str, draft: BigFishDraft, now: datetime
) -> Evaluation:
    """Run the gate and record it (call inside a write transaction; publish `entries`
    after commit)."""
    bound = (await slots.bound_images([session_id])).get(session_id, {})
    found = blockers(draft, bound)
    await slots.refresh(
        session_id=session_id, owner_user_id=owner_user_id, draft=draft, bound=bound, now=now
    )
    event_id = new_id()
    ready = not found
    await assets_store.insert_gate_event(
        event_id=event_id,
        session_id=session_id,
        owner_user_id=owner_user_id,
        event_kind=BigFishEventKind.PUBLISH_GATE_EVALUATED.value,
        publish_ready=ready,
        blockers=[blocker.as_json() for blocker in found],
        now=now,
    )
    await sessions_store.set_publish_ready(session_id=session_id, ready=ready)
    entries = await streams.append(
        [session_stream(session_id)],
        kind=BigFishEventKind.PUBLISH_GATE_EVALUATED.value,
        event_id=event_id,
        occurred_at=now,
    )
    return Evaluation(found, event_id, entries)


events_by_ids = assets_store.events_by_ids
