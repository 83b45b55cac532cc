"""Statements on accounts (`user_account`) and their sign-in identities (`auth_identity`)."""

from __future__ import annotations

from datetime import datetime

from db.tables.auth import AuthIdentity, UserAccount
from resolvers.auth.rows import AdminUserRow, PublicUserRow, UserAccountRow, tags_of

PUBLIC_USER_COLUMNS = (
    UserAccount.user_id,
    UserAccount.public_user_code,
    UserAccount.display_name,
    UserAccount.avatar_url,
)

ADMIN_USER_COLUMNS = (
    UserAccount.user_id,
    UserAccount.public_user_code,
    UserAccount.username,
    UserAccount.display_name,
    UserAccount.login_method,
    UserAccount.user_tags,
    UserAccount.created_at,
)


async def public_users_with_ids(user_ids: list[str]) -> list[PublicUserRow]:
    """Public columns of the given users (one statement)."""
    rows = await UserAccount.select(*PUBLIC_USER_COLUMNS).where(UserAccount.user_id.is_in(user_ids))
    return [PublicUserRow.from_row(row) for row in rows]


async def public_user_with_code(public_user_code: str) -> PublicUserRow | None:
    """Public columns of the user with this public code."""
    row = await (
        UserAccount.select(*PUBLIC_USER_COLUMNS)
        .where(UserAccount.public_user_code == public_user_code)
        .first()
    )
    return PublicUserRow.from_row(row) if row is not None else None


async def public_user_with_id(user_id: str) -> PublicUserRow | None:
    """Public columns of the user with this id."""
    row = await (
        UserAccount.select(*PUBLIC_USER_COLUMNS).where(UserAccount.user_id == user_id).first()
    )
    return PublicUserRow.from_row(row) if row is not None else None


async def existing_user_ids(user_ids: list[str]) -> set[str]:
    """Those of `user_ids` that name an account."""
    rows = await UserAccount.select(UserAccount.user_id).where(UserAccount.user_id.is_in(user_ids))
    return {row["user_id"] for row in rows}


async def user_by_id(user_id: str) -> UserAccountRow | None:
    """The account with this id."""
    row = await UserAccount.select().where(UserAccount.user_id == user_id).first()
    return UserAccountRow.from_row(row) if row is not None else None


async def user_by_phone(phone_e164: str) -> UserAccountRow | None:
    """The account holding this phone number."""
    row = await UserAccount.select().where(UserAccount.phone_number_e164 == phone_e164).first()
    return UserAccountRow.from_row(row) if row is not None else None


async def password_account(username: str) -> tuple[UserAccountRow, bool] | None:
    """The account with this (canonical) username and whether password sign-in is on."""
    row = await UserAccount.select().where(UserAccount.username == username).first()
    if row is None:
        return None
    return UserAccountRow.from_row(row), bool(row["password_login_enabled"])


async def user_id_by_username(username: str) -> str | None:
    """The id of the account with this (canonical) username."""
    row = (
        await UserAccount.select(UserAccount.user_id)
        .where(UserAccount.username == username)
        .first()
    )
    return str(row["user_id"]) if row is not None else None


async def username_taken(username: str) -> bool:
    """Whether an account has this username."""
    return bool(await UserAccount.exists().where(UserAccount.username == username))


async def public_code_taken(public_user_code: str) -> bool:
    """Whether an account has this public code."""
    return bool(await UserAccount.exists().where(UserAccount.public_user_code == public_user_code))


async def insert_user(
    *,
    user_id: str,
    public_user_code: str,
    username: str,
    display_name: str,
    phone_e164: str | None,
    phone_masked: str | None,
    avatar_url: str | None,
    wechat_bound: bool,
    login_method: str,
    password_hash: str,
    password_login_enabled: bool,
    now: datetime,
) -> UserAccountRow:
    """Insert an account; a taken username or public code raises the unique violation."""
    row = UserAccount(
        user_id=user_id,
        public_user_code=public_user_code,
        username=username,
        display_name=display_name,
        phone_number_e164=phone_e164,
        phone_number_masked=phone_masked,
        avatar_url=avatar_url,
        wechat_bound=wechat_bound,
        login_method=login_method,
        password_hash=password_hash,
        password_login_enabled=password_login_enabled,
        created_at=now,
        updated_at=now,
    )
    await row.save()
    return UserAccountRow.from_row(row.to_dict())


