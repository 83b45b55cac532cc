"""SQL in one place per domain: no SQL string literal in `resolvers/<domain>/` names a table
another domain owns. A statement that must stay one statement names the other domain's table
through a fragment its owner exports (`resolvers/auth/store/fragments.py`,
`resolvers/ai_tasks/store/fragments.py`, `resolvers/creation/store/fragments.py`,
`subscriptions.streams.stream_log`), so the name never appears in the caller's literal;
anything else calls the owning domain's function.

The owner of a table is the resolvers package named like the `db/tables/<domain>.py` module
that defines it; the stream log's tables (`db/tables/realtime.py`) belong to `subscriptions`.
A SQL literal is any string constant (f-string parts included, docstrings excluded) holding
an upper-case SQL keyword."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from db.apps import app_modules

ROOT = Path(__file__).resolve().parents[1]
RESOLVERS = ROOT / "resolvers"

# db module -> the package that owns its tables, where the names differ.
OWNER_OF_MODULE = {"realtime": "subscriptions"}

# Domains whose SQL may name every table, each with its reason.
ALLOWED = {
    "migration": "the data migration reads and writes every domain's tables",
}

SQL_KEYWORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN)\b")


def table_owners() -> dict[str, str]:
    """Every table name -> the package that owns it."""
    owners: dict[str, str] = {}
    for module in app_modules():
        domain = module.rsplit(".", 1)[1]
        for table in importlib.import_module(module).APP_CONFIG.table_classes:
            owners[table._meta.tablename] = OWNER_OF_MODULE.get(domain, domain)
    return owners


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the module's, classes' and functions' docstring nodes."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ) and (
            node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        ):
            found.add(id(node.body[0].value))
    return found


def sql_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every SQL string literal in `source`."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and SQL_KEYWORD.search(node.value)
    ]


def crossings(domain: str, source: str, owners: dict[str, str]) -> list[str]:
    """`line: table (owner)` for each literal of `domain` naming another domain's table."""
    names = sorted(owners, key=len, reverse=True)
    table = re.compile(r"(?<![\w.])(" + "|".join(names) + r")(?!\w)")
    return [
        f"{line}: {name} ({owners[name]})"
        for line, text in sql_literals(source)
        for name in sorted(set(table.findall(text)))
        if owners[name] != domain
    ]


def table_imports(domain: str, source: str) -> list[str]:
    """`line: module (owner)` for each import of another domain's table classes: a statement
    built on such a class names that table as surely as a SQL literal does."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        modules = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        for module in modules:
            if not module.startswith("db.tables."):
                continue
            name = module.split(".")[2]
            owner = OWNER_OF_MODULE.get(name, name)
            if owner != domain:
                found.append((node.lineno, f"{node.lineno}: {module} ({owner})"))
    return [text for _, text in sorted(found)]


def resolver_crossings() -> list[str]:
    owners = table_owners()
    found: list[str] = []
    for path in sorted(RESOLVERS.rglob("*.py")):
        relative = path.relative_to(RESOLVERS)
        if len(relative.parts) < 2 or relative.parts[0] in ALLOWED:
            continue
        found += [
            f"{path.relative_to(ROOT)}:{crossing}"
            for crossing in crossings(relative.parts[0], path.read_text(), owners)
            + table_imports(relative.parts[0], path.read_text())
        ]
    return found


def test_every_table_has_an_owning_package() -> None:
    # given every table of every db app, when its owner is looked up,
    # then the owner is a resolvers package or subscriptions
    packages = {path.name for path in RESOLVERS.iterdir() if (path / "__init__.py").exists()}
    owners = table_owners()
    assert len(owners) == 97
    assert {owner for owner in owners.values()} - packages == {"subscriptions"}


def test_a_literal_naming_another_domains_table_is_a_crossing() -> None:
    # given a runs module with a statement on a profile table, one through the auth
    # fragment, one on its own table and a docstring naming the profile table
    source = (
        '"""Reads profile_played_world FROM nowhere."""\n'
        "from resolvers.auth.fragments import user_join\n"
        'A = "SELECT * FROM profile_played_world WHERE user_id = {}"\n'
        "B = f\"SELECT r.run_id FROM runs_run r {user_join('r.owner_user_id')}\"\n"
        'C = "UPDATE runs_run SET status = {}"\n'
    )
    # when its crossings are listed, then only the profile statement is one
    assert crossings("runs", source, table_owners()) == ["3: profile_played_world (profile)"]


def test_an_import_of_another_domains_table_class_is_a_crossing() -> None:
    # given a Match3D module importing its own table, auth's and (as a module) economy's
    source = (
        "from db.tables.match3d import Match3dWorkProfile\n"
        "def author():\n"
        "    from db.tables.auth import UserAccount\n"
        "import db.tables.economy\n"
    )
    # when its crossings are listed, then the two other domains' imports are
    assert table_imports("match3d", source) == [
        "3: db.tables.auth (auth)",
        "4: db.tables.economy (economy)",
    ]


def test_no_sql_literal_names_another_domains_table() -> None:
    # given every module of resolvers/ (the migration domain allowed, see ALLOWED),
    # when the tables its SQL literals name, and the table classes it imports, are read,
    # then each belongs to the module's own domain
    assert resolver_crossings() == []
