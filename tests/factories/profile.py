"""Profile test data: images as data URLs with real magic bytes."""

from __future__ import annotations

import base64

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 24
WEBP_BYTES = b"RIFF\x1c\x00\x00\x00WEBPVP8 " + b"\x00" * 16
GIF_BYTES = b"GIF89a" + b"\x00" * 24


def data_url(data: bytes, claimed: str = "image/png") -> str:
    return f"data:{claimed};base64,{base64.b64encode(data).decode()}"


def png_of_size(size: int) -> bytes:
    """A PNG-signed blob of exactly `size` bytes."""
    return PNG_BYTES[:8] + b"\x00" * (size - 8)
