"""The schema as a contract (schema/contract.py, docs/schema-changes.md).

`schema.graphql` is the code's SDL byte for byte, and the code breaks no committed version of
it except in the ways `docs/schema-changes.md` lists. Outside a git work tree the history
check is skipped, except in CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import warnings
from pathlib import Path

import pytest

from schema import contract
from schema.build import build_schema
from settings import Settings


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def code() -> str:
    """The code's SDL (building the schema takes a while: once per module)."""
    return contract.current_sdl()


def test_schema_graphql_is_the_code_sdl(code: str) -> None:
    path = contract.committed_sdl_path()
    assert path.exists(), f"{contract.SCHEMA_FILE} is missing: run {contract.EXPORT_COMMAND}"
    committed = path.read_bytes().decode("utf-8")
    if committed != code:
        diff = difflib.unified_diff(
            committed.splitlines(), code.splitlines(), "schema.graphql", "code", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(
            f"{contract.SCHEMA_FILE} differs from the code's schema: run "
            f"{contract.EXPORT_COMMAND} (or `.venv/bin/python manage.py export-schema`) and "
            f"commit the file; list any breaking change in {contract.CHANGES_FILE}.\n{shown}"
        )


def test_the_sdl_does_not_depend_on_settings(code: str) -> None:
    # Given settings far from the defaults (introspection off, other limits)
    settings = Settings.model_construct(
        introspection_enabled=False, graphiql_enabled=False, max_page_size=5, max_query_depth=3
    )

    # Then the printed graph is the same
    assert build_schema(settings, only_play_types=True).as_str() + "\n" == code


def test_no_unlisted_breaking_change_against_any_committed_version(code: str) -> None:
    try:
        versions = contract.committed_versions()
    except contract.HistoryUnavailable as error:
        if _in_ci():
            pytest.fail(f"CI needs the git history of {contract.SCHEMA_FILE}: {error}")
        pytest.skip(f"no git history to compare with: {error}")
    if contract.is_shallow():
        message = (
            "shallow clone: versions of schema.graphql older than its depth are not checked "
            "(git fetch --unshallow)"
        )
        if _in_ci():
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
    listed = contract.acknowledged_changes(
        (contract.ROOT / contract.CHANGES_FILE).read_text(encoding="utf-8")
    )

    missing: dict[str, str] = {}
    dangerous: dict[str, str] = {}
    for version in versions:
        for change in contract.unlisted(contract.breaking_changes(version.sdl, code), listed):
            missing.setdefault(change.description, version.commit[:10])
        for change in contract.dangerous_changes(version.sdl, code):
            dangerous.setdefault(change.description, version.commit[:10])
    for description, commit in dangerous.items():
        # Reported, never refused: clients may need to know (a new enum value, a new default).
        warnings.warn(f"dangerous schema change against {commit}: {description}", stacklevel=1)

    assert not missing, (
        f"breaking changes against committed versions of {contract.SCHEMA_FILE} that "
        f"{contract.CHANGES_FILE} does not list (add each under "
        f"'{contract.CHANGES_SECTION}' with the date and the reason, or undo it):\n"
        + "\n".join(
            f"- `{description}` (YYYY-MM-DD): <reason>    [against {commit}]"
            for description, commit in missing.items()
        )
    )


# The checker itself, on small schemas.
OLD = "type Query {\n  foo: String\n  bar: Int\n}\n\nenum Color {\n  RED\n}\n"
NEW = "type Query {\n  bar: Int\n}\n\nenum Color {\n  RED\n  BLUE\n}\n"


def test_a_removed_field_is_a_breaking_change_and_an_added_enum_value_a_dangerous_one() -> None:
    assert contract.breaking_changes(OLD, NEW) == [
        contract.Change("FIELD_REMOVED", "Field Query.foo was removed.")
    ]
    assert contract.dangerous_changes(OLD, NEW) == [
        contract.Change("VALUE_ADDED_TO_ENUM", "Enum value Color.BLUE was added.")
    ]
    assert contract.breaking_changes(OLD, OLD) == []


def test_a_listed_breaking_change_passes_and_an_unlisted_one_is_reported() -> None:
    changes = contract.breaking_changes(OLD, NEW)
    unlisted_doc = "# Schema changes\n\n## Accepted breaking changes\n\n(none)\n"
    listed_doc = (
        "# Schema changes\n\n## Accepted breaking changes\n\n"
        "- `Field Query.foo was removed.` (2026-12-04): renamed to `bar`.\n"
        "  Clients read `bar` instead.\n"
    )

    assert contract.unlisted(changes, contract.acknowledged_changes(unlisted_doc)) == changes
    assert contract.acknowledged_changes(listed_doc) == {"Field Query.foo was removed."}
    assert contract.unlisted(changes, contract.acknowledged_changes(listed_doc)) == []


def test_only_well_formed_entries_of_the_section_count() -> None:
    elsewhere = (
        "## How to list one\n\n- `Field Query.foo was removed.` (2026-12-04): an example.\n\n"
        "## Accepted breaking changes\n\n"
    )
    assert contract.acknowledged_changes(elsewhere) == set()
    for malformed in (
        "- Field Query.foo was removed. (2026-12-04): no backticks",
        "- `Field Query.foo was removed.`: no date",
        "- `Field Query.foo was removed.` (2026-12-04):",
    ):
        with pytest.raises(ValueError, match="write entries as"):
            contract.acknowledged_changes(f"## Accepted breaking changes\n\n{malformed}\n")


def _git(directory: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(directory), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


def test_committed_versions_come_from_the_history_of_a_fresh_clone(tmp_path: Path) -> None:
    # Given a repository whose schema.graphql was committed twice, then deleted, then a clone
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    (origin / "schema.graphql").write_text(OLD)
    _git(origin, "add", "schema.graphql")
    _git(origin, "commit", "-q", "-m", "v1")
    (origin / "schema.graphql").write_text(NEW)
    _git(origin, "commit", "-q", "-am", "v2")
    _git(origin, "rm", "-q", "schema.graphql")
    _git(origin, "commit", "-q", "-m", "gone")
    subprocess.run(
        ["git", "clone", "-q", str(origin), str(tmp_path / "clone")],
        check=True,
        capture_output=True,
    )

    # When its versions are read
    versions = contract.committed_versions(tmp_path / "clone")

    # Then both texts come back, newest first, and the clone is complete
    assert [version.sdl for version in versions] == [NEW, OLD]
    assert not contract.is_shallow(tmp_path / "clone")
    assert set(contract.breaking_changes(versions[-1].sdl, "type Query {\n  bar: Int\n}\n")) == {
        contract.Change("FIELD_REMOVED", "Field Query.foo was removed."),
        contract.Change("TYPE_REMOVED", "Color was removed."),
    }


def test_outside_a_work_tree_the_history_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(contract.HistoryUnavailable):
        contract.committed_versions(tmp_path)
