"""A module another module needs is not private: no module imports an underscore name
from another of the project's modules (the layers' packages, the tests and the benches)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("db", "observability", "resolvers", "schema", "subscriptions", "tests", "bench")


def _private_imports() -> list[str]:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.ImportFrom) or node.module is None:
                    continue
                if node.module.split(".")[0] not in PACKAGES:
                    continue
                found += [
                    f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    return found


def test_no_module_imports_another_modules_private_name() -> None:
    # given every module of the project, when their imports are read,
    # then none names another module's underscore name
    assert _private_imports() == []
