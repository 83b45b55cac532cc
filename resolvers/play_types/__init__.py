"""The play-type contract (docs/architecture.md, "The play-type contract").

- `contract`: `PlayTypePlugin`, what every play type gives the platform (creation adapter,
  draft model, gate, publication, asset entity policies) and its life-cycle operations.
- `registry`: the explicit list of plugins; the schema, the worker and scripts read it.
- `gates`: the one `Blocker` type and the public-image rule every gate applies.
- `public_codes`: public work codes, assigned by the unique index and a bounded retry.
- `drafts`: stored drafts keep the keys their typed model does not know.
"""
