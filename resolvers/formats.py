"""Recognising a file's format from its first bytes, whatever its declared type says.

Shared by assets (confirmation) and feedback evidence (images).
"""

from __future__ import annotations

from collections.abc import Callable

_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "image/png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "image/gif": lambda head: head[:6] in (b"GIF87a", b"GIF89a"),
    "model/gltf-binary": lambda head: head.startswith(b"glTF"),
    "video/mp4": lambda head: head[4:8] == b"ftyp",
    "video/webm": lambda head: head.startswith(b"\x1a\x45\xdf\xa3"),
    "audio/mpeg": lambda head: head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3"),
    "audio/ogg": lambda head: head.startswith(b"OggS"),
    "audio/wav": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE",
}


def detect(head: bytes) -> str | None:
    """The content type whose signature `head` carries, or None."""
    return next((kind for kind, check in _SIGNATURES.items() if check(head)), None)


def matches(content_type: str, head: bytes) -> bool:
    """True when the bytes look like `content_type` (types without a signature pass)."""
    check = _SIGNATURES.get(content_type)
    return check is None or check(head)
