"""Text generators: what the generation worker streams into a task.

`TextGenerator` is the one interface: `stream(request)` returns an async iterator of text
deltas. The worker consumes it in a task of its own and cancels that task to stop
(cancellation, or the owner's cancel): implementations release what they hold in
`finally` / `async with` (an HTTP stream, a client). An OpenAI-compatible client fits as
is: iterate the server-sent events and yield each `choices[0].delta.content`.

A request taken over from a worker that stopped carries `written_text`, the reply so far:
the generator continues after it and yields only the rest (the worker appends it after
the chunks already written).

`EmbeddedGenerator` is the embedded default: no network, the same words for the same
prompt, streamed word by word at a configurable pace. Continued, it yields exactly the
words after `written_text`, so the whole text is the same with or without a takeover.
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
    # The reply written before this request took the generation over ("" when fresh).
    written_text: str = ""


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
        deltas = [word if n == len(words) - 1 else word + " " for n, word in enumerate(words)]
        remaining = remaining_deltas(deltas, request.written_text)
        loop = asyncio.get_running_loop()
        started = loop.time()
        for number, delta in enumerate(remaining):
            # Paced from the start, so slow writes do not stretch the whole reply.
            delay = started + number * self.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            yield delta


def remaining_deltas(deltas: list[str], written: str) -> list[str]:
    """The deltas that follow `written`: none of its text again, the rest of a delta it
    ends inside. Text that is not a prefix of the reply (written with another word count,
    say) is continued after as many words as it holds."""
    if not written:
        return deltas
    if not "".join(deltas).startswith(written):
        return deltas[len(written.split()) :]
    remaining: list[str] = []
    position = 0
    for delta in deltas:
        end = position + len(delta)
        if end > len(written):
            remaining.append(delta[max(0, len(written) - position) :])
        position = end
    return remaining
