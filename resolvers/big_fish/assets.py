"""Generating a work's sprites: one `imageGenerate` task per slot that has no image.

`generate_missing` queues an image generation (resolvers/images, the daily quota applies)
for every required slot of the session's draft without a bound image or a generation
under way, and marks those slot rows PENDING; the worker binds each image to its slot
when done, and the next refresh (any gate evaluation, `bigFishSession`) shows it READY
with its URL.
"""

from __future__ import annotations

from db.transactions import write_transaction
from resolvers import clock
from resolvers.big_fish import drafts, slots
from resolvers.big_fish.model import WORK_ENTITY, BigFishAssetStatus
from resolvers.big_fish.rows import BigFishWorkRow
from resolvers.big_fish.sessions import owned_session
from resolvers.images.requesting import request_image
from resolvers.principal import Principal


async def refresh_slots(*, session: BigFishWorkRow) -> None:
    """Bring the session's slot rows and coverage up to date with its bindings."""
    session_id = session.session_id
    async with write_transaction():
        await slots.refresh(
            session_id=session_id,
            owner_user_id=session.owner_user_id,
            draft=drafts.stored_draft(session.draft_json),
            bound=(await slots.bound_images([session_id])).get(session_id, {}),
            now=clock.now(),
        )


async def generate_missing(*, viewer: Principal, session_id: str) -> list[str]:
    """Queue the missing sprites of your session; returns the task ids queued."""
    session = await owned_session(viewer=viewer, session_id=session_id)
    await refresh_slots(session=session)
    rows = (await slots.slots_of([session_id]))[session_id]
    waiting = {
        row.slot_key
        for row in rows
        if row.status in (BigFishAssetStatus.READY, BigFishAssetStatus.PENDING)
    }
    specs = slots.required_slots(drafts.stored_draft(session.draft_json))
    queued: list[str] = []
    task_ids: list[str] = []
    for spec in specs:
        if spec.key in waiting:
            continue
        requested = await request_image(
            viewer=viewer,
            prompt=spec.prompt,
            entity_kind=WORK_ENTITY,
            entity_id=session_id,
            slot=spec.key,
            width=slots.SPRITE_SIZE,
            height=slots.SPRITE_SIZE,
        )
        queued.append(spec.key)
        task_ids.append(str(requested.task.task_id))
    if queued:
        await refresh_slots(session=session)
    return task_ids
