"""What operators see of the service: Prometheus metrics, structured logs, tracing.

Every layer may record into it; it imports no layer of the service (only settings and
its libraries), so `db`, `resolvers`, `subscriptions` and `schema` can all use it.
"""
