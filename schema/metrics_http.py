"""GET /metrics: the Prometheus scrape (observability/metrics.py).

- On unless METRICS_ENABLED=false (then there is no route: 404). With METRICS_TOKEN set, a
  scrape must send `Authorization: Bearer <token>` (compared in constant time), else 401
  with no metrics in the body.
- Values read at scrape time: the database pool of this process, and the depth of the
  generation queue (one count, at most `QUEUE_DEPTH_TIMEOUT` seconds; when the database
  does not answer, the scrape goes on without that metric rather than failing).
- Several processes (PROMETHEUS_MULTIPROC_DIR): each process also samples its own pool
  every `POOL_SAMPLE_SECONDS`, since a scrape reaches only one of them.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

from prometheus_client.core import Metric
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from db.engine import record_pool_usage
from observability import metrics
from resolvers.ai_tasks.queue import queued_generations
from settings import Settings

logger = logging.getLogger("genarrative.metrics")

QUEUE_DEPTH_TIMEOUT = 1.0
POOL_SAMPLE_SECONDS = 5.0


def metrics_routes(settings: Settings, engine: Any) -> list[Route]:
    """The /metrics route, or none when METRICS_ENABLED is false."""
    if not settings.metrics_enabled:
        return []
    token = settings.metrics_token.encode()

    async def scrape(request: Request) -> Response:
        if token and not _authorized(request, token):
            return PlainTextResponse(
                "Unauthorized: send `Authorization: Bearer <METRICS_TOKEN>`.\n",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        record_pool_usage(engine)
        extra: list[Metric] = []
        depth = await _queue_depth()
        if depth is not None:
            extra.append(metrics.queue_depth(depth))
        # Rendering reads every process's files in multiprocess mode: off the event loop.
        body = await run_in_threadpool(metrics.render, extra)
        return Response(body, media_type=metrics.CONTENT_TYPE)

    return [Route("/metrics", scrape, methods=["GET"])]


def _authorized(request: Request, token: bytes) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token)


async def _queue_depth() -> int | None:
    try:
        async with asyncio.timeout(QUEUE_DEPTH_TIMEOUT):
            return await queued_generations()
    except Exception:  # a timeout too: the scrape goes on without this metric
        logger.warning("metrics: counting queued generations failed", exc_info=True)
        return None


def start_pool_sampler(engine: Any) -> asyncio.Task[None] | None:
    """In multiprocess mode, a task keeping this process's pool gauges fresh (cancel it at
    shutdown); None otherwise, where every scrape reads the pool itself."""
    if metrics.multiprocess_dir() is None:
        return None

    async def sample() -> None:
        while True:
            record_pool_usage(engine)
            await asyncio.sleep(POOL_SAMPLE_SECONDS)

    return asyncio.get_running_loop().create_task(sample())
