"""The registry is the one list of play types, and nothing needs an import to register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import PLUGINS, entity_policies, plugin_for
from schema import play_types as schema_play_types

ROOT = Path(__file__).resolve().parents[2]

# What a worker process that imports only `resolvers` finds (no `schema` module loaded).
WORKER_VIEW = """
import sys
from resolvers.ai_tasks.finish_listeners import listeners
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.assets.entities import policy_for
from resolvers.creation.adapters import adapter_for
print(sorted(type(adapter_for(t)).__name__ for t in ("custom_world", "puzzle", "match3d")))
print(sorted(k for k in ("custom_world", "custom_world_card", "puzzle_work", "puzzle_level",
                         "match3d_work", "user")
             if policy_for(k) is not None))
print([f.__name__ for f in listeners()[AiTaskKind.CREATION_AGENT_REPLY]])
print(sorted({m.split(".")[0] for m in sys.modules} & {"schema", "strawberry"}))
"""


def test_a_process_that_imports_only_resolvers_finds_every_play_type() -> None:
    # when a fresh interpreter uses the creation framework, assets and AI-task listeners
    done = subprocess.run(
        [sys.executable, "-c", WORKER_VIEW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # then it found both adapters, every entity kind and the creation listener, without
    # importing the schema
    assert done.stdout.splitlines() == [
        "['CustomWorldAdapter', 'Match3dAdapter', 'PuzzleAdapter']",
        "['custom_world', 'custom_world_card', 'match3d_work', 'puzzle_level', 'puzzle_work', "
        "'user']",
        "['on_task_finished']",
        "[]",
    ]


def test_each_play_type_has_one_plugin_and_each_entity_kind_one_owner() -> None:
    assert [plugin.play_type for plugin in PLUGINS][:3] == [
        PlayType.CUSTOM_WORLD,
        PlayType.PUZZLE,
        PlayType.MATCH3D,
    ]
    assert plugin_for(PlayType.SQUARE_HOLE) is not None
    assert plugin_for(PlayType.VISUAL_NOVEL) is not None
    assert plugin_for("puzzle") is PLUGINS[1]
    assert plugin_for(PlayType.BIG_FISH) is not None
    assert plugin_for("no such type") is None
    assert sorted(entity_policies()) == [
        "big_fish_work",
        "custom_world",
        "custom_world_card",
        "match3d_work",
        "puzzle_level",
        "puzzle_work",
        "square_hole_work",
        "visual_novel_work",
    ]


def test_the_schema_refuses_a_play_type_without_a_work_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a registered play type whose Work type the schema does not name
    monkeypatch.delitem(schema_play_types.WORK_TYPES, PlayType.PUZZLE)
    # when the work types are installed (as build_schema does), it refuses
    with pytest.raises(RuntimeError, match="puzzle"):
        schema_play_types.install_work_types()
