"""What every custom-world type shares: page arguments, the cover URL, the error type."""

from __future__ import annotations

import strawberry

from resolvers.assets.objects import read_url
from resolvers.worlds.errors import WorldErrorCode
from resolvers.worlds.gate import (
    cover_object_id,
)

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


def signed_cover_url(src: str | None) -> str | None:
    """A cover source as shown: an asset's read path gets a fresh signature."""
    asset_object_id = cover_object_id(src)
    if asset_object_id is None:
        return src
    return read_url(asset_object_id).url


@strawberry.type(name="CustomWorldError", description="Why a custom-world mutation did nothing.")
class WorldErrorType:
    code: WorldErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


# --- the typed draft -------------------------------------------------------------------------
