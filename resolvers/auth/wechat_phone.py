"""Binding a phone, proven by an SMS code, to an account made by WeChat sign-in.

Only the signed-in owner binds, only to their own account, only an account with a `wechat`
identity and no phone yet. A phone that belongs to another account is PHONE_ALREADY_BOUND:
accounts are never merged. That is checked after the code is proven (so nobody learns who
owns a phone without its code) and inside the transaction, so the refusal writes nothing,
not even the code's use; the unique phone index settles a race between two accounts.
"""

from __future__ import annotations

from db.errors import is_unique_violation
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.phone_signin import PROVIDER as PHONE_PROVIDER
from resolvers.auth.phone_signin import (
    CodeCheck,
    Phone,
    code_refusal,
    consume_code_attempt,
    parse_phone,
)
from resolvers.auth.rows import UserAccountRow
from resolvers.auth.store import users
from resolvers.auth.users import get_user
from resolvers.auth.wechat_signin import PROVIDER as WECHAT_PROVIDER
from resolvers.ids import new_id
from resolvers.principal import Principal


async def bind_wechat_phone(*, viewer: Principal, phone: str, code: str) -> UserAccountRow:
    """Bind `phone` to the viewer's WeChat account; returns the updated account row."""
    user_id = viewer.require_user()
    parsed = parse_phone(phone)
    user = await get_user(user_id)
    if user is None or not await users.has_identity(user_id=user_id, provider=WECHAT_PROVIDER):
        raise AuthError(
            AuthErrorCode.WECHAT_ACCOUNT_REQUIRED,
            "Only an account made by WeChat sign-in binds a phone here.",
        )
    if user.phone_number_e164 is not None:
        raise _already_set()
    updated: UserAccountRow | None = None
    try:
        async with write_transaction():
            check = await consume_code_attempt(parsed.e164, code)
            if check is CodeCheck.OK:
                updated = await _bind(user, parsed)
    except Exception as error:
        if is_unique_violation(error):
            raise _already_bound() from error
        raise
    # Failed attempts stay counted (committed above), as for a phone sign-in.
    refusal = code_refusal(check)
    if refusal is not None:
        raise refusal
    assert updated is not None
    return updated


async def _bind(user: UserAccountRow, phone: Phone) -> UserAccountRow:
    user_id = user.user_id
    if await users.phone_held_by_other(phone_e164=phone.e164, user_id=user_id):
        raise _already_bound()
    if await users.identity_held_by_other(
        provider=PHONE_PROVIDER, provider_uid=phone.e164, user_id=user_id
    ):
        raise _already_bound()
    bound = await users.set_phone(
        user_id=user_id, phone_e164=phone.e164, phone_masked=phone.masked, now=clock.now()
    )
    if not bound:
        raise _already_set()
    await users.insert_identity(
        identity_id=new_id(),
        user_id=user_id,
        provider=PHONE_PROVIDER,
        provider_uid=phone.e164,
        phone_e164=phone.e164,
        display_name=user.display_name,
    )
    updated = await get_user(user_id)
    assert updated is not None
    return updated


def _already_bound() -> AuthError:
    return AuthError(
        AuthErrorCode.PHONE_ALREADY_BOUND,
        "This phone belongs to another account; accounts are not merged.",
        field="phone",
    )


def _already_set() -> AuthError:
    return AuthError(
        AuthErrorCode.PHONE_ALREADY_SET, "This account already has a phone.", field="phone"
    )
