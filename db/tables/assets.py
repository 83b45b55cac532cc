"""Assets (docs/domain.md, "Assets"): stored objects, their bindings to entity slots, and events.

Catalog tables: asset_object, asset_entity_binding, asset_event. Addition (docs/tables.md):
assets_upload_ticket, the state of a direct upload between ticket and confirmation.
"""

from piccolo.columns import BigInt, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AssetObject(Table, tablename="asset_object"):
    asset_object_id = Varchar(length=64, primary_key=True)
    bucket = Varchar(length=64)
    object_key = Varchar(length=255)
    access_policy = Varchar(length=16)
    content_type = Varchar(length=100, null=True, default=None)
    content_length = BigInt(default=0)
    content_hash = Varchar(length=64, null=True, default=None)
    version = Integer(default=1)
    source_job_id = Varchar(length=64, null=True, default=None)
    owner_user_id = Varchar(length=64, null=True, default=None)
    profile_id = Varchar(length=64, null=True, default=None)
    entity_id = Varchar(length=128, null=True, default=None)
    asset_kind = Varchar(length=48, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AssetEntityBinding(Table, tablename="asset_entity_binding"):
    binding_id = Varchar(length=64, primary_key=True)
    asset_object_id = Varchar(length=64, index=True)
    entity_kind = Varchar(length=48)
    entity_id = Varchar(length=128)
    slot = Varchar(length=64)
    asset_kind = Varchar(length=48)
    owner_user_id = Varchar(length=64, null=True, default=None)
    profile_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AssetEvent(Table, tablename="asset_event"):
    event_id = Varchar(length=64, primary_key=True)
    asset_object_id = Varchar(length=64, index=True)
    binding_id = Varchar(length=64, null=True, default=None)
    event_kind = Varchar(length=24)
    asset_kind = Varchar(length=48)
    owner_user_id = Varchar(length=64, null=True, default=None, index=True)
    profile_id = Varchar(length=64, null=True, default=None, index=True)
    entity_kind = Varchar(length=48, null=True, default=None)
    entity_id = Varchar(length=128, null=True, default=None)
    slot = Varchar(length=64, null=True, default=None)
    occurred_at = Timestamptz(default=TimestamptzNow())


class AssetsUploadTicket(Table, tablename="assets_upload_ticket"):
    """A direct upload in progress: what was declared, and whether the bytes arrived."""

    ticket_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    bucket = Varchar(length=64)
    object_key = Varchar(length=255)
    asset_kind = Varchar(length=48)
    access_policy = Varchar(length=16)
    content_type = Varchar(length=100)
    content_length = BigInt()
    content_hash = Varchar(length=64)
    expires_at = Timestamptz()
    uploaded_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    asset_object_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # Why an upload was refused, kept for the confirm step's message.
    last_error = Text(null=True, default=None)
    # A new version of this object of the owner's: confirming moves the bytes to its key
    # and bumps its version (docs/tables.md).
    replaces_asset_object_id = Varchar(length=64, null=True, default=None)


# Secondary indexes (catalog: asset_object asset_kind, (bucket, object_key); binding
# (entity_kind, entity_id, slot), asset_object_id; event asset_object_id, owner_user_id,
# profile_id). A slot holds one binding (rebinding replaces it): that index is unique.
INDEXES = {
    ("asset_object", ("asset_kind",), False),
    ("asset_object", ("bucket", "object_key"), True),
    ("asset_entity_binding", ("asset_object_id",), False),
    ("asset_entity_binding", ("entity_kind", "entity_id", "slot"), True),
    ("asset_event", ("asset_object_id",), False),
    ("asset_event", ("owner_user_id",), False),
    ("asset_event", ("profile_id",), False),
    ("assets_upload_ticket", ("owner_user_id",), False),
}
