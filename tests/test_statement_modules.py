"""Each domain's statements live in one place: its store, `resolvers/<domain>/store.py`, or
the package `resolvers/<domain>/store/` (split by entity) where one module would pass about
300 lines. The domain's other modules hold its rules and call the store.

Outside a store, a module of `resolvers/<domain>/` may not import table classes
(`db.tables`) or the raw-statement helpers (`db.sql`), call `.raw(…)`, or hold a table
class (as a global or a class attribute, imported from the store or not). The play-type contracts' shared statements
(`resolvers/play_types/store.py`, `resolvers/creation/store/`) run on the tables a play type's
store hands them (`WorkTables`, `DraftColumn`, `MessageLog`).
Shared helpers outside any domain (`resolvers/pagination.py`) take a table as an argument
and are not a domain's statements."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from piccolo.table import Table

ROOT = Path(__file__).resolve().parents[1]
RESOLVERS = ROOT / "resolvers"
DOMAINS = sorted(path.name for path in RESOLVERS.iterdir() if (path / "__init__.py").exists())


def is_store(path: Path) -> bool:
    """Whether a module of `resolvers/<domain>/` is (part of) the domain's store."""
    parts = path.relative_to(RESOLVERS).parts
    return len(parts) >= 2 and parts[1] in ("store.py", "store")


def statement_sites(source: str) -> list[str]:
    """`line: what` for each import of tables or raw helpers and each `.raw(` call."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module.startswith("db.tables") or module == "db.sql":
                found.append((node.lineno, f"imports {module}"))
            elif module == "db" and names & {"tables", "sql"}:
                found.append((node.lineno, f"imports db.{sorted(names & {'tables', 'sql'})[0]}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("db.tables") or alias.name == "db.sql":
                    found.append((node.lineno, f"imports {alias.name}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "raw"
        ):
            found.append((node.lineno, "calls .raw("))
    return [f"{line}: {what}" for line, what in sorted(found)]


def held_tables(module_name: str) -> list[str]:
    """Table classes the imported module holds as globals or class attributes."""
    module = importlib.import_module(module_name)
    found: list[str] = []
    for name, value in vars(module).items():
        if inspect.isclass(value) and issubclass(value, Table) and value is not Table:
            found.append(f"global {name}")
        elif inspect.isclass(value) and value.__module__ == module_name:
            found += [
                f"{name}.{attribute}"
                for attribute, held in vars(value).items()
                if inspect.isclass(held) and issubclass(held, Table) and held is not Table
            ]
    return found


def misplaced_statements(domain: str) -> list[str]:
    found: list[str] = []
    for path in sorted((RESOLVERS / domain).rglob("*.py")):
        if is_store(path):
            continue
        where = path.relative_to(ROOT)
        found += [f"{where}:{site}" for site in statement_sites(path.read_text())]
        module_name = ".".join(where.with_suffix("").parts)
        found += [f"{where}: holds {held}" for held in held_tables(module_name)]
    return found


def test_imports_of_tables_and_raw_calls_are_statement_sites() -> None:
    # given a module importing a table, the raw helpers and a store, calling .raw( once
    source = (
        "from db.tables.puzzle import PuzzleWorkProfile\n"
        "from db import sql\n"
        "from resolvers.puzzle import store\n"
        "async def f():\n"
        "    await PuzzleWorkProfile.raw('SELECT 1')\n"
    )
    # when its statement sites are listed, then the imports and the call are
    assert statement_sites(source) == [
        "1: imports db.tables.puzzle",
        "2: imports db.sql",
        "5: calls .raw(",
    ]


def test_a_table_held_outside_a_store_is_found() -> None:
    # given a module holding a table as a global and as a class attribute
    module = "tests.statement_holder"
    # when the tables it holds are listed, then both are
    assert held_tables(module) == ["global UserAccount", "Holder.table"]


def test_store_modules_are_store_py_or_the_store_package() -> None:
    # given paths in and out of stores, then only store.py and store/ are stores
    assert is_store(RESOLVERS / "puzzle" / "store.py")
    assert is_store(RESOLVERS / "ai_tasks" / "store" / "tasks.py")
    assert not is_store(RESOLVERS / "puzzle" / "sessions.py")
    assert not is_store(RESOLVERS / "economy" / "codes_store.py")
    assert not is_store(RESOLVERS / "pagination.py")


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domains_statements_are_in_its_store(domain: str) -> None:
    # given the domain's modules outside its store, when their statement sites are listed,
    # then there are none
    assert misplaced_statements(domain) == []
