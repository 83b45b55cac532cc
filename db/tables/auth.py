"""Accounts and sign-in (docs/domain.md), plus the auth state the catalog lacks.

Catalog tables: user_account, auth_identity, refresh_session. Additions (docs/tables.md):
auth_user_role, auth_service_credential, auth_phone_code, auth_refresh_token_lineage,
auth_login_throttle, auth_wechat_state.
"""

from piccolo.columns import JSON, BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class UserAccount(Table, tablename="user_account"):
    user_id = Varchar(length=64, primary_key=True)
    public_user_code = Varchar(length=32, unique=True)
    # Canonical (NFKC, case-folded) form: uniqueness is case-insensitive by construction.
    username = Varchar(length=64, unique=True)
    display_name = Varchar(length=64)
    avatar_url = Text(null=True, default=None)
    phone_number_masked = Varchar(length=32, null=True, default=None)
    phone_number_e164 = Varchar(length=20, null=True, default=None, unique=True)
    login_method = Varchar(length=16)
    binding_status = Varchar(length=16, default="active")
    wechat_bound = Boolean(default=False)
    password_hash = Text(default="")
    password_login_enabled = Boolean(default=False)
    token_version = BigInt(default=0)
    # Operations-only labels: a JSON array or NULL (read as []). Never on public types.
    user_tags = JSON(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AuthIdentity(Table, tablename="auth_identity"):
    identity_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    provider = Varchar(length=16)
    provider_uid = Varchar(length=128)
    provider_union_id = Varchar(length=128, null=True, default=None)
    phone_e164 = Varchar(length=20, null=True, default=None)
    display_name = Varchar(length=64, null=True, default=None)
    avatar_url = Text(null=True, default=None)


class RefreshSession(Table, tablename="refresh_session"):
    session_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    refresh_token_hash = Varchar(length=64, unique=True)
    issued_by_provider = Varchar(length=16)
    client_info_json = JSON(default={})
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())


class AuthUserRole(Table, tablename="auth_user_role"):
    """Role grants beyond `user` (admin); a user without a row is a plain user."""

    user_id = Varchar(length=64, primary_key=True)
    role = Varchar(length=16)
    granted_by = Varchar(length=64)
    granted_at = Timestamptz(default=TimestamptzNow())


class AuthServiceCredential(Table, tablename="auth_service_credential"):
    """Service tokens for trusted workers; a token names its credential, which can be revoked."""

    credential_id = Varchar(length=64, primary_key=True)
    name = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class AuthPhoneCode(Table, tablename="auth_phone_code"):
    """The one live sign-in code per phone: hashed, expiring, with attempts and a resend clock."""

    phone_e164 = Varchar(length=20, primary_key=True)
    code_hash = Varchar(length=64)
    attempts_left = Integer()
    expires_at = Timestamptz()
    last_sent_at = Timestamptz()
    consumed_at = Timestamptz(null=True, default=None)


class AuthRefreshTokenLineage(Table, tablename="auth_refresh_token_lineage"):
    """Hashes of rotated-out refresh tokens: presenting one again revokes its session."""

    refresh_token_hash = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    rotated_at = Timestamptz(default=TimestamptzNow())


class AuthLoginThrottle(Table, tablename="auth_login_throttle"):
    """Failed password sign-ins per username: too many lock the username for a while."""

    throttle_key = Varchar(length=128, primary_key=True)
    failures = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class AuthWechatState(Table, tablename="auth_wechat_state"):
    """A pending WeChat web sign-in: the hash of its `state`, where to return, its expiry.
    Used once: the callback deletes it with one conditional DELETE … RETURNING."""

    state_hash = Varchar(length=64, primary_key=True)
    redirect_uri = Text()
    expires_at = Timestamptz(index=True)
    created_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: user_account username, public_user_code; auth_identity user_id,
# (provider, provider_uid); refresh_session user_id, refresh_token_hash). Composite ones are
# created in migrations with raw SQL (Piccolo has no API for them).
INDEXES = {
    ("user_account", ("username",), True),
    ("user_account", ("public_user_code",), True),
    ("user_account", ("phone_number_e164",), True),
    ("auth_identity", ("user_id",), False),
    ("auth_identity", ("provider", "provider_uid"), True),
    ("refresh_session", ("user_id",), False),
    ("refresh_session", ("refresh_token_hash",), True),
    ("auth_refresh_token_lineage", ("session_id",), False),
    ("auth_wechat_state", ("expires_at",), False),
}
