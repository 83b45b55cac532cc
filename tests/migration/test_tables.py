"""Every table of the project is classified for export, exactly once."""

from __future__ import annotations

import pytest
from piccolo.columns import Varchar
from piccolo.table import Table

from resolvers.migration import tables
from resolvers.migration.tables import CARRIED, EXCLUDED, REBUILT, carried_tables, unclassified


def test_every_table_is_carried_rebuilt_or_excluded() -> None:
    # given the project's tables (db.apps all_tables())
    names = {t._meta.tablename for t in tables.project_tables()}
    # then each is in exactly one list, and the lists name only existing tables
    assert unclassified() == []
    assert CARRIED.isdisjoint(REBUILT) and CARRIED.isdisjoint(EXCLUDED)
    assert set(REBUILT).isdisjoint(EXCLUDED)
    assert CARRIED | set(REBUILT) | set(EXCLUDED) == names


def test_a_new_table_must_be_classified(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a table no list names
    class NewThing(Table, tablename="new_thing"):
        thing_id = Varchar(length=10, primary_key=True)

    known = tables.project_tables()
    monkeypatch.setattr(tables, "project_tables", lambda: [*known, NewThing])
    # when an export asks for its tables, then it refuses, naming it
    assert unclassified() == ["new_thing"]
    with pytest.raises(RuntimeError, match="new_thing"):
        carried_tables()


def test_secrets_throttles_leases_and_streams_stay_out() -> None:
    # then what the issue leaves out is excluded, the read model rebuilt
    for name in (
        "refresh_session",
        "auth_refresh_token_lineage",
        "auth_service_credential",
        "auth_phone_code",
        "auth_login_throttle",
        "economy_redeem_throttle",
        "ai_tasks_worker_lease",
        "realtime_stream_counter",
        "realtime_stream_event",
        "gallery_change_event",
        "database_migration_operator",
        "database_migration_import_chunk",
    ):
        assert name in EXCLUDED, name
    assert list(REBUILT) == ["gallery_public_work"]
    # and the platform state the issue names is carried (roles, password hashes)
    assert {"user_account", "auth_user_role", "auth_identity", "auth_store_snapshot"} <= CARRIED
