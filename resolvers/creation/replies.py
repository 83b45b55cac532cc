"""Prompts for the creation agent and the reading of its replies (pure functions).

A real model (GENERATION_BACKEND=openai) is asked for one JSON object:
`{"reply": "<words for the creator>", "draft": {…the whole updated draft…}}`. A reply
that is not such an object (prose, broken JSON, a draft the play type's model refuses)
raises `ReplyUnusable` or a pydantic `ValidationError`; the framework then keeps the
previous draft and records a warning. The built-in generator is asked for plain text and
the play type derives the draft from the conversation itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from resolvers.creation.model import (
    MAX_MESSAGE_LENGTH,
    PROMPT_BUDGET,
    ConversationMessage,
    MessageKind,
    MessageRole,
    ReplyFormat,
)

EMPTY_REPLY = "(The agent sent an empty reply.)"
# Longest message quoted in a prompt; older messages give way to newer ones.
QUOTE_LIMIT = 1200
ROLE_NAMES = {MessageRole.USER: "Creator", MessageRole.ASSISTANT: "Agent"}


class ReplyUnusable(Exception):
    """A reply asked for as JSON that is not a usable JSON object."""


def clip(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unfenced(text: str) -> str:
    """The inside of a ```json … ``` fence when the whole reply is one; else the text."""
    stripped = text.strip()
    if stripped.startswith("```") and stripped.endswith("```") and len(stripped) >= 6:
        inner = stripped[3:-3]
        first_line, _, rest = inner.partition("\n")
        return rest if first_line.strip().lower() in ("", "json") else inner
    return stripped


def parse_json_reply(text: str) -> tuple[str, Any]:
    """`(reply words, draft data)` from a JSON reply; `ReplyUnusable` otherwise."""
    try:
        data = json.loads(_unfenced(text))
    except json.JSONDecodeError as error:
        raise ReplyUnusable(f"The agent's reply was not valid JSON ({error.msg}).") from None
    except RecursionError:
        raise ReplyUnusable("The agent's reply was JSON nested too deeply.") from None
    if not isinstance(data, dict):
        raise ReplyUnusable("The agent's reply was JSON but not an object.")
    draft = data.get("draft")
    if not isinstance(draft, dict):
        raise ReplyUnusable("The agent's reply had no `draft` object.")
    said = data.get("reply")
    if said is not None and not isinstance(said, str):
        raise ReplyUnusable("The agent's `reply` was not a string.")
    return said or "", draft


def describe_validation(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or 'draft'}: {item['msg']}"
        for item in error.errors()[:3]
    ]
    return "The agent's draft was invalid (" + "; ".join(problems) + ")."


def _format_instructions(reply_format: ReplyFormat, draft_shape: str) -> str:
    if reply_format is ReplyFormat.TEXT:
        return "Answer the creator's last message in a few friendly sentences."
    return (
        "Reply with exactly one JSON object and nothing else (no prose, no code fence): "
        '{"reply": "<what you say to the creator>", "draft": <the whole updated draft>}, '
        f"where the draft has this shape: {draft_shape}"
    )


def build_prompt(
    *,
    subject: str,
    draft_shape: str,
    seed_text: str,
    draft: dict[str, Any] | None,
    conversation: Sequence[ConversationMessage],
    reply_format: ReplyFormat,
) -> str:
    """The prompt: role, seed, current draft, the newest messages that fit, instructions."""
    head = (
        f"You are the creation agent of Genarrative, helping a creator make {subject}.\n"
        f"Seed idea: {clip(seed_text, QUOTE_LIMIT) or '(none yet)'}\n"
        "Current draft: "
        + (json.dumps(draft, ensure_ascii=False, sort_keys=True) if draft else "(none yet)")
        + "\n"
    )
    tail = "\n" + _format_instructions(reply_format, draft_shape)
    budget = PROMPT_BUDGET - len(head) - len(tail) - len("Conversation:\n")
    lines: list[str] = []
    for message in reversed(conversation):
        if message.kind is not MessageKind.CHAT or message.role not in ROLE_NAMES:
            continue
        line = f"{ROLE_NAMES[message.role]}: {clip(message.text, QUOTE_LIMIT)}"
        if len(line) + 1 > budget:
            break
        budget -= len(line) + 1
        lines.append(line)
    body = "Conversation:\n" + "\n".join(reversed(lines))
    return (head + body + tail)[: PROMPT_BUDGET + 200]
