"""Data migration (docs/ops.md): who may move a platform's data, uploads in flight, and the
legacy auth store's bridge.

Catalog tables: `database_migration_operator` (primary key `operator_identity`, a user id),
`database_migration_import_chunk` (primary key `chunk_key` = `{upload_id}:{chunk_index}`,
index `upload_id`), `auth_store_snapshot` (primary key `snapshot_id`; the legacy auth
store's whole JSON document, docs/ops.md "Legacy auth store").
"""

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class DatabaseMigrationOperator(Table, tablename="database_migration_operator"):
    """A user allowed to export and import the platform's data."""

    operator_identity = Varchar(length=64, primary_key=True)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = Varchar(length=64)
    note = Text(default="")


class DatabaseMigrationImportChunk(Table, tablename="database_migration_import_chunk"):
    """One piece of an uploaded export, kept until its upload is committed."""

    chunk_key = Varchar(length=140, primary_key=True)
    upload_id = Varchar(length=128, index=True)
    chunk_index = Integer()
    chunk_count = Integer()
    operator_identity = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    chunk = Text()


class AuthStoreSnapshot(Table, tablename="auth_store_snapshot"):
    """The legacy auth store's JSON document, as last imported or exported."""

    snapshot_id = Varchar(length=64, primary_key=True)
    snapshot_json = Text()
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (the catalog's): database_migration_import_chunk (upload_id).
INDEXES = {
    ("database_migration_import_chunk", ("upload_id",), False),
}
