"""Per-operation loaders of creation sessions: messages, turns and their AI tasks, one
statement per kind of data for a whole list of sessions."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from resolvers.ai_tasks import reading as ai_reading
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.creation import reading
from resolvers.creation.rows import CreationMessageRow, CreationOperationRow
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page
from schema.ai_tasks.loaders import AiTaskLoaders

PageKey = tuple[PlayType, str, int | None, str | None]
SessionKey = tuple[PlayType, str]


class CreationLoaders:
    def __init__(self) -> None:
        self.messages = DataLoader[PageKey, Page[CreationMessageRow]](load_fn=self._messages)
        self.operations = DataLoader[PageKey, Page[CreationOperationRow]](load_fn=self._operations)
        self.latest = DataLoader[SessionKey, CreationOperationRow | None](load_fn=self._latest)
        self.tasks = DataLoader[str, AiTaskRow | None](load_fn=self._tasks)
        self.ai_tasks = AiTaskLoaders()

    @staticmethod
    async def _messages(keys: list[PageKey]) -> list[Page[CreationMessageRow]]:
        pages: dict[PageKey, Page[CreationMessageRow]] = {}
        for play_type, first, after in {(key[0], key[2], key[3]) for key in keys}:
            session_ids = sorted(
                {key[1] for key in keys if (key[0], key[2], key[3]) == (play_type, first, after)}
            )
            found = await reading.message_pages(
                play_type=play_type, session_ids=session_ids, first=first, after=after
            )
            for session_id, page in found.items():
                pages[(play_type, session_id, first, after)] = page
        return [pages[key] for key in keys]

    @staticmethod
    async def _operations(keys: list[PageKey]) -> list[Page[CreationOperationRow]]:
        pages: dict[PageKey, Page[CreationOperationRow]] = {}
        for play_type, first, after in {(key[0], key[2], key[3]) for key in keys}:
            session_ids = sorted(
                {key[1] for key in keys if (key[0], key[2], key[3]) == (play_type, first, after)}
            )
            found = await reading.operation_pages(
                play_type=play_type, session_ids=session_ids, first=first, after=after
            )
            for session_id, page in found.items():
                pages[(play_type, session_id, first, after)] = page
        return [pages[key] for key in keys]

    @staticmethod
    async def _latest(keys: list[SessionKey]) -> list[CreationOperationRow | None]:
        found: dict[SessionKey, CreationOperationRow] = {}
        for play_type in {key[0] for key in keys}:
            rows = await reading.latest_operations(
                play_type=play_type,
                session_ids=sorted({key[1] for key in keys if key[0] == play_type}),
            )
            for session_id, row in rows.items():
                found[(play_type, session_id)] = row
        return [found.get(key) for key in keys]

    @staticmethod
    async def _tasks(task_ids: list[str]) -> list[AiTaskRow | None]:
        rows = await ai_reading.tasks_by_id(task_ids)
        return [rows.get(task_id) for task_id in task_ids]
