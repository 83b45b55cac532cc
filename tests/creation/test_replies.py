"""Reading the agent's replies and building its prompt (pure functions)."""

from __future__ import annotations

import pytest

from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole, ReplyFormat
from resolvers.creation.replies import ReplyUnusable, build_prompt, parse_json_reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"reply": "Hi", "draft": {"title": "T"}}', ("Hi", {"title": "T"})),
        ('```json\n{"draft": {"levels": []}}\n```', ("", {"levels": []})),
        ('```\n{"reply": "", "draft": {}}\n```', ("", {})),
    ],
)
def test_json_replies_give_the_words_and_the_draft(text: str, expected: object) -> None:
    assert parse_json_reply(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('Here you go: {"draft": {}}', "not valid JSON"),
        ('["draft"]', "not an object"),
        ('{"reply": "no draft"}', "no `draft` object"),
        ('{"reply": 3, "draft": {}}', "`reply` was not a string"),
        ("[" * 100_000, "JSON"),
    ],
)
def test_unusable_replies_say_why(text: str, reason: str) -> None:
    with pytest.raises(ReplyUnusable) as unusable:
        parse_json_reply(text)
    assert reason in str(unusable.value)


def _message(number: int, text: str) -> ConversationMessage:
    role = MessageRole.USER if number % 2 == 0 else MessageRole.ASSISTANT
    return ConversationMessage(str(number), role, MessageKind.CHAT, text)


def test_the_prompt_keeps_the_newest_messages_within_the_task_limit() -> None:
    # given a long conversation (60 messages of 500 characters) and a warning
    conversation = [_message(number, f"m{number:02d} " + "x" * 496) for number in range(60)]
    conversation.append(
        ConversationMessage("w", MessageRole.SYSTEM, MessageKind.WARNING, "not for the agent")
    )
    # when the prompt is built for a JSON agent
    prompt = build_prompt(
        subject="a puzzle",
        draft_shape='{"title": string}',
        seed_text="Koi",
        draft={"title": "Pond"},
        conversation=conversation,
        reply_format=ReplyFormat.JSON,
    )
    # then it fits the AI-task prompt limit, keeps the newest messages and the instructions
    assert len(prompt) <= 8000
    assert "m59" in prompt and "m00" not in prompt and "not for the agent" not in prompt
    assert "Seed idea: Koi" in prompt and '{"title": "Pond"}' in prompt
    assert prompt.endswith('where the draft has this shape: {"title": string}')
