"""assets_upload_ticket.replaces_asset_object_id: a ticket that uploads a new version of an object."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T12:01:24:664687"
VERSION = "1.38.0"
DESCRIPTION = "upload tickets that replace an object"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="assets", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="AssetsUploadTicket",
        tablename="assets_upload_ticket",
        column_name="replaces_asset_object_id",
        db_column_name="replaces_asset_object_id",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
