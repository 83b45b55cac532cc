"""GraphQL-over-HTTP conformance: the npm `graphql-http` package's `serverAudits` (pinned in
tests/http_audit/package.json and its lock) against the real app served by uvicorn.

Every MUST and SHOULD audit must pass (MAYs are reported, not required). Runs once, in the
SQLite run of the suite. Needs Node.js and npm: without them, or when `npm ci` cannot
install the pinned packages, the test skips with a message locally and fails in CI
(CI=true).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import serve

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "tests" / "http_audit"


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"GraphQL-over-HTTP audit: {message} (required in CI)")
    pytest.skip(f"GraphQL-over-HTTP audit: {message}")


async def _run(*args: str, timeout: float) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return process.returncode or 0, stdout.decode(), stderr.decode()


async def _node_with_audit_packages() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("Node.js and npm are not installed")
    assert node is not None and npm is not None
    if not (AUDIT / "node_modules" / "graphql-http" / "package.json").exists():
        code, out, err = await _run(
            npm, "ci", "--prefix", str(AUDIT), "--no-audit", "--no-fund", timeout=300
        )
        if code != 0:
            _unavailable(f"`npm ci --prefix tests/http_audit` failed:\n{out}\n{err}")
    return node


@pytest.fixture
async def served_graphql_url(engine_name: str, tmp_path: Path) -> AsyncIterator[str]:
    if engine_name != "sqlite":
        pytest.skip("the HTTP audit runs once, in the SQLite run")
    server = await serve(tmp_path / "server.log")
    try:
        yield f"{server.base}/graphql"
    finally:
        await server.terminate(timeout=10)


async def test_every_must_and_should_audit_of_graphql_http_passes(
    served_graphql_url: str,
) -> None:
    node = await _node_with_audit_packages()
    code, out, err = await _run(node, str(AUDIT / "audit.mjs"), served_graphql_url, timeout=120)
    assert code == 0, f"the audit script failed:\n{out}\n{err}"
    results: list[dict[str, Any]] = json.loads(out)
    required = [a for a in results if str(a["name"]).startswith(("MUST", "SHOULD"))]
    failed = [
        f"{a['id']} {a['name']}: {a['status']}: {a['reason']}"
        for a in required
        if a["status"] != "ok"
    ]
    assert any(str(a["name"]).startswith("MUST") for a in required), results
    assert not failed, "GraphQL-over-HTTP audits not ok:\n" + "\n".join(failed)
