"""The repository stands alone: no file cites a document outside it, and the repository
paths that code and docs cite exist.

Scans the files git knows (tracked, and new ones not ignored); outside a git work tree, the
tree itself without virtualenvs, caches and build output.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {".git", ".venv", "var", "build", "__pycache__", ".mypy_cache"}

# Written in pieces so that this file does not cite them itself.
OUTSIDE = re.compile(
    "|".join(
        [
            r"(?<![\w-])shared" + "/",
            r"(?<![\w-])seeds" + "/",
            r"\bDOMAIN" + r"\.md",
            r"\bARCHITECTURE" + r"\.md",
            r"\bSTACK" + "_NOTES",
        ]
    )
)
# A repository path: a top-level folder, then names (placeholders such as <domain> stop it).
CITED_PATH = re.compile(
    r"(?<![\w./-])((?:db|resolvers|schema|subscriptions|tests|docs|bench|bin)/[\w./-]*\w)"
)


def _text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        names = [name for name in listed.stdout.decode().split("\0") if name]
        candidates = [ROOT / name for name in names]
    else:
        candidates = [
            path
            for path in ROOT.rglob("*")
            if not SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts)
            and not any(part.endswith(".egg-info") for part in path.parts)
        ]
    files = []
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            try:
                path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # binary
            files.append(path)
    return files


def _lines(path: Path) -> list[tuple[int, str]]:
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


def test_no_file_cites_a_document_outside_the_repository() -> None:
    citations = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _text_files()
        for number, line in _lines(path)
        if OUTSIDE.search(line)
    ]
    assert not citations, "cite docs/ instead (docs/architecture.md, docs/domain.md, …):\n" + (
        "\n".join(citations)
    )


def test_cited_repository_paths_exist() -> None:
    missing = []
    for path in _text_files():
        if path.name == "schema.graphql":
            continue
        for number, line in _lines(path):
            for cited in CITED_PATH.findall(line):
                if any(part.split(".")[0].isupper() for part in cited.split("/")):
                    continue  # a placeholder: db/tables/APP.py
                target = ROOT / cited.rstrip(".")
                if not (target.exists() or target.with_suffix(".py").exists()):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {cited}")
    assert not missing, "cited paths that do not exist:\n" + "\n".join(missing)
