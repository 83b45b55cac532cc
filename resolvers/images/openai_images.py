"""An image backend for any OpenAI-compatible images API.

POST {base_url}/images/generations with `response_format: b64_json`: the image comes back
inside the JSON answer. A URL the provider returns instead is never fetched (it could
point anywhere, including this network): such an answer is a failure. The answer is read
up to what `max_bytes` of image can take in base64, the decoded bytes are capped at
`max_bytes` and must start like a PNG, JPEG or WebP. Timeouts (one deadline for the whole
exchange), error statuses, error bodies and refusals raise `ImageBackendError` with a
message the task's owner can read.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from typing import Any

import httpx

from resolvers.images.backends import ImageBackendError, checked_image
from resolvers.images.model import GeneratedImage, ImageRequest

ERROR_BODY_LIMIT = 2000
# JSON around the base64 (created, revised_prompt, …).
ENVELOPE_BYTES = 64 * 1024
REFUSAL_CODES = frozenset({"content_policy_violation", "moderation_blocked"})


class OpenAIImageBackend:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        max_bytes: int,
        timeout_seconds: float = 120.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.max_bytes = max_bytes
        self.timeout_seconds = timeout_seconds

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        body = {
            "model": self.model,
            "prompt": request.prompt,
            "n": 1,
            "size": f"{request.width}x{request.height}",
            "response_format": "b64_json",
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        limit = (self.max_bytes + 2) // 3 * 4 + ENVELOPE_BYTES
        try:
            async with asyncio.timeout(self.timeout_seconds):
                status, raw = await self._post(body, headers, limit)
        except TimeoutError as error:
            raise ImageBackendError(
                f"the image provider did not answer within {self.timeout_seconds:g} s"
            ) from error
        except httpx.HTTPError as error:
            detail = f"{type(error).__name__}: {error}".rstrip(": ")
            raise ImageBackendError(f"could not reach the image provider ({detail})") from error
        if status != 200:
            raise ImageBackendError(_error_message(status, raw[:ERROR_BODY_LIMIT]))
        # Decoding megabytes of JSON and base64 is CPU work: off the event loop.
        return await asyncio.to_thread(self._image_of, raw)

    async def _post(
        self, body: dict[str, Any], headers: dict[str, str], limit: int
    ) -> tuple[int, bytes]:
        timeout = httpx.Timeout(self.timeout_seconds, connect=10.0)
        async with (
            httpx.AsyncClient(timeout=timeout) as client,
            client.stream(
                "POST", f"{self.base_url}/images/generations", json=body, headers=headers
            ) as response,
        ):
            received = bytearray()
            async for chunk in response.aiter_bytes():
                received += chunk
                if len(received) > limit:
                    raise ImageBackendError(
                        f"the provider's answer is larger than {self.max_bytes} bytes of image"
                    )
            return response.status_code, bytes(received)

    def _image_of(self, raw: bytes) -> GeneratedImage:
        try:
            answer = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ImageBackendError("the image provider's answer is not JSON") from error
        if not isinstance(answer, dict):
            raise ImageBackendError("the image provider's answer is not a JSON object")
        if "error" in answer:
            raise ImageBackendError(_error_message(200, raw[:ERROR_BODY_LIMIT]))
        data = answer.get("data")
        first = data[0] if isinstance(data, list) and data else None
        if not isinstance(first, dict):
            raise ImageBackendError("the image provider returned no image")
        encoded = first.get("b64_json")
        if not isinstance(encoded, str) or not encoded:
            if first.get("url"):
                raise ImageBackendError(
                    "the image provider returned a URL; only b64_json images are accepted"
                )
            raise ImageBackendError("the image provider returned no image")
        try:
            decoded = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImageBackendError("the image provider's b64_json is not valid base64") from error
        return checked_image(decoded, max_bytes=self.max_bytes)


def _error_message(status: int, body: bytes) -> str:
    """What the provider said, as one line for the task's owner."""
    text = body.decode(errors="replace").strip()
    message, code = text or "no details", ""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict):
        message = str(error.get("message") or message)
        code = str(error.get("code") or error.get("type") or "")
    elif isinstance(error, str):
        message = error
    if code in REFUSAL_CODES:
        return f"the image provider refused the prompt: {message}"
    label = f"HTTP {status}" + (f" {code}" if code else "")
    return f"the image provider failed ({label}): {message}"
