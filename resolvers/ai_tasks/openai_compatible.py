"""A `TextGenerator` for any OpenAI-compatible chat-completions API, streamed.

POST {base_url}/chat/completions with `stream: true`; each server-sent event carries
`choices[0].delta.content`. The reply ends with `data: [DONE]` (or a `finish_reason`). A
stream that stops before that, an error status, or an error event raises
`ProviderError`: the worker fails the task with the message and keeps the text so far.
Cancelling the consuming task closes the HTTP stream at once (`async with`).

A request taken over from a stopped worker (`written_text`) sends the reply so far as the
assistant's message and asks, as the user, to continue it where it stops without
repeating anything: chat-completions APIs have no portable "prefill", but every model
follows that.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_sse import SSEError, aconnect_sse

from resolvers.ai_tasks.generation import GenerationRequest

ERROR_BODY_LIMIT = 2000
DEFAULT_SYSTEM_PROMPT = (
    "You are the writing assistant of Genarrative, a platform for small story games. "
    "Answer in the language of the request."
)
CONTINUE_PROMPT = (
    "Your reply above was cut off. Continue it exactly where it stops: do not repeat any of "
    "it, add no preamble, and start with the very next characters."
)


class ProviderError(Exception):
    """The provider answered with an error or broke off the stream."""


class OpenAICompatibleGenerator:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        timeout_seconds: float = 60.0,
        system_prompt: str = DEFAULT_SYSTEM_PROMPT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.timeout = httpx.Timeout(timeout_seconds, connect=10.0)
        self.system_prompt = system_prompt

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        messages = [
            {"role": "system", "content": self.system_prompt},
            {"role": "user", "content": request.prompt},
        ]
        if request.written_text:
            messages += [
                {"role": "assistant", "content": request.written_text},
                {"role": "user", "content": CONTINUE_PROMPT},
            ]
        body = {"model": self.model, "stream": True, "messages": messages}
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            async with (
                httpx.AsyncClient(timeout=self.timeout) as client,
                aconnect_sse(
                    client, "POST", f"{self.base_url}/chat/completions", json=body, headers=headers
                ) as source,
            ):
                response = source.response
                if response.status_code != 200:
                    detail = (await response.aread())[:ERROR_BODY_LIMIT].decode(errors="replace")
                    raise ProviderError(f"HTTP {response.status_code}: {_error_message(detail)}")
                finished = False
                async for event in source.aiter_sse():
                    if event.data.strip() == "[DONE]":
                        finished = True
                        break
                    chunk = _parse(event.data)
                    choices = chunk.get("choices") or [{}]
                    content = (choices[0].get("delta") or {}).get("content")
                    if content:
                        yield str(content)
                    if choices[0].get("finish_reason"):
                        finished = True
                if not finished:
                    raise ProviderError("the provider's stream ended before the reply was complete")
        except (httpx.HTTPError, SSEError) as error:
            raise ProviderError(f"{type(error).__name__}: {error}".rstrip(": ")) from error


def _parse(data: str) -> dict[str, Any]:
    try:
        chunk = json.loads(data)
    except json.JSONDecodeError as error:
        raise ProviderError("the provider sent an event that is not JSON") from error
    if not isinstance(chunk, dict):
        raise ProviderError("the provider sent an event that is not an object")
    if "error" in chunk:
        raise ProviderError(_error_message(json.dumps(chunk)))
    return chunk


def _error_message(body: str) -> str:
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return body.strip() or "no details"
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return body.strip() or "no details"
