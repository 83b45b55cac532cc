"""Signed read URLs of puzzle images: stored sources are asset paths, and what is served
is a fresh signed URL of the object."""

from __future__ import annotations

from resolvers.assets.objects import read_path
from schema.assets.signed import signed_url

ASSET_PATH = read_path("")


def signed_src(src: str | None) -> str | None:
    """Stored image sources are asset paths (`/assets/objects/<id>`): sign them."""
    if src is not None and src.startswith(ASSET_PATH):
        return signed_url(src.removeprefix(ASSET_PATH))
    return src
