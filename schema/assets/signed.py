"""Signed read URLs of stored objects, as the graph shows them."""

from __future__ import annotations

from resolvers.assets.objects import read_url


def signed_url(asset_object_id: str | None) -> str | None:
    """A fresh signed read URL of an object (call only for objects the viewer may read)."""
    return read_url(asset_object_id).url if asset_object_id else None
