"""README.md matches the code: every GraphQL example is valid against the schema, the
register and redeem examples run verbatim, the configuration table is one table, and the
folder map names every doc."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse, validate

from schema.build import build_schema
from settings import get_settings
from tests.factories.economy import make_admin
from tests.fixtures import GraphQLClient

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_graphql_examples_validate() -> None:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) >= 7
    schema = build_schema(get_settings())._schema
    problems = {
        block.strip()[:60]: [e.message for e in validate(schema, parse(block))] for block in blocks
    }
    assert {key: value for key, value in problems.items() if value} == {}


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_configuration_table_is_one_table() -> None:
    # A blank line inside a Markdown table ends it; the rest renders as a paragraph.
    lines = _section("Configuration").splitlines()
    rows = [number for number, line in enumerate(lines) if line.startswith("|")]
    assert rows == list(range(rows[0], rows[0] + len(rows)))
    assert lines[rows[0] + 1].startswith("| --- |")
    assert "| `HOST` / `PORT` | `127.0.0.1` / 8000 |" in "\n".join(lines)


def test_folder_map_names_every_doc() -> None:
    folders = _section("Folders")
    docs = sorted(path.name for path in (README.parent / "docs").glob("*.md"))
    assert [name for name in docs if f"`{name}`" not in folders] == []


def _example(start: str) -> str:
    (block,) = [
        block
        for block in re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)
        if block.lstrip().startswith(start)
    ]
    return str(block)


async def test_register_and_redeem_examples_run_verbatim(gql: GraphQLClient) -> None:
    """On empty tables: register, an admin creates the code, the user redeems it."""
    registered = await gql.execute(_example("mutation {\n  authRegister"))
    payload = registered["data"]["authRegister"]
    assert payload["errors"] == []
    admin = await make_admin()
    created = await gql.execute(_example("mutation { redeemCodeUpsert"), token=admin.access_token)
    assert created["data"]["redeemCodeUpsert"]["errors"] == [], created
    used = await gql.execute(
        _example("mutation { redeemCodeUse"), token=payload["tokens"]["accessToken"]
    )
    assert used["data"]["redeemCodeUse"] == {"errors": [], "pointsGranted": 50, "balance": 60}
