"""Tracing (opt-in): spans per request, operation and resolver, and trace ids in log lines.

The app gets a provider with the SDK's in-memory exporter (`create_app(tracer_provider=)`),
so the spans a request produced can be read back when it is answered.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.fixtures import held_in_own_task

SIGN_IN = (
    'mutation SignIn { authLogin(input: {username: "mei", password: "correct horse battery"}) '
    "{ errors { code } } }"
)


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def traced(exporter: InMemorySpanExporter) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose spans go to `exporter`."""
    from app import create_app

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    application = create_app(tracer_provider=provider)

    @contextlib.asynccontextmanager
    async def running() -> AsyncIterator[httpx.AsyncClient]:
        async with (
            LifespanManager(application),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=application), base_url="http://testserver"
            ) as http,
        ):
            yield http

    async with held_in_own_task(running) as http:
        yield http


@pytest.fixture
def json_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from observability.logs import configure_logging
    from settings import get_settings

    monkeypatch.setenv("LOG_FORMAT", "json")
    get_settings.cache_clear()
    yield
    configure_logging(log_format="text", level="INFO")


def _by_name(spans: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}


async def test_a_request_is_a_trace_of_its_operation_and_resolvers(
    traced: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    # when a named operation runs
    response = await traced.post("/graphql", json={"query": SIGN_IN})
    assert response.json() == {"data": {"authLogin": {"errors": [{"code": "INVALID_CREDENTIALS"}]}}}
    # then its spans: the request, the operation (named by it), its phases and resolver
    spans = _by_name(exporter.get_finished_spans())
    assert sorted(spans) == [
        "GraphQL Parsing",
        "GraphQL Query: SignIn",
        "GraphQL Resolving: authLogin",
        "GraphQL Validation",
        "POST /graphql",
    ]
    request, operation = spans["POST /graphql"], spans["GraphQL Query: SignIn"]
    assert operation.parent is not None and request.context is not None
    assert operation.parent.span_id == request.context.span_id
    assert {span.context.trace_id for span in spans.values() if span.context} == {
        request.context.trace_id
    }
    assert dict(request.attributes or {}) == {
        "http.request.method": "POST",
        "url.path": "/graphql",
        "genarrative.request_id": response.headers["X-Request-ID"],
        "http.response.status_code": 200,
    }


async def test_spans_hold_no_argument_values(
    traced: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    await traced.post("/graphql", json={"query": SIGN_IN})
    spans = _by_name(exporter.get_finished_spans())
    operation = spans["GraphQL Query: SignIn"].attributes or {}
    resolver = spans["GraphQL Resolving: authLogin"].attributes or {}
    assert operation["query"] == (
        'mutation SignIn { authLogin(input: {username: "…", password: "…"}) { errors { code } } }'
    )
    assert operation["graphql.operation.name"] == "SignIn"
    assert resolver["graphql.param.input"] == "…"
    everything = json.dumps([dict(span.attributes or {}) for span in spans.values()])
    assert "correct horse" not in everything


async def test_log_lines_carry_the_trace_id(
    json_logs: None,
    traced: httpx.AsyncClient,
    exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import resolvers.auth.password_signin as password_signin

    async def broken(**_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(password_signin, "login_with_password", broken)
    capsys.readouterr()
    response = await traced.post("/graphql", json={"query": SIGN_IN})
    records: list[dict[str, Any]] = [
        json.loads(line) for line in capsys.readouterr().err.splitlines()
    ]
    [record] = [r for r in records if r["logger"] == "genarrative.errors"]
    request = _by_name(exporter.get_finished_spans())["POST /graphql"]
    assert request.context is not None
    assert record["request_id"] == response.headers["X-Request-ID"]
    assert record["trace_id"] == format(request.context.trace_id, "032x")


def test_tracing_is_off_by_default() -> None:
    from schema.build import build_schema
    from schema.tracing import GraphQLTracing
    from settings import get_settings

    settings = get_settings()
    assert settings.tracing_enabled is False
    off = build_schema(settings)
    on = build_schema(settings, tracer_provider=TracerProvider())
    assert not any(isinstance(e, GraphQLTracing) for e in off.get_extensions())
    assert sum(isinstance(e, GraphQLTracing) for e in on.get_extensions()) == 1


def test_string_literals_are_blanked() -> None:
    from schema.tracing import redact_literals

    document = 'q { a(s: "x\\"y", b: """multi\nline "quoted" """, n: 3, e: "") }'
    assert redact_literals(document) == 'q { a(s: "…", b: "…", n: 3, e: "…") }'
