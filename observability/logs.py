"""Log lines of the process: JSON (python-json-logger) or text, each with its request id.

`configure_logging` is called once per app (app.py) with values from the settings; it
installs one handler on the root logger, so every library's records come out alike:
- `json`: one JSON object per line, `time`, `level`, `logger`, `message`, then
  `request_id` (inside a request or a WebSocket connection), `trace_id` / `span_id` (inside
  a span, when tracing is on), `exc_info` (the traceback, as one string field) and any
  `extra=` fields. uvicorn's own loggers (start-up, errors, access lines) are routed
  through the same handler.
- `text`: `time LEVEL logger [request_id] message` for people at a terminal; uvicorn keeps
  its own format for its lines.

The request id lives in a contextvar (`bound_request_id`): tasks started while it is bound
(a WebSocket's operations, an SSE stream) inherit it, so their records carry it too.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal, TextIO

from opentelemetry import trace
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

LogFormat = Literal["json", "text"]

_request_id: ContextVar[str | None] = ContextVar("genarrative_request_id", default=None)

# uvicorn's loggers have handlers of their own (its LOGGING_CONFIG); in JSON they go to ours.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
# uvicorn adds an ANSI-coloured copy of some messages; JSON has no use for it.
_SKIPPED = (*RESERVED_ATTRS, "color_message")


def current_request_id() -> str | None:
    return _request_id.get()


@contextmanager
def bound_request_id(request_id: str) -> Iterator[None]:
    """Every record logged inside (and in tasks started inside) carries `request_id`."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds `request_id`, and `trace_id` / `span_id` inside a recording span, to a record.

    A filter on the handler, not on a logger: logger filters skip propagated records."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = format(context.trace_id, "032x")
            record.span_id = format(context.span_id, "016x")
        return True


class JsonFormatter(OrjsonFormatter):
    """One JSON object per record; the traceback is a field, never extra lines."""

    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message"],
            rename_fields={"levelname": "level", "name": "logger"},
            reserved_attrs=_SKIPPED,
        )

    def add_fields(
        self,
        log_data: dict[str, object],
        record: logging.LogRecord,
        message_dict: dict[str, object],
    ) -> None:
        # The time first, in UTC with milliseconds, for people reading raw lines.
        log_data["time"] = datetime.fromtimestamp(record.created, UTC).isoformat(
            timespec="milliseconds"
        )
        super().add_fields(log_data, record, message_dict)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-8s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # The format names request_id, which records logged outside a request lack.
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        line = super().format(record)
        trace_id = getattr(record, "trace_id", None)
        return f"{line} trace={trace_id}" if trace_id else line


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is when a record is emitted (test capture
    replaces it), like logging's last-resort handler."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass  # the stream is always the current sys.stderr


def configure_logging(*, log_format: LogFormat, level: str) -> logging.Handler:
    """Install the process's log handler on the root logger (replacing the one a previous
    call installed) and return it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _StderrHandler):
            root.removeHandler(handler)
    handler = _StderrHandler()
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.setLevel(level)  # also for loggers with a level of their own (uvicorn.access)
    root.addHandler(handler)
    root.setLevel(level)
    if log_format == "json":
        for name in UVICORN_LOGGERS:
            uvicorn_logger = logging.getLogger(name)
            uvicorn_logger.handlers.clear()
            uvicorn_logger.propagate = True
    return handler
