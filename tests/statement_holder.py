"""A module holding a table class as a global and as a class attribute, for
tests/test_statement_modules.py."""

from __future__ import annotations

from db.tables.auth import UserAccount


class Holder:
    table = UserAccount
