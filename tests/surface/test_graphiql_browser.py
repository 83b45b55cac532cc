"""GraphiQL in a real browser, offline: Debian's Chromium (driven by Playwright, never a
downloaded browser) opens the page of the real app served by uvicorn, types and runs a
query, a query with a Bearer token set in the headers tab, and a subscription over
graphql-transport-ws whose live event the test triggers; the explorer plugin shows. Every
request of the page must go to the test server: one to any other host fails the test.

Runs once, in the PostgreSQL run (the server process shares its database). Where
/usr/bin/chromium is absent it skips with a message, except in CI (CI=true), where that is
a failure (`.ci/run` installs it).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Page, WebSocket, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from resolvers.ai_tasks import creating, inputs, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind
from resolvers.auth.admin import issue_service_token
from resolvers.auth.authenticate import principal_from_token
from schema.graphiql.manifest import assets
from tests.factories.auth import TestUser, make_user
from tests.servers import serve

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_INSTALLED = CHROMIUM.exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000
APPEND = "mutation($i: AiTaskChunkAppendInput!) { aiTaskChunkAppend(input: $i) { errors { code } appended } }"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".result-window .CodeMirror"
# GraphiQL parses the query 100 ms after the last keystroke (debounced) and decides from
# that parse whether to subscribe over the WebSocket: run only once it has caught up.
PARSED = """() => {
  const editor = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;
  return !!editor.documentAST && editor.documentAST.loc.source.body === editor.getValue();
}"""
RESULT_IS = """(expected) => {
  const text = document.querySelector('.result-window .CodeMirror').CodeMirror.getValue();
  try { return JSON.stringify(JSON.parse(text)) === expected; } catch { return false; }
}"""


@pytest.fixture
async def served_base_url(engine_name: str, tmp_path: Path) -> AsyncIterator[str]:
    if engine_name != "postgres":
        pytest.skip("the GraphiQL browser test runs once, in the PostgreSQL run")
    if not CHROMIUM_INSTALLED:
        message = f"GraphiQL browser test: {CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; required in CI")
        pytest.skip(message)
    # The test drives its task itself: no worker (serve's default).
    server = await serve(tmp_path / "server.log")
    try:
        yield server.base
    finally:
        await server.terminate(timeout=10)


class GraphiQL:
    """The page, operated as a person would: click an editor, type, run."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def replace_text(self, editor: str, text: str) -> None:
        await self.page.click(editor)
        await self.page.keyboard.press("Control+a")
        await self.page.keyboard.press("Delete")
        await self.page.keyboard.type(text)
        await self.page.keyboard.press("Escape")  # close any autocomplete hint
        typed = await self.page.eval_on_selector(editor, "e => e.CodeMirror.getValue()")
        assert typed == text

    async def run(self, query: str) -> None:
        await self.replace_text(QUERY_EDITOR, query)
        await self.page.wait_for_function(PARSED, timeout=WAIT_MS)
        await self.page.click(".graphiql-execute-button")

    async def set_headers(self, headers: dict[str, str]) -> None:
        await self.page.click(".graphiql-editor-tools button[data-name=headers]")
        await self.replace_text(
            "section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror",
            json.dumps(headers),
        )

    async def result_becomes(self, expected: dict[str, Any]) -> None:
        wanted = json.dumps(expected, separators=(",", ":"))
        try:
            await self.page.wait_for_function(RESULT_IS, arg=wanted, timeout=WAIT_MS)
        except PlaywrightTimeout:
            shown = await self.page.eval_on_selector(RESULT, "e => e.CodeMirror.getValue()")
            raise AssertionError(f"the result pane shows {shown}, not {wanted}") from None


@dataclass
class Recorded:
    """What the browser saw: every request URL, the WebSockets and the frames sent on
    them, errors in the page and Content-Security-Policy violations."""

    requests: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)
    sent_frames: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextlib.asynccontextmanager
async def chromium_page(recorded: Recorded) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            context = await browser.new_context()
            # Every request of the page (and of any worker it starts), whatever the host.
            context.on("request", lambda request: recorded.requests.append(request.url))
            page = await context.new_page()
            page.on("pageerror", lambda error: recorded.errors.append(str(error)))
            page.on(
                "console",
                lambda message: (
                    recorded.errors.append(message.text) if message.type == "error" else None
                ),
            )

            def on_socket(socket: WebSocket) -> None:
                recorded.sockets.append(socket.url)
                socket.on("framesent", lambda frame: recorded.sent_frames.append(json.loads(frame)))

            page.on("websocket", on_socket)
            await page.add_init_script(
                "document.addEventListener('securitypolicyviolation', e =>"
                " console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));"
            )
            yield page
        finally:
            await browser.close()


