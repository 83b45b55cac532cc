"""Asking for an image: `request_image` (any slot a play type lets `imageGenerate` fill)
and `request_cover` (a work's cover, every registered play type).

A request is checked (prompt, size, slot, the caller may change the entity), then one
transaction counts it against the daily quota and queues an `image_generation` task with
two stages (draw, store). A refusal raises before or inside that transaction: no task, no
quota used. The worker's image runner (runner.py) does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers import clock
from resolvers.ai_tasks import creating
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.ai_tasks.transactions import writing
from resolvers.assets.entities import policy_for
from resolvers.assets.objects import ENTITY_ID, SLOT
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.images import quota
from resolvers.images.errors import ImageError, ImageErrorCode
from resolvers.images.model import MAX_PROMPT_LENGTH, MAX_SIDE, MIN_SIDE, SOURCE_MODULE, STAGES
from resolvers.principal import Principal
from settings import get_settings
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such entity."


@dataclass(frozen=True, slots=True)
class ImageRequested:
    """A queued image task and how many generations the user has left today."""

    task: AiTaskRow
    remaining_today: int


def _prompt(prompt: str) -> str:
    cleaned = " ".join(prompt.split())
    if not cleaned or len(cleaned) > MAX_PROMPT_LENGTH:
        raise ImageError(
            ImageErrorCode.PROMPT_INVALID,
            f"A prompt takes 1 to {MAX_PROMPT_LENGTH} characters.",
            field="prompt",
        )
    return cleaned


def _side(value: int, field: str) -> int:
    if not MIN_SIDE <= value <= MAX_SIDE:
        raise ImageError(
            ImageErrorCode.SIZE_INVALID,
            f"`{field}` takes {MIN_SIDE} to {MAX_SIDE} pixels.",
            field=field,
        )
    return value


def _allowed_public(entity_kind: str, slot: str) -> bool:
    """Whether the slot stores PUBLIC_READ images; refuses slots no play type offers."""
    # Imported here: the registry imports every play type.
    from resolvers.play_types.registry import generated_slot_for, generated_slots

    rules = generated_slots()
    if policy_for(entity_kind) is None or not any(kind == entity_kind for kind, _ in rules):
        raise ImageError(
            ImageErrorCode.ENTITY_KIND_UNKNOWN,
            f"No play type generates images for entity kind {entity_kind!r}.",
            field="entityKind",
        )
    rule = generated_slot_for(entity_kind, slot)
    if rule is None or not SLOT.match(slot):  # a family's slot must be a valid slot too
        allowed = sorted(each for kind, each in rules if kind == entity_kind)
        raise ImageError(
            ImageErrorCode.SLOT_NOT_ALLOWED,
            f"Slots of {entity_kind} that take a generated image: {', '.join(allowed)}.",
            field="slot",
        )
    return rule.public


async def request_image(
    *,
    viewer: Principal,
    prompt: str,
    entity_kind: str,
    entity_id: str,
    slot: str,
    width: int,
    height: int,
) -> ImageRequested:
    """Queue an image for a slot of the viewer's own entity (another user's: NOT_FOUND)."""
    user_id = viewer.require_user()
    text = _prompt(prompt)
    size = (_side(width, "width"), _side(height, "height"))
    public = _allowed_public(entity_kind, slot)
    policy = policy_for(entity_kind)
    assert policy is not None  # checked by _allowed_public
    if not ENTITY_ID.match(entity_id) or not await policy.can_bind(user_id, entity_id):
        raise NotFound(NOT_FOUND_MESSAGE)
    limit = get_settings().image_daily_quota
    now = clock.now()
    async with writing():
        used = await quota.consume(user_id=user_id, quota=limit, now=now)
        task, entries = await creating.queue_generation(
            owner_user_id=user_id,
            kind=AiTaskKind.IMAGE_GENERATION,
            prompt=text,
            source_module=SOURCE_MODULE,
            source_entity_id=entity_id,
            request_payload={
                "entityKind": entity_kind,
                "entityId": entity_id,
                "slot": slot,
                "width": size[0],
                "height": size[1],
                "public": public,
            },
            stages=STAGES,
            now=now,
        )
    await streams.publish(entries)
    await creating.announce_queued(task["task_id"])
    return ImageRequested(task=AiTaskRow.from_row(task), remaining_today=max(0, limit - used))


async def request_cover(
    *, viewer: Principal, play_type: PlayType, work_id: str, prompt: str
) -> ImageRequested:
    """Queue a cover for the viewer's work of any registered play type."""
    from resolvers.play_types.registry import plugin_for

    viewer.require_user()
    plugin = plugin_for(play_type)
    if plugin is None:
        raise ImageError(
            ImageErrorCode.PLAY_TYPE_UNSUPPORTED,
            f"{play_type} has no works yet.",
            field="playType",
        )
    target = plugin.cover_slot(work_id)
    width, height = plugin.cover_size
    return await request_image(
        viewer=viewer,
        prompt=prompt,
        entity_kind=target.entity_kind,
        entity_id=target.entity_id,
        slot=target.slot,
        width=width,
        height=height,
    )
