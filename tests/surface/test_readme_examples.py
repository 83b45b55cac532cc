"""Every GraphQL example in README.md is valid against the schema (docs match the code)."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse, validate

from schema.build import build_schema
from settings import get_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_graphql_examples_validate() -> None:
    blocks = re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert len(blocks) >= 7
    schema = build_schema(get_settings())._schema
    problems = {
        block.strip()[:60]: [e.message for e in validate(schema, parse(block))] for block in blocks
    }
    assert {key: value for key, value in problems.items() if value} == {}
