"""uvicorn processes for tests that need a real server (fault, two-process, browser and
HTTP-audit tests): started on the run's database with extra settings, their stderr kept
in a file the test reads (log lines), stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from settings import get_settings
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    process: asyncio.subprocess.Process
    base: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    async def terminate(self, timeout: float = 30) -> float:
        """SIGTERM; the seconds until the process exited (killed after `timeout`)."""
        started = time.monotonic()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return time.monotonic() - started


async def serve(log: Path, **settings: str) -> Server:
    """A uvicorn process serving the app with `settings` (environment variables)."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": get_settings().database_url,
        "GENERATION_WORKER_ENABLED": "false",
        **settings,
    }
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "uvicorn",
            "app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            cwd=ROOT,
            env=environment,
            stderr=output,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as probe:
        while True:
            try:
                if (await probe.get(f"{server.base}/readyz")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.returncode is not None:
                if process.returncode is None:
                    process.kill()
                raise RuntimeError(f"server on {port} did not start:\n{server.log_text()}")
            await asyncio.sleep(0.1)
