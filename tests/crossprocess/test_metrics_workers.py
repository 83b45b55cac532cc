"""/metrics under `uvicorn --workers 2` (PROMETHEUS_MULTIPROC_DIR): whichever worker serves a
scrape, it shows the sum of both workers' values; a worker that stops leaves the gauges.

Runs in the PostgreSQL run of the suite (the workers share its database).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from httpx_ws import aconnect_ws
from prometheus_client.parser import text_string_to_metric_families

from settings import get_settings
from tests.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
GALLERY = "{ gallery(first: 1) { pageInfo { hasNextPage } } }"
REQUESTS = "genarrative_graphql_requests_total"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def two_workers(folder: Path) -> AsyncIterator[tuple[str, asyncio.subprocess.Process]]:
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": get_settings().database_url,
        "GENERATION_WORKER_ENABLED": "false",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)),
        *("--workers", "2", "--log-level", "warning"),
        cwd=ROOT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient() as probe:
            # Both workers are up once each has written its files (one set per process).
            while len(_pids(folder)) < 2 or not await _ready(probe, base):
                assert process.returncode is None, "uvicorn exited"
                assert time.monotonic() < deadline, "the workers did not start"
                await asyncio.sleep(0.1)
        yield base, process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=15)
            except TimeoutError:
                process.kill()


def _pids(folder: Path) -> set[str]:
    return {path.stem.rsplit("_", 1)[-1] for path in folder.glob("gauge_livesum_*.db")}


def _counter_files(folder: Path) -> list[Path]:
    return list(folder.glob("counter_*.db"))


async def _ready(probe: httpx.AsyncClient, base: str) -> bool:
    try:
        return (await probe.get(f"{base}/readyz")).status_code == 200
    except httpx.TransportError:
        return False


async def _scrape(
    http: httpx.AsyncClient, base: str
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await http.get(f"{base}/metrics")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_every_scrape_sums_both_workers(engine_name: str, tmp_path: Path) -> None:
    if engine_name != "postgres":
        pytest.skip("the workers share the PostgreSQL run's database")
    gallery_ok = (REQUESTS, frozenset({("operation", "gallery"), ("outcome", "ok")}))
    sockets = ("genarrative_websockets_open", frozenset())

    # Given two workers sharing a metrics folder
    async with two_workers(tmp_path) as (base, process), httpx.AsyncClient() as http:
        # When 20 queries go to whichever worker takes each connection, and 3 sockets open
        for _ in range(20):
            response = await http.post(
                f"{base}/graphql", json={"query": GALLERY}, headers={"Connection": "close"}
            )
            assert "errors" not in response.json(), response.text
        async with contextlib.AsyncExitStack() as stack:
            for _ in range(3):
                client = await stack.enter_async_context(httpx.AsyncClient())
                ws = await stack.enter_async_context(
                    aconnect_ws(f"{base}/graphql", client, subprotocols=["graphql-transport-ws"])
                )
                await ws.send_json({"type": "connection_init", "payload": {}})
                assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"

            # Then every scrape (each may reach either worker) counts all of them
            for _ in range(6):
                samples = await _scrape(http, base)
                assert samples[gallery_ok] == 20
                assert samples[sockets] == 3

        # And once the sockets close, the gauge falls back to 0
        await eventually(
            lambda: _scrape(http, base), lambda samples: samples[sockets] == 0, timeout=5
        )

        # When the workers stop, then their live gauges leave the folder; counters stay
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=15)
    assert _pids(tmp_path) == set()
    assert _counter_files(tmp_path)
