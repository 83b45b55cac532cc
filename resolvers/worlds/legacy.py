"""The older question-and-answer flow (`custom_world_session`), kept apart from agent
sessions: a setting text, a few questions, the creator's answers, then one generation that
stores a result payload (a custom world draft) or an error.

- `create_legacy_session`: the questions come from the setting (deterministic): the
  world's name and four anchors. GUIDED sessions wait for every answer (QUESTIONING →
  READY); QUICK sessions are READY at once (answers are optional).
- `answer_questions`: records answers (a later answer replaces an earlier one).
- `generate_result`: builds the draft from the setting and the answers with the built-in
  generator. A result the typed draft refuses (say, a name answer longer than 40
  characters) is recorded as FAILED with `last_error_message`; answer again and retry.
  A COMPLETED session generates no more.
- `legacy_sessions_of`: the user's sessions, most recently changed first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.worlds.derivation import derive_draft
from resolvers.worlds.drafts import CustomWorldDraft, describe
from resolvers.worlds.errors import WorldError, WorldErrorCode
from resolvers.worlds.gate import ANCHOR_LABELS
from resolvers.worlds.keysets import moment_of, time_key
from resolvers.worlds.legacy_rows import LegacyQuestion, LegacySessionRow
from resolvers.worlds.model import (
    MAX_ANSWER_LENGTH,
    MAX_SETTING_LENGTH,
    AnchorKey,
    GenerationMode,
    LegacySessionStatus,
)
from resolvers.worlds.store.legacy import (
    insert_legacy_session,
    legacy_session_of,
    legacy_sessions_page,
    lock_legacy_session,
    set_answers,
    set_result,
)

NOT_FOUND_MESSAGE = "No such question-and-answer session."
NAME_QUESTION = "name"
QUESTIONS_PER_SESSION = 4


def questions_for(setting_text: str) -> list[LegacyQuestion]:
    """The world's name, then four anchors other than the premise (chosen by the setting)."""
    digest = hashlib.sha256(setting_text.encode()).digest()
    candidates = [key for key in AnchorKey if key is not AnchorKey.PREMISE]
    chosen: list[AnchorKey] = []
    for byte in digest:
        key = candidates[byte % len(candidates)]
        if key not in chosen:
            chosen.append(key)
        if len(chosen) == QUESTIONS_PER_SESSION:
            break
    questions = [LegacyQuestion(NAME_QUESTION, None, "What is the world called?", None)]
    questions += [
        LegacyQuestion(key.value, key, f"What is the world's {ANCHOR_LABELS[key]}?", None)
        for key in sorted(chosen, key=list(AnchorKey).index)
    ]
    return questions


async def create_legacy_session(
    *, viewer: Principal, setting_text: str, mode: GenerationMode
) -> LegacySessionRow:
    owner = viewer.require_user()
    setting = setting_text.strip()
    if not setting or len(setting) > MAX_SETTING_LENGTH or "\x00" in setting:
        raise WorldError(
            WorldErrorCode.SETTING_INVALID,
            f"The setting takes 1 to {MAX_SETTING_LENGTH} characters.",
            field="settingText",
        )
    now = clock.now()
    status = (
        LegacySessionStatus.READY
        if mode is GenerationMode.QUICK
        else LegacySessionStatus.QUESTIONING
    )
    return await insert_legacy_session(
        session_id=new_id(),
        owner_user_id=owner,
        mode=mode,
        status=status,
        setting_text=setting,
        questions=questions_for(setting),
        now=now,
    )


async def legacy_session(*, viewer: Principal, session_id: str) -> LegacySessionRow:
    """The viewer's Q&A session; NOT_FOUND for another user's or an unknown one."""
    owner = viewer.require_user()
    row = await legacy_session_of(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def _lock(session_id: str, owner: str) -> LegacySessionRow:
    row = await lock_legacy_session(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def answer_questions(
    *, viewer: Principal, session_id: str, answers: Sequence[tuple[str, str]]
) -> LegacySessionRow:
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        session = await _lock(session_id, owner)
        if session.status is LegacySessionStatus.COMPLETED:
            raise WorldError(
                WorldErrorCode.ALREADY_GENERATED, "This session already has its result."
            )
        questions = [q.as_json() for q in session.questions]
        by_id = {q["id"]: q for q in questions}
        for question_id, answer in answers:
            text = answer.strip()
            if question_id not in by_id:
                raise WorldError(
                    WorldErrorCode.ANSWER_INVALID,
                    f"No question {question_id!r} in this session.",
                    field="questionId",
                )
            if not text or len(text) > MAX_ANSWER_LENGTH or "\x00" in text:
                raise WorldError(
                    WorldErrorCode.ANSWER_INVALID,
                    f"An answer takes 1 to {MAX_ANSWER_LENGTH} characters.",
                    field="answer",
                )
            by_id[question_id]["answer"] = text
        complete = all(q["answer"] for q in questions)
        status = session.status
        if status is LegacySessionStatus.QUESTIONING and complete:
            status = LegacySessionStatus.READY
        return await set_answers(session_id=session_id, questions=questions, status=status, now=now)


def _result(session: LegacySessionRow) -> CustomWorldDraft:
    """The draft of a Q&A session (raises pydantic's ValidationError if refused)."""
    answers = {q.id: q.answer for q in session.questions if q.answer}
    anchors = {key: answers[key.value] for key in AnchorKey if answers.get(key.value)}
    derived = derive_draft(
        seed_text=session.setting_text,
        user_messages=[session.setting_text, *answers.values()],
        previous=CustomWorldDraft.model_validate({"anchors": anchors}),
        new_id=new_id,
    )
    data = derived.model_dump(mode="python")
    if answers.get(NAME_QUESTION):
        data["world_name"] = answers[NAME_QUESTION]
    return CustomWorldDraft.model_validate(data)


async def generate_result(*, viewer: Principal, session_id: str) -> LegacySessionRow:
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        session = await _lock(session_id, owner)
        if session.status is LegacySessionStatus.COMPLETED:
            raise WorldError(
                WorldErrorCode.ALREADY_GENERATED, "This session already has its result."
            )
        guided = session.generation_mode is GenerationMode.GUIDED
        if guided and not all(q.answer for q in session.questions):
            raise WorldError(
                WorldErrorCode.ANSWERS_MISSING,
                "Answer every question before generating (or use QUICK mode).",
                field="answers",
            )
        try:
            result: dict[str, Any] | None = _result(session).as_json()
            error = None
            status = LegacySessionStatus.COMPLETED
        except ValidationError as refused:
            result, error = None, f"The generated world was invalid: {describe(refused)}"
            status = LegacySessionStatus.FAILED
        return await set_result(
            session_id=session_id, status=status, result=result, error=error, now=now
        )


async def legacy_sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[LegacySessionRow]:
    size = page_size(first)
    position = None
    if after is not None:
        moment, session_id = decode_cursor(after, size=2)
        position = (moment_of(moment), str(session_id))
    items = await legacy_sessions_page(user_id=user_id, after=position, limit=size + 1)
    return build_page(items, size, lambda row: time_key(row.updated_at, row.session_id))
