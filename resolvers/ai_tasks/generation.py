"""Text generators: what the generation worker streams into a task.

`TextGenerator` is the one interface: `stream(request)` returns an async iterator of text
deltas. The worker consumes it in a task of its own and cancels that task to stop
(cancellation, or the owner's cancel): implementations release what they hold in
`finally` / `async with` (an HTTP stream, a client). An OpenAI-compatible client fits as
is: iterate the server-sent events and yield each `choices[0].delta.content`.

`EmbeddedGenerator` is the embedded default: no network, the same words for the same
prompt, streamed word by word at a configurable pace.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from resolvers.ai_tasks.model import AiTaskKind


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    task_id: str
    kind: AiTaskKind
    prompt: str


class TextGenerator(Protocol):
    def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        """The reply as text deltas, in order; raising fails the task with the error."""
        ...


_OPENINGS = ["Once", "Long ago", "At dawn", "Beyond the hills", "In the lantern market"]
_SUBJECTS = [
    "the cartographer",
    "a quiet fox",
    "the lighthouse keeper",
    "two travelling players",
    "the clockmaker's apprentice",
    "a lost courier",
    "the river spirit",
]
_VERBS = ["followed", "mended", "remembered", "traded", "painted", "guarded", "sang about"]
_OBJECTS = [
    "a silver compass",
    "the last ferry ticket",
    "an unfinished map",
    "a jar of fireflies",
    "the northern gate",
    "a paper kite",
    "the forgotten bell",
]
_PLACES = [
    "under the old bridge",
    "across the salt flats",
    "behind the tea house",
    "through the bamboo rain",
    "along the glass canal",
]


def embedded_reply(prompt: str, *, word_count: int = 0) -> list[str]:
    """Deterministic words for `prompt`: 40 to 90 of them, or exactly `word_count`."""
    seed = int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:8], "big")
    chooser = random.Random(seed)
    target = word_count if word_count > 0 else chooser.randint(40, 90)
    words: list[str] = []
    while len(words) < target:
        sentence = (
            f"{chooser.choice(_OPENINGS)} {chooser.choice(_SUBJECTS)} "
            f"{chooser.choice(_VERBS)} {chooser.choice(_OBJECTS)} {chooser.choice(_PLACES)}."
        )
        words += sentence.split()
    words = words[:target]
    if not words[-1].endswith("."):
        words[-1] += "."
    return words


class EmbeddedGenerator:
    """Streams `embedded_reply(prompt)` word by word, `words_per_second` of them."""

    def __init__(self, *, words_per_second: float, word_count: int = 0) -> None:
        if words_per_second <= 0:
            raise ValueError("words_per_second must be positive")
        self.interval = 1.0 / words_per_second
        self.word_count = word_count

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        words = embedded_reply(request.prompt, word_count=self.word_count)
        loop = asyncio.get_running_loop()
        started = loop.time()
        for number, word in enumerate(words):
            # Paced from the start, so slow writes do not stretch the whole reply.
            delay = started + number * self.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            yield word if number == len(words) - 1 else word + " "
