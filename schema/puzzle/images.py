"""Signed read URLs of puzzle images: stored sources are asset paths, and what is served
is a fresh signed URL of the object."""

from __future__ import annotations

from resolvers.assets.objects import read_path, read_url

ASSET_PATH = read_path("")


def signed_url(asset_object_id: str | None) -> str | None:
    """A fresh signed read URL of an object (call only for objects the viewer may read)."""
    if not asset_object_id:
        return None
    return read_url(asset_object_id).url


def signed_src(src: str | None) -> str | None:
    """Stored image sources are asset paths (`/assets/objects/<id>`): sign them."""
    if src is not None and src.startswith(ASSET_PATH):
        return signed_url(src.removeprefix(ASSET_PATH))
    return src
