"""Asset bytes and uploads for tests."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path
from typing import Any

from tests.fixtures import GraphQLClient

TICKET = """
mutation($i: AssetUploadTicketCreateInput!) {
  assetUploadTicketCreate(input: $i) {
    errors { code field message }
    ticket { ticketId uploadUrl expiresAt maxBytes }
  }
}
"""
CONFIRM = """
mutation($t: ID!) {
  assetObjectConfirm(ticketId: $t) {
    errors { code field message }
    assetObject { id assetKind contentType contentLength contentHash accessPolicy readUrl }
  }
}
"""
BIND = """
mutation($i: AssetObjectBindInput!) {
  assetObjectBind(input: $i) {
    errors { code field message }
    binding { id assetObjectId entityKind entityId slot assetKind }
  }
}
"""


def png_bytes(seed: int = 0, size: int = 2) -> bytes:
    """A small valid PNG whose pixels depend on `seed`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + bytes([(seed + x + y) % 256 for x in range(size * 3)]) for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def request_ticket(
    gql: GraphQLClient,
    token: str,
    data: bytes,
    *,
    content_type: str = "image/png",
    asset_kind: str = "cover",
    access_policy: str = "PRIVATE",
    declared_length: int | None = None,
    declared_hash: str | None = None,
) -> dict[str, Any]:
    result = await gql.execute(
        TICKET,
        {
            "i": {
                "assetKind": asset_kind,
                "contentType": content_type,
                "contentLength": declared_length if declared_length is not None else len(data),
                "sha256": declared_hash or sha256(data),
                "accessPolicy": access_policy,
            }
        },
        token=token,
    )
    payload: dict[str, Any] = result["data"]["assetUploadTicketCreate"]
    return payload


async def upload(gql: GraphQLClient, token: str, data: bytes, **options: Any) -> dict[str, Any]:
    """Ticket → PUT → confirm; returns the confirmed object."""
    ticket = (await request_ticket(gql, token, data, **options))["ticket"]
    response = await gql.http.put(ticket["uploadUrl"], content=data)
    assert response.status_code == 200, response.text
    confirmed = await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=token)
    payload = confirmed["data"]["assetObjectConfirm"]
    assert payload["errors"] == [], payload
    result: dict[str, Any] = payload["assetObject"]
    return result


def stored_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