async def user_tags(user_id: str) -> list[str]:
    """The user's operations tags ([] for none or an unknown user)."""
    row = (
        await UserAccount.select(UserAccount.user_tags)
        .where(UserAccount.user_id == user_id)
        .first()
    )
    return tags_of(row["user_tags"]) if row else []


async def set_tags(*, user_id: str, tags: list[str], now: datetime) -> None:
    """Replace the tags of the user with this id."""
    await UserAccount.update({UserAccount.user_tags: tags, UserAccount.updated_at: now}).where(
        UserAccount.user_id == user_id
    )


async def set_tags_by_code(*, public_user_code: str, tags_json: str, now: datetime) -> bool:
    """Replace the tags of the user with this public code; False for an unknown code."""
    updated = (
        await UserAccount.update({UserAccount.user_tags: tags_json, UserAccount.updated_at: now})
        .where(UserAccount.public_user_code == public_user_code)
        .returning(UserAccount.user_id)
    )
    return bool(updated)


async def admin_user_by_code(public_user_code: str) -> AdminUserRow | None:
    """The account with this public code, with its tags."""
    row = (
        await UserAccount.select(*ADMIN_USER_COLUMNS)
        .where(UserAccount.public_user_code == public_user_code)
        .first()
    )
    return AdminUserRow.from_row(row) if row is not None else None


async def bump_token_version(*, user_id: str, now: datetime) -> int:
    """Add one to the user's token version (every access token dies); the new version."""
    bumped = (
        await UserAccount.update(
            {
                UserAccount.token_version: UserAccount.token_version + 1,
                UserAccount.updated_at: now,
            }
        )
        .where(UserAccount.user_id == user_id)
        .returning(UserAccount.token_version)
    )
    return int(bumped[0]["token_version"])


async def phone_held_by_other(*, phone_e164: str, user_id: str) -> bool:
    """Whether an account other than `user_id` holds this phone number."""
    return bool(
        await UserAccount.exists().where(
            (UserAccount.phone_number_e164 == phone_e164) & (UserAccount.user_id != user_id)
        )
    )


async def set_phone(*, user_id: str, phone_e164: str, phone_masked: str, now: datetime) -> bool:
    """Give the account a phone unless it has one; False when it had."""
    bound = (
        await UserAccount.update(
            {
                UserAccount.phone_number_e164: phone_e164,
                UserAccount.phone_number_masked: phone_masked,
                UserAccount.updated_at: now,
            }
        )
        .where((UserAccount.user_id == user_id) & UserAccount.phone_number_e164.is_null())
        .returning(UserAccount.user_id)
    )
    return bool(bound)


async def insert_identity(
    *,
    identity_id: str,
    user_id: str,
    provider: str,
    provider_uid: str,
    phone_e164: str | None,
    display_name: str,
    provider_union_id: str | None = None,
    avatar_url: str | None = None,
) -> None:
    """Record a way the account signs in."""
    await AuthIdentity(
        identity_id=identity_id,
        user_id=user_id,
        provider=provider,
        provider_uid=provider_uid,
        provider_union_id=provider_union_id,
        phone_e164=phone_e164,
        display_name=display_name,
        avatar_url=avatar_url,
    ).save()


async def has_identity(*, user_id: str, provider: str) -> bool:
    """Whether the account signs in with `provider`."""
    return bool(
        await AuthIdentity.exists().where(
            (AuthIdentity.user_id == user_id) & (AuthIdentity.provider == provider)
        )
    )


async def identity_held_by_other(*, provider: str, provider_uid: str, user_id: str) -> bool:
    """Whether an account other than `user_id` has this identity."""
    return bool(
        await AuthIdentity.exists().where(
            (AuthIdentity.provider == provider)
            & (AuthIdentity.provider_uid == provider_uid)
            & (AuthIdentity.user_id != user_id)
        )
    )


async def identity_owners(*, provider: str, provider_uids: list[str]) -> dict[str, str]:
    """The account ids of those of `provider_uids` that are identities, keyed by uid."""
    identities = await AuthIdentity.select(AuthIdentity.user_id, AuthIdentity.provider_uid).where(
        (AuthIdentity.provider == provider) & AuthIdentity.provider_uid.is_in(provider_uids)
    )
    return {row["provider_uid"]: row["user_id"] for row in identities}
