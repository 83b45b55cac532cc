"""`manage.py migration-operator add|remove|list` and who counts as an operator."""

from __future__ import annotations

import pytest

import manage
from db.tables.migration import DatabaseMigrationOperator
from resolvers.errors import Forbidden, NotAuthenticated, NotFound
from resolvers.migration.operators import is_operator, require_operator
from resolvers.principal import ANONYMOUS
from tests.factories.auth import make_user
from tests.factories.economy import admin_principal, make_admin


async def test_add_list_remove_through_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    # given a user
    user = await make_user("olga")
    # when the command adds her with a note
    await manage.migration_operator("add", "Olga", "moves the data")
    # then she is listed, and adding her again changes nothing
    await manage.migration_operator("add", "olga", "again")
    await manage.migration_operator("list", None, "")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"operator: Olga ({user.user_id})"
    assert len(out) == 3
    assert out[2].startswith(f"olga\t{user.user_id}\t")
    assert out[2].endswith("\tmoves the data")
    assert await is_operator(user.user_id) is True
    # when she is removed (twice), then she is no operator
    await manage.migration_operator("remove", "olga", "")
    await manage.migration_operator("remove", "olga", "")
    assert capsys.readouterr().out.splitlines() == ["removed: olga", "olga was not an operator"]
    assert await DatabaseMigrationOperator.count() == 0


async def test_an_unknown_user_cannot_be_added() -> None:
    # when the command names nobody, then it fails and writes nothing
    with pytest.raises(NotFound):
        await manage.migration_operator("add", "nobody", "")
    assert await DatabaseMigrationOperator.count() == 0


async def test_only_operators_pass() -> None:
    # given a user, an admin and an operator
    user = await make_user()
    admin = await make_admin()
    operator = await make_user()
    await manage.migration_operator("add", operator.username, "")
    # then anonymous is UNAUTHENTICATED, the user and the admin FORBIDDEN
    with pytest.raises(NotAuthenticated):
        await require_operator(ANONYMOUS)
    with pytest.raises(Forbidden):
        await require_operator(user.principal)
    with pytest.raises(Forbidden):
        await require_operator(admin_principal(admin))
    assert await require_operator(operator.principal) == operator.user_id
