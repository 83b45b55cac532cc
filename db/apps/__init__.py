"""One Piccolo app per domain (same names as the table modules), found by discovery.

A new domain adds `db/tables/<domain>.py`, `db/apps/<domain>.py` (via `domain_app`) and
`db/migrations/<domain>/`; nothing else needs editing.
"""

from __future__ import annotations

import importlib
import os
import pkgutil

from piccolo.conf.apps import AppConfig, table_finder

DB_DIRECTORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def domain_app(name: str, *, depends_on: tuple[str, ...] = ()) -> AppConfig:
    """The app of domain `name`: tables of db/tables/<name>.py, migrations beside them."""
    return AppConfig(
        app_name=name,
        migrations_folder_path=os.path.join(DB_DIRECTORY, "migrations", name),
        table_classes=table_finder(modules=[f"db.tables.{name}"], exclude_imported=True),
        migration_dependencies=[f"db.apps.{dependency}" for dependency in depends_on],
        commands=[],
    )


def app_modules() -> list[str]:
    """Every `db.apps.<domain>` module, sorted."""
    return sorted(
        f"db.apps.{module.name}"
        for module in pkgutil.iter_modules([os.path.dirname(os.path.abspath(__file__))])
    )


def all_tables() -> list[type]:
    return [
        table
        for module in app_modules()
        for table in importlib.import_module(module).APP_CONFIG.table_classes
    ]
