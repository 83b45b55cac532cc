"""Configuration errors end the real commands with one line on stderr, no traceback.

`manage.py migrate` and `uvicorn app:app` run in subprocesses (bounded by a timeout) with one
bad setting each; stdout is ignored, stderr is compared line for line, with the exit code.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60

PG_DOWN = (
    "genarrative: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} "
    "(connection refused); start it or set DATABASE_URL"
)
CASES: dict[str, tuple[dict[str, str | None], str]] = {
    "unsupported DATABASE_URL": (
        {"DATABASE_URL": "mysql://x"},
        "genarrative: DATABASE_URL: unsupported scheme mysql://; use sqlite:///<path>, "
        "postgres://user@host:5432/db or leave it empty",
    ),
    "production without JWT_SECRET": (
        {"ENVIRONMENT": "production", "JWT_SECRET": None},
        "genarrative: JWT_SECRET: not set, and ENVIRONMENT=production refuses the development "
        "secret; set JWT_SECRET to a long random string",
    ),
    "not an integer": (
        {"MAX_PAGE_SIZE": "abc"},
        "genarrative: MAX_PAGE_SIZE: 'abc' is invalid (Input should be a valid integer, unable "
        "to parse string as an integer); fix or unset it",
    ),
    "not a boolean": (
        {"GRAPHIQL_ENABLED": "maybe"},
        "genarrative: GRAPHIQL_ENABLED: 'maybe' is invalid (Input should be a valid boolean, "
        "unable to interpret input); fix or unset it",
    ),
    "not a JSON list": (
        {"WS_ALLOWED_ORIGINS": "https://a.example"},
        "genarrative: WS_ALLOWED_ORIGINS: not valid JSON (Expecting value: line 1 column 1 "
        "(char 0)); set it to a JSON list or unset it",
    ),
    "unsupported BROADCAST_URL": (
        {"BROADCAST_URL": "kafka://bus:9092"},
        "genarrative: BROADCAST_URL: unsupported scheme kafka://; use memory://, "
        "redis://host:6379/0 or postgres://user@host:5432/db",
    ),
    "GENERATION_BACKEND=openai without a key": (
        {
            "GENERATION_BACKEND": "openai",
            "GENERATION_WORKER_ENABLED": "true",
            "OPENAI_API_KEY": None,
        },
        "genarrative: OPENAI_API_KEY: not set, and GENERATION_BACKEND=openai needs it for the "
        "generation worker; set OPENAI_API_KEY (any value for a local server that asks none) "
        "or GENERATION_BACKEND=embedded",
    ),
    "IMAGE_BACKEND=openai without a key": (
        {"IMAGE_BACKEND": "openai", "GENERATION_WORKER_ENABLED": "true", "OPENAI_API_KEY": None},
        "genarrative: OPENAI_API_KEY: not set, and IMAGE_BACKEND=openai needs it for the "
        "generation worker; set OPENAI_API_KEY (any value for a local server that asks none) "
        "or IMAGE_BACKEND=embedded",
    ),
    "unknown GENERATION_BACKEND": (
        {"GENERATION_BACKEND": "gpt"},
        "genarrative: GENERATION_BACKEND: 'gpt' is invalid (Input should be 'embedded' or "
        "'openai'); fix or unset it",
    ),
    "unknown LOG_FORMAT": (
        {"LOG_FORMAT": "xml"},
        "genarrative: LOG_FORMAT: 'xml' is invalid (Input should be 'auto', 'json' or 'text'); "
        "fix or unset it",
    ),
    "unknown LOG_LEVEL": (
        {"LOG_LEVEL": "loud"},
        "genarrative: LOG_LEVEL: 'loud' is invalid (Input should be 'DEBUG', 'INFO', 'WARNING', "
        "'ERROR' or 'CRITICAL'); fix or unset it",
    ),
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(argv: list[str], changes: Mapping[str, str | None], tmp_path: Path) -> tuple[int, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite'}"
    env["GENERATION_WORKER_ENABLED"] = "false"
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.returncode, done.stderr


def _uvicorn() -> list[str]:
    return ["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(_closed_port())]


@pytest.mark.parametrize("case", sorted(CASES))
def test_manage_migrate_says_one_line(case: str, tmp_path: Path) -> None:
    changes, line = CASES[case]
    assert _run(["manage.py", "migrate"], changes, tmp_path) == (1, line + "\n")


@pytest.mark.parametrize("case", sorted(CASES))
def test_uvicorn_import_says_one_line(case: str, tmp_path: Path) -> None:
    changes, line = CASES[case]
    assert _run(_uvicorn(), changes, tmp_path) == (1, line + "\n")


def test_manage_migrate_postgres_down(tmp_path: Path) -> None:
    port = _closed_port()
    changes = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/x"}
    status, stderr = _run(["manage.py", "migrate"], changes, tmp_path)
    assert (status, stderr) == (1, PG_DOWN.format(port=port) + "\n")


def test_uvicorn_postgres_down_fails_startup_with_one_line(tmp_path: Path) -> None:
    """uvicorn reports a lifespan failure itself: its two INFO lines, the one line as the
    startup failure's message, its closing line, and exit status 3 (no traceback)."""
    port = _closed_port()
    changes = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/x"}
    status, stderr = _run(_uvicorn(), changes, tmp_path)
    assert status == 3
    assert re.sub(r"\[\d+\]", "[PID]", stderr).splitlines() == [
        "INFO:     Started server process [PID]",
        "INFO:     Waiting for application startup.",
        "ERROR:    " + PG_DOWN.format(port=port),
        "ERROR:    Application startup failed. Exiting.",
    ]


def _startup_failure(setting: str, tmp_path: Path) -> tuple[dict[str, str | None], str]:
    """A setting the app imports with but cannot start with, and its one line."""
    port = _closed_port()
    refused = "(connection refused); start it or set BROADCAST_URL"
    if setting == "Redis bus down":
        return (
            {"BROADCAST_URL": f"redis://127.0.0.1:{port}/0"},
            f"genarrative: BROADCAST_URL: cannot connect to Redis at 127.0.0.1:{port} {refused}",
        )
    if setting == "PostgreSQL bus down":
        return (
            {"BROADCAST_URL": f"postgres://postgres@127.0.0.1:{port}/x"},
            f"genarrative: BROADCAST_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} "
            + refused,
        )
    (tmp_path / "file").write_text("not a folder")
    return (
        {"ASSET_STORAGE_DIR": str(tmp_path / "file" / "storage")},
        f"genarrative: ASSET_STORAGE_DIR: {tmp_path / 'file'} is not a folder; make it a "
        "writable folder or set ASSET_STORAGE_DIR",
    )


@pytest.mark.parametrize(
    "setting", ["Redis bus down", "PostgreSQL bus down", "ASSET_STORAGE_DIR not a folder"]
)
def test_uvicorn_startup_failure_says_one_line(setting: str, tmp_path: Path) -> None:
    # given a setting the app cannot start with; when uvicorn starts it
    changes, line = _startup_failure(setting, tmp_path)
    status, stderr = _run(_uvicorn(), changes, tmp_path)
    # then uvicorn's own lines and the one line, exit status 3
    assert status == 3
    assert re.sub(r"\[\d+\]", "[PID]", stderr).splitlines() == [
        "INFO:     Started server process [PID]",
        "INFO:     Waiting for application startup.",
        "ERROR:    " + line,
        "ERROR:    Application startup failed. Exiting.",
    ]
