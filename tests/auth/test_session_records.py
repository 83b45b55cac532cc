"""What accounts and sessions record (docs/domain.md, "Accounts and sign-in"): refresh tokens
kept only as hashes, `last_seen_at` and client info, the unique public code and identity,
and `user_tags` read as [] by the admin view."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from db.tables.auth import AuthIdentity, AuthRefreshTokenLineage, RefreshSession, UserAccount
from resolvers.auth.sessions import refresh
from resolvers.auth.tokens import hash_refresh_token
from tests.factories.auth import DEFAULT_PASSWORD, make_user
from tests.factories.economy import make_admin
from tests.fixtures import FakeClock, GraphQLClient

LOGIN = """
mutation($i: AuthLoginInput!) { authLogin(input: $i) {
  errors { code } tokens { accessToken } } }
"""
SESSIONS = "{ viewer { sessions { id current issuedByProvider clientInfo lastSeenAt } } }"


def _text_of(rows: list[dict[str, Any]]) -> str:
    return repr(rows)


async def test_refresh_session_stores_only_a_hash_of_the_token() -> None:
    # given a user who signed up and refreshed once
    user = await make_user()
    rotated = await refresh(refresh_token=user.refresh_token)
    # then the session row holds the SHA-256 of the newest token, and neither raw token
    # appears in any column of refresh_session or of the rotation lineage
    sessions = await RefreshSession.select().output(load_json=True)
    lineage = await AuthRefreshTokenLineage.select()
    assert [row["refresh_token_hash"] for row in sessions] == [
        hash_refresh_token(rotated.refresh_token)
    ]
    assert [row["refresh_token_hash"] for row in lineage] == [
        hash_refresh_token(user.refresh_token)
    ]
    assert len(hash_refresh_token(user.refresh_token)) == 64
    for token in (user.refresh_token, rotated.refresh_token):
        assert token not in _text_of(sessions)
        assert token not in _text_of(lineage)


async def test_last_seen_at_moves_on_refresh_and_not_on_every_request(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a user signed up at t0
    user = await make_user()
    signed_up = clock.now()
    # when they make a request five minutes later
    clock.advance(minutes=5)
    listed = await gql.execute(SESSIONS, token=user.access_token)
    assert "errors" not in listed
    # then last_seen_at has not moved
    (row,) = await RefreshSession.select(RefreshSession.last_seen_at)
    assert row["last_seen_at"] == signed_up
    # when they refresh ten minutes after sign-up
    clock.advance(minutes=5)
    await refresh(refresh_token=user.refresh_token)
    # then last_seen_at is the refresh time
    (row,) = await RefreshSession.select(RefreshSession.last_seen_at)
    assert row["last_seen_at"] == clock.now()


async def test_sessions_record_the_client_info_sent_and_viewer_sessions_show_it(
    gql: GraphQLClient,
) -> None:
    # given a user
    user = await make_user()
    # when they sign in with client info of nine keys, one value 300 characters long
    sent = {"device": "iPhone 15", "appVersion": "2.3.0", "note": "x" * 300} | {
        f"k{i}": str(i) for i in range(6)
    }
    logged_in = await gql.execute(
        LOGIN,
        {"i": {"username": user.username, "password": DEFAULT_PASSWORD, "clientInfo": sent}},
    )
    token = logged_in["data"]["authLogin"]["tokens"]["accessToken"]
    # then that session keeps the user agent and the first 7 sent keys, values cut to 200
    expected = {
        "userAgent": f"python-httpx/{httpx.__version__}",
        "device": "iPhone 15",
        "appVersion": "2.3.0",
        "note": "x" * 200,
        "k0": "0",
        "k1": "1",
        "k2": "2",
        "k3": "3",
    }
    sessions = (await gql.execute(SESSIONS, token=token))["data"]["viewer"]["sessions"]
    current = [s for s in sessions if s["current"]]
    assert [(s["issuedByProvider"], s["clientInfo"]) for s in current] == [("password", expected)]
    stored = (
        await RefreshSession.select(RefreshSession.client_info_json)
        .where(RefreshSession.session_id == current[0]["id"])
        .output(load_json=True)
    )
    assert stored == [{"client_info_json": expected}]


async def test_public_user_code_is_unique_and_a_duplicate_is_refused() -> None:
    # given two users
    first = await make_user()
    second = await make_user()
    codes = {
        row["user_id"]: row["public_user_code"]
        for row in await UserAccount.select(UserAccount.user_id, UserAccount.public_user_code)
    }
    # when the second is given the first's public code
    with pytest.raises(Exception, match=r"(?i)unique"):
        await UserAccount.raw(
            "UPDATE user_account SET public_user_code = {} WHERE user_id = {}",
            codes[first.user_id],
            second.user_id,
        )
    # then the database refuses it and both codes are unchanged
    after = {
        row["user_id"]: row["public_user_code"]
        for row in await UserAccount.select(UserAccount.user_id, UserAccount.public_user_code)
    }
    assert after == codes and len(set(after.values())) == 2


async def test_public_user_codes_are_nine_digits_never_starting_with_zero() -> None:
    # when twelve users register
    for _ in range(12):
        await make_user()
    # then each public code is 9 digits, the first not 0, and all differ
    codes = [row["public_user_code"] for row in await UserAccount.select()]
    assert [code for code in codes if not re.fullmatch(r"[1-9][0-9]{8}", code)] == []
    assert len(set(codes)) == 12


async def test_provider_and_provider_uid_are_unique_and_a_duplicate_identity_is_refused() -> None:
    # given a user with a password identity
    user = await make_user()
    (identity,) = await AuthIdentity.select()
    # when a second identity with the same provider and provider uid is inserted
    duplicate = AuthIdentity(
        identity_id="duplicate",
        user_id="someone-else",
        provider=identity["provider"],
        provider_uid=identity["provider_uid"],
    )
    with pytest.raises(Exception, match=r"(?i)unique"):
        await duplicate.save()
    # then only the first identity exists
    assert await AuthIdentity.select(AuthIdentity.user_id, AuthIdentity.provider) == [
        {"user_id": user.user_id, "provider": "password"}
    ]


async def test_user_tags_of_an_untagged_user_read_as_an_empty_list_in_the_admin_view(
    gql: GraphQLClient,
) -> None:
    # given an admin and a user never tagged (stored NULL)
    admin = await make_admin()
    user = await make_user()
    row = (
        await UserAccount.select(UserAccount.user_tags, UserAccount.public_user_code)
        .where(UserAccount.user_id == user.user_id)
        .first()
    )
    assert row is not None and row["user_tags"] is None
    # when the admin looks the user up
    shown = await gql.execute(
        "query($c: String!) { adminUser(publicUserCode: $c) { username userTags } }",
        {"c": row["public_user_code"]},
        token=admin.access_token,
    )
    # then the tags read as an empty list
    assert shown["data"]["adminUser"] == {"username": user.username, "userTags": []}
