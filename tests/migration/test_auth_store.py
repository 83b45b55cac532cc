"""The legacy auth store: imported idempotently into the auth tables, exported back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import manage
from db.tables.auth import AuthIdentity, RefreshSession, UserAccount
from db.tables.migration import AuthStoreSnapshot
from resolvers.auth.password_signin import login_with_password
from resolvers.auth.passwords import hash_password
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.legacy_auth import export_auth_store, import_auth_store
from tests.factories.auth import make_user
from tests.factories.migration import row_counts
from tests.fixtures import truncate_all


async def legacy_store() -> dict[str, Any]:
    """A document as the legacy store kept it: one user with a password and a phone
    identity, one refresh session."""
    return {
        "version": 1,
        "users": [
            {
                "userId": "u-legacy-1",
                "publicUserCode": "100001",
                "username": "legacy",
                "displayName": "Legacy",
                "avatarUrl": None,
                "phoneNumberMasked": "138****0000",
                "phoneNumberE164": "+8613800000000",
                "loginMethod": "password",
                "bindingStatus": "active",
                "wechatBound": False,
                "passwordHash": await hash_password("an old password"),
                "passwordLoginEnabled": True,
                "tokenVersion": 3,
                "userTags": ["vip"],
                "createdAt": "2025-01-02T03:04:05.000006+00:00",
                "updatedAt": "2025-02-03T04:05:06.000007+00:00",
            }
        ],
        "identities": [
            {
                "identityId": "i-legacy-1",
                "userId": "u-legacy-1",
                "provider": "phone",
                "providerUid": "+8613800000000",
                "providerUnionId": None,
                "phoneE164": "+8613800000000",
                "displayName": None,
                "avatarUrl": None,
            }
        ],
        "refreshSessions": [
            {
                "sessionId": "s-legacy-1",
                "userId": "u-legacy-1",
                "refreshTokenHash": "a" * 64,
                "issuedByProvider": "password",
                "clientInfoJson": {"ua": "legacy"},
                "expiresAt": "2099-01-01T00:00:00.000000+00:00",
                "revokedAt": None,
                "createdAt": "2025-01-02T03:04:05.000006+00:00",
                "updatedAt": "2025-01-02T03:04:05.000006+00:00",
                "lastSeenAt": "2025-01-02T03:04:05.000006+00:00",
            }
        ],
    }


def canonical(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS) + b"\n"


async def test_a_legacy_store_is_imported_once_and_exported_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the legacy store's document in a file
    document = await legacy_store()
    path = tmp_path / "auth.json"
    path.write_bytes(canonical(document))
    # when the command imports it
    await manage.auth_store("import", str(path))
    # then the user, identity and session are rows, and the user signs in with her password
    assert capsys.readouterr().out == "auth store: 1 users, 1 identities, 1 refresh sessions\n"
    user = await UserAccount.select().where(UserAccount.user_id == "u-legacy-1").first()
    assert user is not None
    assert (user["username"], user["token_version"], user["phone_number_e164"]) == (
        "legacy",
        3,
        "+8613800000000",
    )
    assert await AuthIdentity.count() == 1 and await RefreshSession.count() == 1
    signed_in = await login_with_password(username="Legacy", password="an old password")
    assert signed_in.user.user_id == "u-legacy-1"
    snapshot = await AuthStoreSnapshot.select().first()
    assert snapshot is not None and snapshot["snapshot_id"] == "default"
    # when it is imported again, then nothing changes (the snapshot row neither)
    await truncate_sessions_created_by_sign_in()
    counts = await row_counts()
    await import_auth_store(canonical(document))
    assert await row_counts() == counts
    assert await AuthStoreSnapshot.select().first() == snapshot
    # and the export is the document itself
    await manage.auth_store("export", str(tmp_path / "out.json"))
    assert (tmp_path / "out.json").read_bytes() == canonical(document)


async def truncate_sessions_created_by_sign_in() -> None:
    await RefreshSession.delete().where(RefreshSession.session_id != "s-legacy-1")


async def test_users_made_here_round_trip_through_the_document() -> None:
    # given users registered here
    await make_user("ann")
    await make_user("ben")
    exported = await export_auth_store()
    # when the tables are emptied and the document imported, then the export is the same
    await truncate_all()
    summary = await import_auth_store(exported)
    assert (summary.users, summary.identities, summary.refresh_sessions) == (2, 2, 2)
    assert await export_auth_store() == exported


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.update(version=2), MigrationErrorCode.SNAPSHOT_INVALID),
        (lambda d: d.update(users={}), MigrationErrorCode.SNAPSHOT_INVALID),
        (lambda d: d["users"][0].update(shoeSize=42), MigrationErrorCode.SNAPSHOT_INVALID),
        (lambda d: d["users"][0].pop("username"), MigrationErrorCode.SNAPSHOT_INVALID),
        (lambda d: d["users"][0].update(tokenVersion="x"), MigrationErrorCode.SNAPSHOT_INVALID),
        (
            lambda d: d["users"].append({**d["users"][0], "userId": "u-legacy-2"}),
            MigrationErrorCode.ROW_REJECTED,
        ),
    ],
)
async def test_a_bad_document_changes_nothing(change: Any, code: MigrationErrorCode) -> None:
    # given a legacy document broken in one way
    document = await legacy_store()
    change(document)
    # when it is imported, then it is refused with its code and nothing was written
    with pytest.raises(MigrationError) as caught:
        await import_auth_store(canonical(document))
    assert caught.value.code is code
    assert set((await row_counts()).values()) == {0}
    with pytest.raises(MigrationError) as not_json:
        await import_auth_store(b"{")
    assert not_json.value.code is MigrationErrorCode.SNAPSHOT_INVALID
