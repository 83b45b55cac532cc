"""The platform's behaviour: plain async functions per domain, callable from tests and workers.

Nothing here imports Strawberry or `schema`; functions take keyword-only arguments.
"""
