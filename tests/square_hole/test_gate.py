"""The square-hole publish gate, called through the plugin: a work without a twist rule,
with an empty rule list, or with fewer shapes than it deals is refused with coded
blockers, and a refused publication writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.square_hole import SquareHoleAgentSession, SquareHoleWorkProfile
from resolvers.square_hole.errors import SquareHolePublishBlocked
from resolvers.square_hole.plugin import SQUARE_HOLE
from tests.factories.auth import make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient


def _with_config(**changes: Any) -> dict[str, Any]:
    draft = SQUARE_HOLE.example_draft()
    return {**draft, "config": {**draft["config"], **changes}}


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ({**SQUARE_HOLE.example_draft(), "twistRule": ""}, [("TWIST_RULE_MISSING", "twistRule")]),
        (_with_config(rules=[]), [("NO_RULES", "config.rules")]),
        (
            {**SQUARE_HOLE.example_draft(), "shapeCount": 5},
            [("TOO_FEW_SHAPES", "config.shapes")],
        ),
        (
            {**SQUARE_HOLE.example_draft(), "shapeCount": None},
            [("SHAPE_COUNT_INVALID", "shapeCount")],
        ),
        (
            _with_config(holes=[]),
            [("NO_HOLES", "config.holes"), ("RULE_UNKNOWN_HOLE", "config.rules.0.hole")],
        ),
        (
            _with_config(
                rules=[{"shape": "cube", "hole": "square", "accepts": True, "points": 10}]
            ),
            [("RULE_UNKNOWN_SHAPE", "config.rules.0.shape")],
        ),
        (_with_config(targetScore=31), [("TARGET_UNREACHABLE", "config.targetScore")]),
    ],
    ids=[
        "no-twist",
        "no-rules",
        "too-few-shapes",
        "no-count",
        "no-holes",
        "unknown-shape",
        "target",
    ],
)
async def test_the_gate_names_what_is_missing_and_publishing_writes_nothing(
    gql: GraphQLClient, draft: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    # given an otherwise ready work (cover bound) whose draft lacks one thing
    owner = await make_user()
    started = await ready_work(SQUARE_HOLE, gql, owner)
    await SQUARE_HOLE.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    before = await every_table()
    # when the gate runs and the owner publishes
    blockers = await SQUARE_HOLE.blockers(viewer=owner.principal, work_id=started.work_id)
    with pytest.raises(SquareHolePublishBlocked) as refused:
        await SQUARE_HOLE.publish(viewer=owner.principal, work_id=started.work_id)
    # then the blockers are exactly those, the refusal lists them, and nothing was written
    assert [(b.code.value, b.field) for b in blockers] == expected
    assert [(b.code.value, b.field) for b in refused.value.blockers] == expected
    assert await every_table() == before


async def test_the_example_draft_passes_and_publishing_snapshots_it(gql: GraphQLClient) -> None:
    # given a ready work
    owner = await make_user()
    started = await ready_work(SQUARE_HOLE, gql, owner)
    # when it is published
    work = await SQUARE_HOLE.publish(viewer=owner.principal, work_id=started.work_id)
    # then the profile holds the draft's columns and the config, the session points at it
    example = SQUARE_HOLE.example_draft()
    assert (work.game_name, work.twist_rule, work.shape_count, work.difficulty) == (
        "Everything Fits",
        "Every shape fits the square hole.",
        3,
        2,
    )
    assert work.config_json == example["config"]
    assert work.publication_status == "published"
    session = (
        await SquareHoleAgentSession.select()
        .where(SquareHoleAgentSession.session_id == started.session_id)
        .output(load_json=True)
        .first()
    )
    assert session is not None
    assert (session["published_profile_id"], session["stage"], session["progress_percent"]) == (
        started.work_id,
        "published",
        100,
    )
    assert session["config_json"] == example["config"]
    # and a later draft change leaves the published work as it was until an update
    await SQUARE_HOLE.autosave(
        viewer=owner.principal,
        session_id=started.session_id,
        seed_text=None,
        draft={**example, "twistRule": "Nothing fits anywhere."},
    )
    row = await SquareHoleWorkProfile.select(SquareHoleWorkProfile.twist_rule).first()
    assert row == {"twist_rule": "Every shape fits the square hole."}
    await SQUARE_HOLE.update(viewer=owner.principal, work_id=started.work_id)
    row = await SquareHoleWorkProfile.select(SquareHoleWorkProfile.twist_rule).first()
    assert row == {"twist_rule": "Nothing fits anywhere."}
