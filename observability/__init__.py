"""What operators see of the service: Prometheus metrics, structured logs, tracing.

Every layer may record into it; it imports no module of the service (not even settings:
values are passed in), only its libraries, so `db`, `resolvers`, `subscriptions` and
`schema` can all use it.
"""