async def running_task(user: TestUser) -> tuple[str, str]:
    """A running task of the user's with a running stage, and a service token to drive it."""
    service = await issue_service_token(name="worker", days=1)
    worker = await principal_from_token(service.token)
    task = await creating.create_task(
        viewer=user.principal,
        kind=AiTaskKind.TEXT_GENERATION,
        request_label="graphiql",
        source_module="test",
        stages=[inputs.StageInput(kind=AiTaskStageKind.REQUEST_MODEL, label="write")],
    )
    await transitions.start_task(viewer=worker, task_id=task.task_id)
    await stage_transitions.start_stage(
        viewer=worker, task_id=task.task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    return task.task_id, service.token


async def append_chunk(
    base: str, service_token: str, task_id: str, chunk_id: str, text: str
) -> None:
    chunk = {
        "taskId": task_id,
        "stageKind": "REQUEST_MODEL",
        "chunkId": chunk_id,
        "deltaText": text,
    }
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{base}/graphql",
            json={"query": APPEND, "variables": {"i": chunk}},
            headers={"Authorization": f"Bearer {service_token}"},
        )
    assert response.json() == {"data": {"aiTaskChunkAppend": {"errors": [], "appended": True}}}


def _chunk_event(sequence: int, text: str) -> dict[str, Any]:
    return {
        "data": {"aiTaskEvents": {"sequence": sequence, "kind": "TEXT_CHUNK", "deltaText": text}}
    }


async def test_graphiql_runs_a_query_and_a_subscription_offline_in_chromium(
    served_base_url: str,
) -> None:
    base = served_base_url
    # given a user with a running task whose first chunk is already written
    user = await make_user("mei")
    task_id, service_token = await running_task(user)
    await append_chunk(base, service_token, task_id, "c1", "first ")
    recorded = Recorded()
    async with chromium_page(recorded) as page:
        graphiql = GraphiQL(page)
        # when a developer opens GraphiQL and runs a query
        await page.goto(f"{base}/graphql")
        await page.wait_for_selector(QUERY_EDITOR, timeout=WAIT_MS)
        await graphiql.run("{ __typename }")
        # then its result shows
        await graphiql.result_becomes({"data": {"__typename": "Query"}})
        # when they set their Bearer token in the headers tab and ask who they are
        await graphiql.set_headers({"Authorization": f"Bearer {user.access_token}"})
        await graphiql.run("{ viewer { username } }")
        # then it is them
        await graphiql.result_becomes({"data": {"viewer": {"username": "mei"}}})
        # when they subscribe to their task's events
        await graphiql.run(
            f'subscription {{ aiTaskEvents(taskId: "{task_id}", after: 0) '
            "{ sequence kind deltaText } }"
        )
        # then the history arrives (so the subscription is live), then a live event
        await graphiql.result_becomes(_chunk_event(4, "first "))
        await append_chunk(base, service_token, task_id, "c2", "second")
        await graphiql.result_becomes(_chunk_event(5, "second"))
        # and the explorer plugin shows the schema's fields
        await page.click("button[aria-label='Show GraphiQL Explorer']")
        await page.wait_for_selector(
            ".graphiql-explorer-root .graphiql-explorer-aiTaskEvents", timeout=WAIT_MS
        )
    # then the subscription went over one graphql-transport-ws socket to the server, with
    # the token of the headers tab
    host = urlsplit(base).netloc
    assert recorded.sockets == [f"ws://{host}/graphql"]
    assert recorded.sent_frames[0] == {
        "type": "connection_init",
        "payload": {"Authorization": f"Bearer {user.access_token}"},
    }
    assert [frame["type"] for frame in recorded.sent_frames[1:]] == ["subscribe"]
    # and every request went to the test server: the page, its assets and /graphql
    elsewhere = [url for url in recorded.requests if urlsplit(url).netloc != host]
    assert elsewhere == [], f"requests left the host: {elsewhere}"
    assert {urlsplit(url).path for url in recorded.requests} == {
        "/graphql",
        *(asset.url for asset in assets()),
    }
    # and nothing failed in the page, nor was refused by its policy
    assert recorded.errors == []
