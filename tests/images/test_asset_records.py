"""A generated image's asset object records the AI task that made it and where it is bound
(docs/domain.md, "Assets")."""

from __future__ import annotations

from typing import Any

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from resolvers.images import requesting
from resolvers.images.runner import run_image_task
from resolvers.puzzle.plugin import PUZZLE
from tests.factories.ai_tasks import SERVICE
from tests.factories.auth import make_user


async def test_an_image_generated_by_an_ai_task_records_its_job_profile_and_entity(
    hub: Any,
) -> None:
    # given a queued cover task of a user's puzzle work
    owner = await make_user()
    work = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    requested = await requesting.request_cover(
        viewer=owner.principal, play_type=PUZZLE.play_type, work_id=work.work_id, prompt="kites"
    )
    task_id = requested.task.task_id
    # when the image runner runs it
    assert await run_image_task(task_id, principal=SERVICE) is True
    # then the object names its job, the work's profile and the entity, at version 1
    (asset,) = await AssetObject.select(
        AssetObject.source_job_id,
        AssetObject.profile_id,
        AssetObject.entity_id,
        AssetObject.version,
        AssetObject.owner_user_id,
    )
    assert asset == {
        "source_job_id": task_id,
        "profile_id": work.work_id,
        "entity_id": work.work_id,
        "version": 1,
        "owner_user_id": owner.user_id,
    }
    # and the binding and the BOUND event record the profile too
    assert await AssetEntityBinding.select(
        AssetEntityBinding.entity_kind, AssetEntityBinding.slot, AssetEntityBinding.profile_id
    ) == [{"entity_kind": "puzzle_work", "slot": "cover", "profile_id": work.work_id}]
    events = await AssetEvent.select(AssetEvent.event_kind, AssetEvent.profile_id).order_by(
        AssetEvent.event_kind
    )
    assert events == [
        {"event_kind": "bound", "profile_id": work.work_id},
        {"event_kind": "confirmed", "profile_id": None},
    ]
