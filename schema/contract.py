"""The GraphQL schema as a contract: the committed SDL and the breaking changes against it.

- `schema.graphql` (repository root) is the SDL the code builds, printed by
  `current_sdl()`. `bin/export-schema` (`manage.py export-schema`) writes it; a test fails
  when the code and the file differ.
- Every earlier committed version of the file is a published contract. A breaking change
  of the code against any of them (graphql-core's `find_breaking_changes`) must be listed in
  `docs/schema-changes.md`, one entry per change (`acknowledged_changes` reads them), or
  the test fails. Dangerous changes are reported, never refused.

Only tooling imports this module (manage.py, tests): the app never needs it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from graphql import build_schema as build_schema_from_sdl
from graphql.utilities import find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = "schema.graphql"
CHANGES_FILE = "docs/schema-changes.md"
EXPORT_COMMAND = "bin/export-schema"
CHANGES_SECTION = "## Accepted breaking changes"

# `- `<description, verbatim>` (YYYY-MM-DD): <reason>`
_ENTRY = re.compile(
    r"^- `(?P<description>[^`]+)` \((?P<date>\d{4}-\d{2}-\d{2})\): (?P<reason>\S.*)$"
)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference found by graphql-core: its type name and its description."""

    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Version:
    """A committed version of `schema.graphql`."""

    commit: str
    sdl: str


class HistoryUnavailable(Exception):
    """Git cannot tell the committed versions (not a repository, or no git)."""


def current_sdl() -> str:
    """The SDL of the code's schema, ending with a newline.

    Built with default settings, not the environment's: no setting changes the graph's
    shape (introspection and the query limits are extensions, outside the SDL).
    """
    from schema.build import build_schema  # the whole graph: imported only when asked
    from settings import Settings

    return build_schema(Settings.model_construct(), only_play_types=True).as_str() + "\n"


def committed_sdl_path(root: Path = ROOT) -> Path:
    return root / SCHEMA_FILE


def breaking_changes(old_sdl: str, new_sdl: str) -> list[Change]:
    """What `new_sdl` breaks for clients written against `old_sdl`."""
    changes = find_breaking_changes(build_schema_from_sdl(old_sdl), build_schema_from_sdl(new_sdl))
    return [Change(change.type.name, change.description) for change in changes]


def dangerous_changes(old_sdl: str, new_sdl: str) -> list[Change]:
    """What may change the behaviour of clients written against `old_sdl`."""
    changes = find_dangerous_changes(build_schema_from_sdl(old_sdl), build_schema_from_sdl(new_sdl))
    return [Change(change.type.name, change.description) for change in changes]


def acknowledged_changes(markdown: str) -> set[str]:
    """The descriptions listed under `## Accepted breaking changes` of the changes file.

    Every list item of that section must read
    `` - `<description>` (YYYY-MM-DD): <reason> ``; indented lines continue the reason.
    A malformed item raises ValueError (so a typo never passes silently).
    """
    listed: set[str] = set()
    in_section = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("## "):
            in_section = line.strip() == CHANGES_SECTION
            continue
        if not in_section or not line.startswith("-"):
            continue
        entry = _ENTRY.match(line)
        if entry is None:
            raise ValueError(
                f"{CHANGES_FILE}:{number}: write entries as "
                f"- `<description>` (YYYY-MM-DD): <reason>; got {line!r}"
            )
        listed.add(entry["description"])
    return listed


def unlisted(changes: list[Change], listed: set[str]) -> list[Change]:
    """The changes whose description is not listed, each once, in order."""
    seen: set[str] = set()
    missing: list[Change] = []
    for change in changes:
        if change.description not in listed and change.description not in seen:
            seen.add(change.description)
            missing.append(change)
    return missing


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            encoding="utf-8",
            check=False,
        )
    except FileNotFoundError as error:
        raise HistoryUnavailable("git is not installed") from error


def is_shallow(root: Path = ROOT) -> bool:
    """True when the clone lacks part of its history (`git clone --depth …`)."""
    return _git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def committed_versions(root: Path = ROOT, path: str = SCHEMA_FILE) -> list[Version]:
    """Every committed version of `path`, newest first, each distinct text once.

    Raises HistoryUnavailable outside a git work tree.
    """
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise HistoryUnavailable(inside.stderr.strip() or f"{root} is not a git work tree")
    log = _git(root, "log", "--format=%H", "--", path)
    if log.returncode != 0:
        raise HistoryUnavailable(log.stderr.strip())
    versions: list[Version] = []
    seen: set[str] = set()
    for commit in log.stdout.split():
        shown = _git(root, "show", f"{commit}:{path}")
        if shown.returncode != 0:  # the commit deleted the file
            continue
        if shown.stdout not in seen:
            seen.add(shown.stdout)
            versions.append(Version(commit, shown.stdout))
    return versions
