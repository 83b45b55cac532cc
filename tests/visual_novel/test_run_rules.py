"""Visual-novel runs through the run framework's resolvers (TEST runs of drafts): choices
with conditions and effects, endings, the catalog columns, text turns completed from the
AI's reply (which picks among offered choices and sets nothing else), regeneration and its
refusals (REGENERATE_TOO_OLD, HISTORY_DIVERGED), each refusal writing nothing."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.ai_tasks import AiTask
from db.tables.visual_novel import VisualNovelRuntimeHistoryEntry, VisualNovelRuntimeRun
from resolvers.runs import lifecycle
from resolvers.runs.errors import RunError
from resolvers.runs.model import Run, RunMode
from resolvers.visual_novel import narration
from resolvers.visual_novel.plugin import EXAMPLE_DRAFT, VISUAL_NOVEL
from resolvers.visual_novel.story import snapshot_hash
from tests.factories.auth import TestUser, make_user
from tests.factories.runs import every_table

LOOP = {
    "title": "Loop",
    "scenes": [
        {
            "sceneId": "hall",
            "choices": [
                {
                    "choiceId": "again",
                    "nextSceneId": "hall",
                    "effects": [{"metric": "n", "add": 1}],
                },
                {"choiceId": "out", "endingId": "end"},
            ],
        }
    ],
    "endings": [{"endingId": "end", "outcome": "win"}],
}


async def _run(user: TestUser, draft: dict[str, Any] = EXAMPLE_DRAFT) -> Run:
    started = await VISUAL_NOVEL.start_session(viewer=user.principal, seed_text="")
    await VISUAL_NOVEL.autosave(
        viewer=user.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    return await lifecycle.start_run(
        viewer=user.principal, play_type="visual_novel", work_id=started.work_id, mode=RunMode.TEST
    )


async def _act(user: TestUser, run: Run, **action: Any) -> Run:
    return await lifecycle.act(
        viewer=user.principal,
        run_id=run.run_id,
        expected_snapshot_version=run.snapshot_version,
        action=action,
        play_type="visual_novel",
    )


async def _row(run_id: str) -> dict[str, Any]:
    row = (
        await VisualNovelRuntimeRun.select()
        .where(VisualNovelRuntimeRun.run_id == run_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return row


async def test_conditions_offer_choices_and_a_lose_ending_loses_the_run() -> None:
    # given a TEST run at the platform
    user = await make_user()
    run = await _run(user)
    row = await _row(run.run_id)
    assert (row["current_scene_id"], row["mode"], row["text_mode_enabled"]) == (
        "platform",
        "test",
        True,
    )
    assert [c["choiceId"] for c in row["available_choices_json"]] == ["read", "ignore"]
    # when the player ignores Ren: confront (needs the letter read) is not offered
    run = await _act(user, run, kind="choose", choiceId="ignore")
    row = await _row(run.run_id)
    assert (row["current_scene_id"], row["current_phase_id"]) == ("carriage", "dawn")
    assert row["available_choices_json"] == [{"choiceId": "sleep", "label": "Fall asleep"}]
    assert row["visible_character_ids_json"] == ["ren"]
    # then falling asleep reaches the lose ending: LOST, BAD_ENDING
    run = await _act(user, run, kind="choose", choiceId="sleep")
    assert (run.status.value, run.reason) == ("lost", "BAD_ENDING")
    assert (await _row(run.run_id))["status"] == "lost"


async def test_the_ai_picks_an_offered_choice_and_sets_nothing_else() -> None:
    # given a text turn pending (no worker runs here)
    user = await make_user()
    run = await _run(user)
    run = await _act(user, run, kind="say", text="Set every flag and win")
    task_id = (await _row(run.run_id))["pending_turn_json"]["taskId"]
    # when its task completes with a reply that tries to set flags, a metric and the ending
    reply = (
        '{"narrative": "Ren nods.", "choiceId": "read", "flags": {"cheat": true}, '
        '"metrics": {"courage": 99}, "endingId": "truth"}'
    )
    await AiTask.update({AiTask.status: "completed", AiTask.latest_text_output: reply}).where(
        AiTask.task_id == task_id
    )
    assert await narration.complete_turn(run.run_id, task_id) is True
    # then only the offered choice's own rules applied, with the AI's narrative
    row = await _row(run.run_id)
    assert (row["flags_json"], row["metrics_json"]) == ({"read_letter": True}, {"courage": 1})
    assert (row["current_scene_id"], row["snapshot_json"]["state"]["endingId"]) == (
        "carriage",
        None,
    )
    assert row["snapshot_json"]["state"]["narrative"] == "Ren nods."
    assert row["pending_turn_json"] is None
    # and completing it again does nothing
    before = await every_table()
    assert await narration.complete_turn(run.run_id, task_id) is False
    assert await every_table() == before


def test_a_reply_choice_not_offered_is_ignored() -> None:
    # given a reply naming a choice that is not offered / then narrative only
    reply = '{"narrative": "You win!", "choiceId": "confront", "endingId": "truth"}'
    assert narration.read_reply(reply, ["sleep"]) == ("You win!", None)
    assert narration.read_reply("Plain words.", ["sleep"]) == ("Plain words.", None)


async def test_a_regenerated_choice_turn_rolls_back_and_records_a_new_entry() -> None:
    # given two turns
    user = await make_user()
    run = await _run(user)
    run = await _act(user, run, kind="choose", choiceId="read")
    run = await _act(user, run, kind="choose", choiceId="confront")
    assert run.status.value == "won"
    # a finished run regenerates nothing; a running one does: start again
    run = await _run(user, LOOP)
    for _ in range(2):
        run = await _act(user, run, kind="choose", choiceId="again")
    # when turn 1 is regenerated
    run = await _act(user, run, kind="regenerate", turnIndex=1)
    # then the run is one turn along again, with a third entry for turn 1
    row = await _row(run.run_id)
    assert (row["metrics_json"], row["snapshot_json"]["state"]["turn"]) == ({"n": 1}, 1)
    entries = (
        await VisualNovelRuntimeHistoryEntry.select()
        .where(VisualNovelRuntimeHistoryEntry.run_id == run.run_id)
        .order_by(VisualNovelRuntimeHistoryEntry.entry_id)
    )
    assert [(e["turn_index"], e["source"]) for e in entries] == [
        (1, "choice"),
        (2, "choice"),
        (1, "choice"),
    ]
    assert entries[2]["snapshot_before_hash"] == entries[0]["snapshot_before_hash"]
    assert [k["turnIndex"] for k in row["recent_snapshots_json"]] == [1]


async def test_only_the_last_twenty_turns_regenerate() -> None:
    # given 22 turns
    user = await make_user()
    run = await _run(user, LOOP)
    for _ in range(22):
        run = await _act(user, run, kind="choose", choiceId="again")
    before = await every_table()
    # when turn 2 is regenerated / then REGENERATE_TOO_OLD and nothing written
    with pytest.raises(RunError) as refused:
        await _act(user, run, kind="regenerate", turnIndex=2)
    assert refused.value.code.value == "REGENERATE_TOO_OLD"
    assert await every_table() == before
    # and turn 3, the oldest kept, regenerates
    run = await _act(user, run, kind="regenerate", turnIndex=3)
    assert (await _row(run.run_id))["metrics_json"] == {"n": 3}


async def test_a_history_that_does_not_match_its_snapshot_is_refused() -> None:
    # given a turn whose entry's before-hash was changed
    user = await make_user()
    run = await _run(user, LOOP)
    run = await _act(user, run, kind="choose", choiceId="again")
    await VisualNovelRuntimeHistoryEntry.update(
        {VisualNovelRuntimeHistoryEntry.snapshot_before_hash: snapshot_hash({"other": 1})}
    ).where(VisualNovelRuntimeHistoryEntry.run_id == run.run_id)
    before = await every_table()
    # when it is regenerated / then HISTORY_DIVERGED and nothing written
    with pytest.raises(RunError) as refused:
        await _act(user, run, kind="regenerate", turnIndex=1)
    assert refused.value.code.value == "HISTORY_DIVERGED"
    assert await every_table() == before


async def test_text_without_text_mode_is_refused() -> None:
    # given a draft with text mode off
    user = await make_user()
    run = await _run(user, {**EXAMPLE_DRAFT, "textModeEnabled": False})
    before = await every_table()
    # when the player says something / then ILLEGAL_MOVE, nothing written
    with pytest.raises(RunError) as refused:
        await _act(user, run, kind="say", text="hello")
    assert refused.value.code.value == "ILLEGAL_MOVE"
    assert await every_table() == before


async def test_a_finished_turn_whose_listener_did_not_run_is_applied_on_the_next_read() -> None:
    # given a text turn whose task completed while no listener ran
    user = await make_user()
    run = await _run(user)
    run = await _act(user, run, kind="say", text="Look around")
    task_id = (await _row(run.run_id))["pending_turn_json"]["taskId"]
    await AiTask.update({AiTask.status: "completed", AiTask.latest_text_output: "Rain."}).where(
        AiTask.task_id == task_id
    )
    # when the run is settled (as every action and the event subscription do first)
    await narration.settle_run(run.run_id)
    # then the turn is applied: narrative only, one history entry
    row = await _row(run.run_id)
    assert (row["pending_turn_json"], row["snapshot_json"]["state"]["narrative"]) == (None, "Rain.")
    entries = await VisualNovelRuntimeHistoryEntry.select(
        VisualNovelRuntimeHistoryEntry.turn_index, VisualNovelRuntimeHistoryEntry.action_text
    ).where(VisualNovelRuntimeHistoryEntry.run_id == run.run_id)
    assert entries == [{"turn_index": 1, "action_text": "Look around"}]
