"""The fast path: validated queries over public data, compiled once into plans that shape
Strawberry objects straight into the response, skipping graphql-core's per-field execution.

`allowlist.py` says which root fields have a plan and which fields a plan may read;
`shaping.py` compiles a selection set; `fast_path.py` caches plans per document and runs
them, falling back to the normal executor for everything else (docs/performance.md).
"""
