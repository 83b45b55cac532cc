"""Writes persisted-operations.json: the documents of the README's examples (its ```graphql
blocks) and of the benchmarks (each bench module's PERSISTED_DOCUMENTS), by SHA-256.

    bin/persisted-operations           rewrite the file
    bin/persisted-operations --check   exit 1 when the file differs
"""

from __future__ import annotations

import importlib
import re
import sys

import orjson

from schema.persisted import OPERATIONS_FILE, document_hash
from settings import ROOT

BENCH_MODULES = ("gallery", "gallery_cached")
_BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)


def documents() -> list[str]:
    found = [block.strip() for block in _BLOCK.findall((ROOT / "README.md").read_text())]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        for name in BENCH_MODULES:
            found += importlib.import_module(name).PERSISTED_DOCUMENTS
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return found


def operations() -> dict[str, str]:
    found = {document_hash(document): document for document in documents()}
    return dict(sorted(found.items()))


def rendered() -> bytes:
    return orjson.dumps(operations(), option=orjson.OPT_INDENT_2) + b"\n"


def main(arguments: list[str]) -> int:
    content = rendered()
    if "--check" in arguments:
        if not OPERATIONS_FILE.exists() or OPERATIONS_FILE.read_bytes() != content:
            print("persisted-operations.json is out of date: run bin/persisted-operations")
            return 1
        return 0
    OPERATIONS_FILE.write_bytes(content)
    print(f"wrote {OPERATIONS_FILE.name}: {len(operations())} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
