"""Feedback image evidence: data URLs decoded and checked by their bytes.

Accepted: PNG (89 50 4E 47 0D 0A 1A 0A), JPEG (FF D8 FF), WebP (`RIFF` … `WEBP`). The
media type a data URL claims is ignored; the detected one is recorded. Sizes are decoded
bytes (2 MiB each by default, FEEDBACK_MAX_IMAGE_BYTES).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from resolvers import formats
from resolvers.profile.errors import ProfileError, ProfileErrorCode
from resolvers.profile.model import EvidenceMeta
from settings import get_settings

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


def sniff(data: bytes) -> str | None:
    """The image type of `data` by its magic bytes (PNG, JPEG or WebP), or None."""
    kind = formats.detect(data[:64])
    return kind if kind in IMAGE_TYPES else None


@dataclass(frozen=True, slots=True)
class Evidence:
    index: int
    content_type: str
    byte_size: int
    sha256: str
    data_url: str

    @property
    def meta(self) -> EvidenceMeta:
        return EvidenceMeta(
            index=self.index,
            content_type=self.content_type,
            byte_size=self.byte_size,
            sha256=self.sha256,
        )

    def stored_meta(self) -> dict[str, Any]:
        """The metadata as `evidence_json.meta` stores it."""
        return {
            "index": self.index,
            "contentType": self.content_type,
            "byteSize": self.byte_size,
            "sha256": self.sha256,
        }


def _refuse(code: ProfileErrorCode, message: str, index: int) -> ProfileError:
    return ProfileError(code, f"Image {index + 1}: {message}", field=f"images.{index}")


def decode_image(data_url: str, index: int) -> Evidence:
    """Decode one `data:<type>;base64,<data>` URL and check its size and type."""
    limit = get_settings().feedback_max_image_bytes
    header, comma, payload = data_url.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise _refuse(ProfileErrorCode.IMAGE_INVALID, "send a `data:…;base64,…` URL.", index)
    # Refuse oversized payloads before decoding them (4 base64 characters = 3 bytes).
    if len(payload) > 4 * ((limit + 2) // 3) + 4:
        raise _refuse(ProfileErrorCode.IMAGE_TOO_LARGE, f"at most {limit} bytes.", index)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise _refuse(
            ProfileErrorCode.IMAGE_INVALID, "the base64 data is broken.", index
        ) from error
    if not data:
        raise _refuse(ProfileErrorCode.IMAGE_INVALID, "the image is empty.", index)
    if len(data) > limit:
        raise _refuse(ProfileErrorCode.IMAGE_TOO_LARGE, f"at most {limit} bytes.", index)
    content_type = sniff(data)
    if content_type is None:
        raise _refuse(
            ProfileErrorCode.IMAGE_TYPE_UNSUPPORTED, "only PNG, JPEG and WebP images.", index
        )
    return Evidence(
        index=index,
        content_type=content_type,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data_url=f"data:{content_type};base64,{payload}",
    )


def decode_images(data_urls: list[str]) -> list[Evidence]:
    limit = get_settings().feedback_max_images
    if len(data_urls) > limit:
        raise ProfileError(
            ProfileErrorCode.TOO_MANY_IMAGES, f"At most {limit} images.", field="images"
        )
    return [decode_image(url, index) for index, url in enumerate(data_urls)]
