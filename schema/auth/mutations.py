"""Auth mutations: register, log in (password or phone), refresh, log out."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from resolvers.auth import password_signin, phone_signin, sessions
from resolvers.errors import BadUserInput
from schema.auth.payloads import (
    AuthLoginPayload,
    AuthLogoutAllPayload,
    AuthLogoutPayload,
    AuthPhoneCodeSendPayload,
    AuthPhoneLoginPayload,
    AuthRefreshPayload,
    AuthRegisterPayload,
)
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

CLIENT_INFO = "Optional facts about the device (object of strings, 8 keys at most)."


def client_info_from(info: Info, given: Any) -> dict[str, str]:
    if given is not None and not isinstance(given, dict):
        raise BadUserInput("`clientInfo` must be an object.")
    client_info = {"userAgent": info.context.request.headers.get("user-agent", "")}
    client_info.update({str(key): str(value) for key, value in (given or {}).items()})
    return client_info


@strawberry.input(description="A new account with username and password.")
class AuthRegisterInput:
    username: str = strawberry.field(
        description="3 to 32 letters, digits or underscores; unique ignoring case."
    )
    password: str = strawberry.field(description="8 to 128 characters.")
    display_name: str | None = strawberry.field(
        default=None, description="1 to 32 characters; defaults to the username."
    )
    client_info: JSON | None = strawberry.field(default=None, description=CLIENT_INFO)
    invite_code: str | None = strawberry.field(
        default=None,
        description="Optional invite code: binds the new account to the code's owner and "
        "rewards both once; a bad code is INVITE_CODE_INVALID and nothing is written.",
    )


@strawberry.input(description="Username and password.")
class AuthLoginInput:
    username: str = strawberry.field(description="The username, any case.")
    password: str = strawberry.field(description="The password.")
    client_info: JSON | None = strawberry.field(default=None, description=CLIENT_INFO)


@strawberry.input(description="A phone number and the code sent to it.")
class AuthPhoneLoginInput:
    phone: str = strawberry.field(description="Phone number; national numbers are read as +86.")
    code: str = strawberry.field(description="The 6-digit code from `authPhoneCodeSend`.")
    display_name: str | None = strawberry.field(
        default=None, description="For a new account: 1 to 32 characters."
    )
    client_info: JSON | None = strawberry.field(default=None, description=CLIENT_INFO)
    invite_code: str | None = strawberry.field(
        default=None,
        description="For a new account only (ignored when the phone has one): an invite "
        "code; a bad one is INVITE_CODE_INVALID and nothing is written.",
    )


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        description="Create an account (granted 10 points once) and sign it in.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_register(
        self,
        info: Info,
        input: Annotated[AuthRegisterInput, strawberry.argument(description="The new account.")],
    ) -> AuthRegisterPayload:
        sign_in = await password_signin.register_with_password(
            username=input.username,
            password=input.password,
            display_name=input.display_name,
            client_info=client_info_from(info, input.client_info),
            invite_code=input.invite_code,
        )
        return AuthRegisterPayload.signed_in(sign_in)

    @strawberry.mutation(
        description="Sign in with username and password. 10 failures lock the username "
        "for 15 minutes (TOO_MANY_ATTEMPTS).",
        extensions=[DomainErrorPayload()],
    )
    async def auth_login(
        self,
        info: Info,
        input: Annotated[AuthLoginInput, strawberry.argument(description="The credentials.")],
    ) -> AuthLoginPayload:
        sign_in = await password_signin.login_with_password(
            username=input.username,
            password=input.password,
            client_info=client_info_from(info, input.client_info),
        )
        return AuthLoginPayload.signed_in(sign_in)

    @strawberry.mutation(
        description="Send a sign-in code by SMS: valid 5 minutes, 5 attempts, "
        "one send per phone per 60 seconds.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_phone_code_send(
        self,
        phone: Annotated[str, strawberry.argument(description="Phone number to send the code to.")],
    ) -> AuthPhoneCodeSendPayload:
        sent = await phone_signin.send_phone_code(phone=phone)
        return AuthPhoneCodeSendPayload.sent(sent)

    @strawberry.mutation(
        description="Sign in with a phone code; a phone without an account gets a new one.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_phone_login(
        self,
        info: Info,
        input: Annotated[AuthPhoneLoginInput, strawberry.argument(description="Phone and code.")],
    ) -> AuthPhoneLoginPayload:
        sign_in = await phone_signin.login_with_phone(
            phone=input.phone,
            code=input.code,
            display_name=input.display_name,
            client_info=client_info_from(info, input.client_info),
            invite_code=input.invite_code,
        )
        return AuthPhoneLoginPayload.signed_in(sign_in)

    @strawberry.mutation(
        description="Trade a refresh token for new tokens. The old refresh token stops "
        "working; presenting it again ends the session (REFRESH_TOKEN_REUSED).",
        extensions=[DomainErrorPayload()],
    )
    async def auth_refresh(
        self,
        refresh_token: Annotated[
            str, strawberry.argument(description="The current refresh token.")
        ],
    ) -> AuthRefreshPayload:
        sign_in = await sessions.refresh(refresh_token=refresh_token)
        return AuthRefreshPayload.signed_in(sign_in)

    @strawberry.mutation(
        description="End one of your sessions (default: this one). Its tokens stop working.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def auth_logout(
        self,
        info: Info,
        session_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="A session from `viewer.sessions`; default this one."),
        ] = None,
    ) -> AuthLogoutPayload:
        ended = await sessions.logout(viewer=info.context.principal, session_id=session_id)
        return AuthLogoutPayload(errors=[], session_id=strawberry.ID(ended))

    @strawberry.mutation(
        description="End every session and invalidate every access token at once; open "
        "WebSockets of this user close with 4401.",
        permission_classes=[IsAuthenticated],
    )
    async def auth_logout_all(self, info: Info) -> AuthLogoutAllPayload:
        ended = await sessions.logout_all(viewer=info.context.principal)
        return AuthLogoutAllPayload(errors=[], ended_session_count=ended)
