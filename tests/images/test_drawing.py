"""The embedded backend's pictures: deterministic PNGs of the asked size."""

from __future__ import annotations

import hashlib

import pytest

from resolvers.images.backends import EmbeddedImageBackend, ImageBackendError, checked_image
from resolvers.images.drawing import draw_png
from resolvers.images.model import ImageRequest
from tests.factories.images import png, size_of

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_same_prompt_and_size_give_the_same_bytes() -> None:
    # given a prompt
    prompt = "a lighthouse keeper's first winter"
    # when it is drawn twice
    first, second = draw_png(prompt, 512, 512), draw_png(prompt, 512, 512)
    # then the bytes are identical and a PNG
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert first.startswith(PNG_SIGNATURE)


def test_another_prompt_gives_another_picture() -> None:
    assert draw_png("a red kite", 256, 256) != draw_png("a red kite.", 256, 256)


@pytest.mark.parametrize(("width", "height"), [(64, 64), (1024, 1024), (768, 200), (64, 1024)])
def test_the_picture_has_the_asked_size(width: int, height: int) -> None:
    # when a picture is drawn at a size from the smallest to the largest
    data = draw_png("harbour lights at dusk", width, height)
    # then Pillow reads that size back
    assert size_of(data) == (width, height)


def test_a_long_prompt_still_draws() -> None:
    data = draw_png(" ".join(["word"] * 400), 320, 240)
    assert size_of(data) == (320, 240)


async def test_the_embedded_backend_checks_what_it_drew() -> None:
    # given the embedded backend
    backend = EmbeddedImageBackend(max_bytes=1_000_000)
    # when it is asked for a picture
    image = await backend.generate(ImageRequest(task_id="t", prompt="a fox", width=96, height=80))
    # then it is the drawn PNG
    assert image.content_type == "image/png"
    assert image.data == draw_png("a fox", 96, 80)


def test_bytes_over_the_cap_or_not_an_image_are_refused() -> None:
    data = png()
    assert checked_image(data, max_bytes=len(data)).content_type == "image/png"
    with pytest.raises(ImageBackendError, match="larger than"):
        checked_image(data, max_bytes=len(data) - 1)
    with pytest.raises(ImageBackendError, match="not a PNG, JPEG or WebP"):
        checked_image(b"GIF89a" + b"\x00" * 20, max_bytes=1000)
    assert checked_image(b"\xff\xd8\xff\xe0" + b"\x00" * 8, max_bytes=1000).content_type == (
        "image/jpeg"
    )
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8
    assert checked_image(webp, max_bytes=1000).content_type == "image/webp"
