"""What the benchmarks share: ports, child processes, a scratch PostgreSQL database, /proc.

The benchmarks import it as a sibling module (`python bench/<name>.py` puts bench/ first
on the path).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(args: list[str], env: dict[str, str], timeout: float) -> str:
    """Run a command in the repository; its stdout, or exit with its output on failure."""
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


async def postgres(url: str, statement: str) -> None:
    """One statement on its own connection (CREATE / DROP DATABASE)."""
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def wait_healthy(
    port: int, server: subprocess.Popen[bytes], *, deadline: float, path: str = "/healthz"
) -> None:
    """Until `path` answers 200 on loopback; exit when the server dies or time runs out."""
    import httpx

    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("a server exited during start-up")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise SystemExit("a server did not start in time")


def stop(server: subprocess.Popen[bytes] | None) -> None:
    """SIGINT (a clean shutdown), then SIGKILL after 15 s."""
    if server is None:
        return
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cpu_times(pid: int) -> tuple[float, float]:
    """User and system CPU time of a process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / ticks, int(fields[12]) / ticks


def cpu_seconds(pid: int) -> float:
    return sum(cpu_times(pid))


def descendants(pid: int) -> list[int]:
    """The live processes below `pid` (uvicorn --workers: its worker processes)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and every live process below it (workers stay up during a
    measurement, so nothing is lost to processes that ended)."""
    total = 0.0
    for member in [pid, *descendants(pid)]:
        with contextlib.suppress(OSError):
            total += cpu_seconds(member)
    return total
