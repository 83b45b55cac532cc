"""Puzzle runs for tests: published works (through the real flow or stored directly) and
the framework's `Run` for rules tests (every table's rows: tests/factories/runs.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from db.tables.puzzle import PuzzleWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery import publishing as gallery
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.puzzle.plugin import PUZZLE
from resolvers.runs.model import Run, RunMode, RunStatus
from tests.factories.auth import TestUser
from tests.factories.puzzle import bind_image
from tests.fixtures import GraphQLClient


def draft_with(*sizes: int, tags: list[str] | None = None) -> dict[str, Any]:
    """The plugin's example draft with one level per grid size."""
    return {
        **PUZZLE.example_draft(),
        "tags": tags if tags is not None else ["sea", "evening"],
        "levels": [
            {"levelId": f"level{i}", "name": f"Level {i}", "gridSize": size}
            for i, size in enumerate(sizes)
        ],
    }


async def published_work(gql: GraphQLClient, owner: TestUser, *sizes: int) -> str:
    """A work published through the real flow (session, autosave, uploaded public images,
    the gate), one level per grid size; returns its work id."""
    started = await PUZZLE.start_session(viewer=owner.principal, seed_text="harbour")
    draft = draft_with(*sizes)
    await PUZZLE.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    slots = [*PUZZLE.example_images(work_id=started.work_id, draft=draft)]
    slots.append(PUZZLE.cover_slot(started.work_id))
    for slot in slots:
        bound = await bind_image(
            gql,
            owner.access_token,
            entity_kind=slot.entity_kind,
            entity_id=slot.entity_id,
            slot=slot.slot,
        )
        assert bound["errors"] == [], bound
    await PUZZLE.publish(viewer=owner.principal, work_id=started.work_id)
    return started.work_id


async def stored_work(owner_user_id: str, *sizes: int, published: bool = True) -> str:
    """A work row written directly (no session, no images), in the gallery when published:
    for resolver tests."""
    work_id = new_id()
    async with write_transaction():
        await _insert_work(work_id, owner_user_id, sizes, published)
        if published:
            await gallery.publish_work(
                play_type=PlayType.PUZZLE,
                work_id=work_id,
                owner_user_id=owner_user_id,
                title="Harbour Lights",
                summary="Three evenings at the old harbour.",
                cover_image_src=None,
                theme="harbour",
                tags=["sea", "evening"],
                now=clock.now(),
            )
    return work_id


async def _insert_work(
    work_id: str, owner_user_id: str, sizes: tuple[int, ...], published: bool
) -> None:
    await PuzzleWorkProfile.insert(
        PuzzleWorkProfile(
            profile_id=work_id,
            work_id=work_id,
            owner_user_id=owner_user_id,
            author_display_name="author",
            work_title="Harbour Lights",
            work_description="Three evenings at the old harbour.",
            theme_tags_json=["sea", "evening"],
            levels_json=[
                {"levelId": f"level{i}", "name": f"Level {i}", "gridSize": size}
                for i, size in enumerate(sizes)
            ],
            publication_status="published" if published else "draft",
        )
    )


def run_of(work_id: str, owner_user_id: str, mode: RunMode, now: datetime) -> Run:
    """A RUNNING run as the framework would hand it to the rules."""
    return Run(
        run_id=new_id(),
        play_type=PlayType.PUZZLE,
        work_id=work_id,
        owner_user_id=owner_user_id,
        mode=mode,
        status=RunStatus.RUNNING,
        reason=None,
        snapshot_version=1,
        started_at=now,
        deadline_at=now + timedelta(hours=1),
        duration_limit_ms=3_600_000,
        finished_at=None,
        elapsed_ms=None,
        updated_at=now,
    )
