"""Image backends: what the runner asks for a picture.

`ImageBackend` is the one interface: `generate(request)` returns the image's bytes and
content type, or raises `ImageBackendError` with a message for the task's owner. The
embedded default draws in a thread (`drawing.draw_png`), so request handling goes on while
it draws; `resolvers/images/openai_images.py` asks an OpenAI-compatible images API.
Whatever a backend returns passes `checked_image`: at most ASSET_MAX_BYTES, and bytes
that start like a PNG, JPEG or WebP.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from resolvers import formats
from resolvers.images.drawing import draw_png
from resolvers.images.model import GeneratedImage, ImageRequest
from settings import Settings

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


class ImageBackendError(Exception):
    """The backend could not give an image; the message says why (the task fails with it)."""


class ImageBackend(Protocol):
    async def generate(self, request: ImageRequest) -> GeneratedImage:
        """The picture for `request`; raises `ImageBackendError` when there is none."""
        ...


def checked_image(data: bytes, *, max_bytes: int) -> GeneratedImage:
    """`data` as an image, after the size cap and the leading-bytes check."""
    if not data:
        raise ImageBackendError("the image is empty")
    if len(data) > max_bytes:
        raise ImageBackendError(f"the image is larger than {max_bytes} bytes")
    content_type = formats.detect(data[:64])
    if content_type not in IMAGE_TYPES:
        raise ImageBackendError("the image is not a PNG, JPEG or WebP file")
    return GeneratedImage(data=data, content_type=content_type)


class EmbeddedImageBackend:
    """Deterministic PNGs drawn from the prompt, in a worker thread (no network)."""

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        data = await asyncio.to_thread(draw_png, request.prompt, request.width, request.height)
        return checked_image(data, max_bytes=self.max_bytes)


def backend_name(settings: Settings) -> str:
    """IMAGE_BACKEND, or GENERATION_BACKEND when it is empty."""
    return settings.image_backend or settings.generation_backend


def backend_from_settings(settings: Settings) -> ImageBackend:
    """The backend named by IMAGE_BACKEND (empty: GENERATION_BACKEND's choice)."""
    name = backend_name(settings)
    if name == "embedded":
        return EmbeddedImageBackend(max_bytes=settings.asset_max_bytes)
    if name == "openai":
        # Imported here: only this backend needs the HTTP client.
        from resolvers.images.openai_images import OpenAIImageBackend

        return OpenAIImageBackend(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_image_model,
            max_bytes=settings.asset_max_bytes,
            timeout_seconds=settings.openai_image_timeout_seconds,
        )
    raise ValueError(f"unknown IMAGE_BACKEND {name!r}")
