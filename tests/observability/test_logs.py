"""Log lines: JSON objects carrying the request id, one line each (observability/logs.py).

In-process tests read what the app's handler writes to stderr (captured); the last one runs
`uvicorn app:app` to see that uvicorn's own lines come out as JSON too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_ws import aconnect_ws

ROOT = Path(__file__).resolve().parents[2]
BROKEN_LOGIN = 'mutation { authLogin(input: {username: "a", password: "b"}) { errors { code } } }'
SECRET = "secret SQL detail: SELECT password_hash FROM user_account"


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LOG_FORMAT=json for the app the test creates; text again afterwards."""
    from observability.logs import configure_logging
    from settings import get_settings

    monkeypatch.setenv("LOG_FORMAT", "json")
    get_settings.cache_clear()
    yield
    configure_logging(log_format="text", level="INFO")


@pytest.fixture
def broken_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """authLogin raises an unexpected error: masked for the client, logged here."""
    import resolvers.auth.password_signin as password_signin

    async def broken(**_: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(password_signin, "login_with_password", broken)


def _records(stderr: str) -> list[dict[str, Any]]:
    """Every stderr line as JSON (json.loads fails on a line that is not)."""
    return [json.loads(line) for line in stderr.splitlines()]


def _masked_error_records(stderr: str) -> list[dict[str, Any]]:
    return [r for r in _records(stderr) if r["logger"] == "genarrative.errors"]


async def test_a_masked_error_is_one_json_line_with_the_request_id(
    json_logs: None,
    broken_login: None,
    client: httpx.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given an app logging JSON and a resolver that fails; when a request without an id
    capsys.readouterr()
    response = await client.post("/graphql", json={"query": BROKEN_LOGIN})
    # then the error is logged once, as one JSON object with the id the response names
    request_id = response.headers["X-Request-ID"]
    assert response.json()["errors"][0]["extensions"]["requestId"] == request_id
    [record] = _masked_error_records(capsys.readouterr().err)
    exc_info = record.pop("exc_info")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", record.pop("time"))
    assert record == {
        "level": "ERROR",
        "logger": "genarrative.errors",
        "message": f"unexpected error (request {request_id}) at ['authLogin']",
        "request_id": request_id,
    }
    assert exc_info.startswith("Traceback (most recent call last):\n")
    assert exc_info.endswith(f"RuntimeError: {SECRET}")


async def test_the_client_request_id_is_the_logged_one(
    json_logs: None,
    broken_login: None,
    client: httpx.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    response = await client.post(
        "/graphql", json={"query": BROKEN_LOGIN}, headers={"X-Request-ID": "req-7"}
    )
    assert response.headers["X-Request-ID"] == "req-7"
    [record] = _masked_error_records(capsys.readouterr().err)
    assert (record["request_id"], record["message"]) == (
        "req-7",
        "unexpected error (request req-7) at ['authLogin']",
    )


async def test_websocket_operations_log_with_their_connection_request_id(
    json_logs: None,
    broken_login: None,
    client: httpx.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a socket opened with X-Request-ID; when an operation on it fails
    capsys.readouterr()
    async with aconnect_ws(
        "http://testserver/graphql",
        client,
        subprotocols=["graphql-transport-ws"],
        headers={"X-Request-ID": "socket-1"},
    ) as session:
        await session.send_json({"type": "connection_init", "payload": {}})
        assert (await session.receive_json(timeout=5))["type"] == "connection_ack"
        await session.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": BROKEN_LOGIN}}
        )
        result = await session.receive_json(timeout=5)
    # then the operation's error record carries the connection's id
    assert result["payload"]["errors"][0]["extensions"]["requestId"] == "socket-1"
    [record] = _masked_error_records(capsys.readouterr().err)
    assert record["request_id"] == "socket-1"


def test_text_lines_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    from observability.logs import bound_request_id, configure_logging

    configure_logging(log_format="text", level="INFO")
    capsys.readouterr()
    with bound_request_id("req-9"):
        logging.getLogger("genarrative.test").warning("inside")
    logging.getLogger("genarrative.test").warning("outside")
    lines = [line.split(" ", 2)[2] for line in capsys.readouterr().err.splitlines()]
    assert lines == [
        "WARNING  genarrative.test [req-9] inside",
        "WARNING  genarrative.test [-] outside",
    ]


def test_uvicorn_lines_are_json_too(tmp_path: Path) -> None:
    """uvicorn's own start-up and error lines go through the same JSON formatter."""
    # given LOG_FORMAT=json and a PostgreSQL that does not answer
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "LOG_FORMAT": "json",
        "GENERATION_WORKER_ENABLED": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/x",
    }
    # when uvicorn starts the app
    done = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then every stderr line is a JSON object of uvicorn's error logger
    assert done.returncode == 3
    records = _records(done.stderr)
    assert [(r["level"], r["logger"]) for r in records] == [("INFO", "uvicorn.error")] * 2 + [
        ("ERROR", "uvicorn.error")
    ] * 2
    assert [re.sub(r"\[\d+\]", "[PID]", r["message"]) for r in records] == [
        "Started server process [PID]",
        "Waiting for application startup.",
        f"genarrative: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} "
        "(connection refused); start it or set DATABASE_URL",
        "Application startup failed. Exiting.",
    ]
