"""docs/rules.md names, for each domain rule, the test that asserts it: every line must name
a test that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "docs" / "rules.md"
LINE = re.compile(r"^- (?P<rule>.+?) → `(?P<path>tests/[\w/]+\.py)::(?P<name>test_\w+)`$")


def _index_lines() -> list[str]:
    return [line for line in INDEX.read_text().splitlines() if line.startswith("- ")]


def _tests_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test_")
    }


def test_every_index_line_names_one_test_in_the_rule_arrow_path_form() -> None:
    # given the index's list lines
    lines = _index_lines()
    # then each reads `- rule → `tests/….py::test_…`` and there are many
    assert [line for line in lines if not LINE.match(line)] == []
    assert len(lines) >= 150


def test_every_test_the_index_names_exists() -> None:
    # given every (path, name) the index names
    named = [LINE.match(line) for line in _index_lines()]
    pairs = [(m["path"], m["name"]) for m in named if m is not None]
    # then each file exists and defines that test at its top level
    cache: dict[str, set[str]] = {}
    missing = []
    for path, name in pairs:
        file = ROOT / path
        if path not in cache:
            cache[path] = _tests_of(file) if file.is_file() else set()
        if name not in cache[path]:
            missing.append(f"{path}::{name}")
    assert missing == []
