"""The last step of every sign-in method (password, phone, WeChat): one path, one set of rules."""

from __future__ import annotations

from resolvers.analytics.tracking import record_sign_in
from resolvers.auth.rows import UserAccountRow
from resolvers.auth.sessions import SignIn, open_session


async def sign_in_user(
    *, user: UserAccountRow, provider: str, client_info: dict[str, str] | None
) -> SignIn:
    """Open a refresh session for `user`, issue its tokens and record the `daily_login`
    event, in the caller's transaction (which also created the account, if it is new:
    `resolvers.auth.users.create_user` grants the registration reward)."""
    sign_in = await open_session(user=user, provider=provider, client_info=client_info)
    await record_sign_in(user_id=user.user_id, provider=provider)
    return sign_in
