"""The OpenAI-compatible images backend against a fake provider over real HTTP: the
request it sends, the image it accepts, and every failure as one readable message."""

from __future__ import annotations

import pytest

from resolvers.images.backends import ImageBackendError
from resolvers.images.model import ImageRequest
from resolvers.images.openai_images import OpenAIImageBackend
from tests.factories.images import fake_images_provider, png

REQUEST = ImageRequest(task_id="t1", prompt="a paper kite over the bay", width=512, height=256)


def _backend(
    base_url: str, *, max_bytes: int = 1_000_000, timeout: float = 10
) -> OpenAIImageBackend:
    return OpenAIImageBackend(
        base_url=base_url,
        api_key="sk-test",
        model="gpt-image-1",
        max_bytes=max_bytes,
        timeout_seconds=timeout,
    )


async def test_the_image_comes_back_as_b64_json() -> None:
    async with fake_images_provider() as provider:
        # given a provider that answers with a PNG
        provider.image = png(12, 7)
        # when the backend asks for an image
        image = await _backend(provider.base_url).generate(REQUEST)
        # then it sent one request for b64_json and got the PNG's bytes
        assert provider.requests == [
            {
                "body": {
                    "model": "gpt-image-1",
                    "prompt": "a paper kite over the bay",
                    "n": 1,
                    "size": "512x256",
                    "response_format": "b64_json",
                },
                "authorization": "Bearer sk-test",
            }
        ]
        assert image.data == png(12, 7)
        assert image.content_type == "image/png"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "refusal",
            "the image provider refused the prompt: Your request was rejected by the safety "
            "system.",
        ),
        (
            "server_error",
            "the image provider failed (HTTP 500 server_error): The server had an error.",
        ),
        ("rate_limited", "the image provider failed (HTTP 429 rate_limit): Rate limit reached."),
        ("url_only", "the image provider returned a URL; only b64_json images are accepted"),
        ("not_an_image", "the image is not a PNG, JPEG or WebP file"),
    ],
)
async def test_provider_errors_become_one_message(answer: str, message: str) -> None:
    async with fake_images_provider() as provider:
        # given a provider answering with an error shape
        provider.answer = answer
        # when the backend asks, then it raises with the provider's reason
        with pytest.raises(ImageBackendError) as raised:
            await _backend(provider.base_url).generate(REQUEST)
        assert str(raised.value) == message


async def test_a_provider_that_does_not_answer_times_out() -> None:
    async with fake_images_provider() as provider:
        provider.answer = "hang"
        with pytest.raises(ImageBackendError) as raised:
            await _backend(provider.base_url, timeout=0.3).generate(REQUEST)
        assert str(raised.value) == "the image provider did not answer within 0.3 s"


async def test_an_image_over_the_cap_is_refused() -> None:
    async with fake_images_provider() as provider:
        provider.image = png(64, 64)
        with pytest.raises(ImageBackendError) as raised:
            await _backend(provider.base_url, max_bytes=len(provider.image) - 1).generate(REQUEST)
        assert str(raised.value) == f"the image is larger than {len(provider.image) - 1} bytes"


async def test_an_answer_far_over_the_cap_is_not_read_to_its_end() -> None:
    async with fake_images_provider() as provider:
        provider.image = png(8, 8) + b"\x00" * 200_000
        with pytest.raises(ImageBackendError) as raised:
            await _backend(provider.base_url, max_bytes=1000).generate(REQUEST)
        assert str(raised.value) == "the provider's answer is larger than 1000 bytes of image"


async def test_an_unreachable_provider_is_a_clear_failure() -> None:
    async with fake_images_provider() as provider:
        base_url = provider.base_url
    with pytest.raises(ImageBackendError) as raised:
        await _backend(base_url).generate(REQUEST)
    assert str(raised.value).startswith("could not reach the image provider (ConnectError")
