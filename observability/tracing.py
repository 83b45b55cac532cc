"""OpenTelemetry tracing, opt-in (TRACING_ENABLED): the provider and the request span.

The app builds one `TracerProvider` when tracing is on and hands it to what records spans
(the request middleware, Strawberry's extension in schema/tracing.py); nothing here is
global, so a test passes a provider with an in-memory exporter instead. Off, there is no
provider and nothing is recorded (no extension in the schema, no request span).

Exporters: `otlp` sends batches over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the
standard variable; unset, the SDK's default http://localhost:4318), `console` prints each
span to stdout (trying it out without a collector). The other standard OTEL_* variables
(headers, sampler, resource attributes) are read by the SDK itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.trace import Span, SpanKind, StatusCode

TracingExporter = Literal["otlp", "console"]
TRACER_NAME = "genarrative"
# Routes whose path names the route; any other path (asset URLs hold ids) stays out of
# span names so that names do not grow without bound.
NAMED_PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


def build_tracer_provider(
    *, exporter: TracingExporter, service_name: str, otlp_endpoint: str = ""
) -> TracerProvider:
    """A provider exporting every span of this process (shut it down to flush)."""
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    if exporter == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    else:
        # An explicit endpoint is the base URL, like the environment variable's.
        endpoint = f"{otlp_endpoint.rstrip('/')}/v1/traces" if otlp_endpoint else None
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider


@contextmanager
def http_server_span(
    provider: TracerProvider, *, method: str, path: str, request_id: str
) -> Iterator[Span]:
    """The current span of one HTTP request (its operation spans are children)."""
    name = f"{method} {path}" if path in NAMED_PATHS else method
    tracer = provider.get_tracer(TRACER_NAME)
    attributes = {
        "http.request.method": method,
        "url.path": path,
        "genarrative.request_id": request_id,
    }
    with tracer.start_as_current_span(name, kind=SpanKind.SERVER, attributes=attributes) as span:
        yield span


def record_status(span: Span, status: int) -> None:
    """Note the response status; a 5xx marks the span as an error (semantic conventions)."""
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(StatusCode.ERROR)
