"""The text generator this process's worker uses, chosen by GENERATION_BACKEND."""

from __future__ import annotations

from resolvers.ai_tasks.generation import EmbeddedGenerator, TextGenerator
from resolvers.ai_tasks.openai_compatible import OpenAICompatibleGenerator
from settings import Settings


def generator_from_settings(settings: Settings) -> TextGenerator:
    """The generator named by GENERATION_BACKEND (`embedded`: the built-in one)."""
    if settings.generation_backend == "embedded":
        return EmbeddedGenerator(
            words_per_second=settings.generation_words_per_second,
            word_count=settings.generation_word_count,
        )
    if settings.generation_backend == "openai":
        return OpenAICompatibleGenerator(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            timeout_seconds=settings.openai_timeout_seconds,
        )
    raise ValueError(f"unknown GENERATION_BACKEND {settings.generation_backend!r}")
