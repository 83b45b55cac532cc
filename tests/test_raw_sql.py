"""`.raw(` only where Piccolo's query builder cannot write the statement (docs/conventions.md):
every `.raw(` call under `resolvers/` carries its reason in a `# Raw: …` comment, in the
comment block just above the call's line or just above the statement holding it.

A statement the builder can write goes through it, so its columns are checked when the
module is imported, not when the statement first runs."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESOLVERS = ROOT / "resolvers"
MARK = "# Raw:"


def comment_block_above(lines: list[str], line: int) -> list[str]:
    """The contiguous comment lines right above 1-based `line`, nearest first."""
    block: list[str] = []
    index = line - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.append(lines[index].strip())
        index -= 1
    return block


def explained(lines: list[str], call: ast.Call, statement: ast.stmt) -> bool:
    return any(
        comment.startswith(MARK)
        for line in {call.lineno, statement.lineno}
        for comment in comment_block_above(lines, line)
    )


def unexplained_calls() -> dict[str, list[str]]:
    """Package -> `file:line` of each `.raw(` call without a `# Raw:` reason."""
    found: dict[str, list[str]] = {}
    for path in sorted(RESOLVERS.rglob("*.py")):
        relative = path.relative_to(RESOLVERS)
        package = relative.parts[0] if len(relative.parts) > 1 else ""
        source = path.read_text()
        lines = source.splitlines()
        for statement, call in raw_calls(ast.parse(source)):
            if not explained(lines, call, statement):
                found.setdefault(package, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def raw_calls(tree: ast.Module) -> list[tuple[ast.stmt, ast.Call]]:
    """Each `.raw(` call with the innermost statement that holds it."""
    calls: list[tuple[ast.stmt, ast.Call]] = []

    def visit(node: ast.AST, statement: ast.stmt | None) -> None:
        if isinstance(node, ast.stmt):
            statement = node
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "raw"
            and statement is not None
        ):
            calls.append((statement, node))
        for child in ast.iter_child_nodes(node):
            visit(child, statement)

    visit(tree, None)
    return calls


def test_every_raw_call_says_why() -> None:
    offenders = [place for places in unexplained_calls().values() for place in places]
    assert not offenders, (
        "`.raw(` without a `# Raw: <why the builder cannot>` comment right above it "
        "(use the builder where it can: docs/conventions.md):\n" + "\n".join(offenders)
    )
