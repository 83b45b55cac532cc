"""Match3D runs through the run framework's resolvers (resolvers/runs/lifecycle.py with
resolvers/match3d/runs.py): the board dealt from the item set, picks, clears, the win, the
TRAY_FULL loss, the work's own time limit, the catalog columns mirrored at every step, and
refusals that write nothing."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from db.tables.match3d import Match3dRuntimeRun, Match3dWorkProfile
from resolvers.match3d import board
from resolvers.match3d.plugin import MATCH3D
from resolvers.match3d.runs import MATCH3D_RUNS
from resolvers.runs import lifecycle
from resolvers.runs.errors import RunError
from resolvers.runs.model import Run, RunMode
from resolvers.runs.sweeps import sweep_expired
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import every_table
from tests.fixtures import FakeClock, GraphQLClient


async def _published(gql: GraphQLClient, author: TestUser, **draft: Any) -> str:
    started = await ready_work(MATCH3D, gql, author)
    if draft:
        await MATCH3D.autosave(
            viewer=author.principal,
            session_id=started.session_id,
            seed_text=None,
            draft={**MATCH3D.example_draft(), **draft},
        )
    await MATCH3D.publish(viewer=author.principal, work_id=started.work_id)
    return started.work_id


async def _row(run_id: str) -> dict[str, Any]:
    row = (
        await Match3dRuntimeRun.select()
        .where(Match3dRuntimeRun.run_id == run_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return row


async def _play(player: TestUser, run_id: str, picks: list[dict[str, Any]]) -> Run:
    """Apply `picks` in order; returns the run after the last."""
    ended = None
    for version, action in enumerate(picks):
        ended = await lifecycle.act(
            viewer=player.principal,
            run_id=run_id,
            expected_snapshot_version=version,
            action=action,
        )
    assert ended is not None
    return ended


async def test_a_run_deals_the_published_item_set_and_fills_the_catalog_row(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published work of four items, three copies each, in two layers
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    # when a player starts a run
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    # then the catalog row holds the dealt board, the counts and the framework's timing
    row = await _row(run.run_id)
    snapshot = row["snapshot_json"]
    assert (row["owner_user_id"], row["profile_id"], row["status"]) == (
        player.user_id,
        work_id,
        "running",
    )
    assert (row["snapshot_version"], row["total_item_count"], row["cleared_item_count"]) == (
        0,
        12,
        0,
    )
    assert (row["clear_count"], row["finished_at_ms"], row["failure_reason"]) == (0, 0, "")
    assert row["started_at_ms"] == int(clock.now().timestamp() * 1000)
    assert row["duration_limit_ms"] == 300_000 == run.duration_limit_ms
    assert (
        snapshot["pile"]
        == board.deal(
            snapshot["seed"], dict.fromkeys(["teacup", "lantern", "button", "key"], 3), 2
        )["pile"]
    )
    assert [item["itemId"] for item in snapshot["items"]] == ["teacup", "lantern", "button", "key"]
    assert all(item["cutImageAssetId"] for item in snapshot["items"])


async def test_picks_clear_triples_and_an_empty_board_wins(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running run
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    picks = MATCH3D_RUNS.winning_actions((await MATCH3D_RUNS.states([run.run_id]))[run.run_id])
    # when the player picks everything a second apart
    for version, action in enumerate(picks):
        clock.advance(seconds=1)
        ended = await lifecycle.act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=version,
            action=action,
        )
    # then the run is WON, with every triple counted and the catalog columns mirrored
    assert (ended.status, ended.reason, ended.elapsed_ms) == ("won", "COMPLETED", 12_000)
    row = await _row(run.run_id)
    assert (row["status"], row["snapshot_version"], row["failure_reason"]) == ("won", 12, "")
    assert (row["clear_count"], row["cleared_item_count"], row["elapsed_ms"]) == (4, 12, 12_000)
    assert row["finished_at_ms"] == int(clock.now().timestamp() * 1000)
    assert (row["snapshot_json"]["pile"], row["snapshot_json"]["tray"]) == ([], [])


async def test_a_full_tray_loses_the_run(gql: GraphQLClient, clock: FakeClock) -> None:
    # given a running run
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    state = (await MATCH3D_RUNS.states([run.run_id]))[run.run_id]
    picks = MATCH3D_RUNS.losing_actions(state)
    # when seven items without a triple reach the tray
    ended = await _play(player, run.run_id, picks)
    # then the run is LOST with TRAY_FULL, here and in the catalog row
    assert (ended.status, ended.reason) == ("lost", "TRAY_FULL")
    row = await _row(run.run_id)
    assert (row["status"], row["failure_reason"], row["snapshot_version"]) == (
        "lost",
        "TRAY_FULL",
        len(picks),
    )
    assert len(row["snapshot_json"]["tray"]) == 7
    # and a further pick is refused with RUN_FINISHED, writing nothing
    before = await every_table()
    with pytest.raises(RunError) as refused:
        await lifecycle.act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=len(picks),
            action=board.pick_action(row["snapshot_json"]["pile"][0]["id"]),
        )
    assert refused.value.code == "RUN_FINISHED"
    assert await every_table() == before


async def test_picking_a_covered_or_absent_item_is_illegal_and_writes_nothing(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running run whose pile has covered items
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    pile = (await _row(run.run_id))["snapshot_json"]["pile"]
    covered = sorted(board.covered_ids(pile))
    before = await every_table()
    # when the player picks a covered item, then one that is not on the board
    for item_id in [*covered[:1], "teacup.7", "ghost.0"]:
        with pytest.raises(RunError) as refused:
            await lifecycle.act(
                viewer=player.principal,
                run_id=run.run_id,
                expected_snapshot_version=0,
                action=board.pick_action(item_id),
            )
        # then each is ILLEGAL_MOVE and nothing was written
        assert refused.value.code == "ILLEGAL_MOVE"
    assert covered, "a two-layer deal covers something"
    assert await every_table() == before


async def test_the_works_time_limit_bounds_its_runs_and_expiry_is_mirrored(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a work whose draft sets a 60-second limit
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author, timeLimitSeconds=60)
    # when a run starts / then its limit is the work's
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    assert run.duration_limit_ms == 60_000
    # and when the minute passes, the sweep expires it (TIME_UP) and the row says so
    clock.advance(seconds=60)
    assert await sweep_expired() == 1
    row = await _row(run.run_id)
    assert (row["status"], row["failure_reason"], row["elapsed_ms"]) == (
        "expired",
        "TIME_UP",
        60_000,
    )
    assert (row["snapshot_version"], row["duration_limit_ms"]) == (1, 60_000)


async def test_a_run_takes_model_references_from_the_generated_item_assets(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published work whose generated assets hold a model for the teacup only
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    assets = [{"itemId": "teacup", "modelSrc": "/models/cup.glb", "modelObjectKey": "m/cup"}]
    await Match3dWorkProfile.update(
        {Match3dWorkProfile.generated_item_assets_json: orjson.dumps(assets).decode()}
    ).where(Match3dWorkProfile.profile_id == work_id)
    # when a run starts
    run = await lifecycle.start_run(
        viewer=player.principal, play_type="match3d", work_id=work_id, mode=RunMode.PLAY
    )
    # then the run's teacup renders that model, and the other items none
    items = (await _row(run.run_id))["snapshot_json"]["items"]
    assert [(i["itemId"], i["modelSrc"], i["modelObjectKey"]) for i in items] == [
        ("teacup", "/models/cup.glb", "m/cup"),
        ("lantern", None, None),
        ("button", None, None),
        ("key", None, None),
    ]
