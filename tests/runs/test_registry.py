"""Which play types have runs, and the schema's refusal of one without a `Run` type."""

from __future__ import annotations

import pytest

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import plugin_for
from resolvers.runs.registry import play_types_with_runs, rules_for
from schema import play_types as schema_play_types
from schema.runs.types import run_type_for
from tests.factories.gallery import TEST_PLAY_TYPE
from tests.runs.fake import CounterRules, CounterTestRun


def test_a_play_type_has_runs_when_its_plugin_has_rules(counter: CounterRules) -> None:
    # given the registered plugins and the counter rules this test stands in
    puzzle = plugin_for(PlayType.PUZZLE)
    # then puzzles and the counter (standing in for a play type whose plugin has no run
    # rules) have runs, custom worlds too (story sessions), unknown play types none
    assert puzzle is not None and rules_for("puzzle") is puzzle.runs
    assert rules_for(TEST_PLAY_TYPE) is counter
    assert rules_for(PlayType.CUSTOM_WORLD) is plugin_for(PlayType.CUSTOM_WORLD).runs  # type: ignore[union-attr]
    assert rules_for("no such type") is None
    assert play_types_with_runs() == sorted(
        [
            PlayType.CUSTOM_WORLD,
            PlayType.MATCH3D,
            PlayType.PUZZLE,
            PlayType.SQUARE_HOLE,
            PlayType.VISUAL_NOVEL,
            TEST_PLAY_TYPE,
        ]
    )
    assert run_type_for(TEST_PLAY_TYPE) is CounterTestRun


def test_the_schema_refuses_a_play_type_with_runs_and_no_run_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a play type with runs whose Run type nobody names (custom worlds' story
    # sessions, with their run type taken out of RUN_TYPES)
    monkeypatch.delitem(schema_play_types.RUN_TYPES, PlayType.CUSTOM_WORLD)
    # when the run types are installed (as build_schema does), it refuses
    with pytest.raises(RuntimeError, match=PlayType.CUSTOM_WORLD.value):
        schema_play_types.install_run_types()
