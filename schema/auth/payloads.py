"""Mutation payloads of the auth domain: data on success, `errors` otherwise."""

from __future__ import annotations

from typing import Self

import strawberry

from resolvers.auth.phone_signin import CodeSent
from resolvers.auth.sessions import SignIn
from resolvers.principal import Principal, Role
from schema.auth.types import AuthErrorType, AuthTokens
from schema.auth.viewer import Viewer


@strawberry.type(description="Fields shared by every sign-in payload.")
class SignInPayload:
    errors: list[AuthErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written."
    )
    viewer: Viewer | None = strawberry.field(description="The signed-in user, on success.")
    tokens: AuthTokens | None = strawberry.field(description="New credentials, on success.")

    @classmethod
    def signed_in(cls, sign_in: SignIn, *, role: Role = Role.USER) -> Self:
        user = sign_in.user
        principal = Principal(
            role=role,
            user_id=user.user_id,
            session_id=sign_in.session_id,
            token_version=user.token_version,
            expires_at=sign_in.access.expires_at,
        )
        return cls(
            errors=[],
            viewer=Viewer(row=user, principal=principal),
            tokens=AuthTokens(
                access_token=sign_in.access.token,
                access_token_expires_at=sign_in.access.expires_at,
                refresh_token=sign_in.refresh_token,
                session_id=strawberry.ID(sign_in.session_id),
            ),
        )


@strawberry.type(description="Result of `authRegister`.")
class AuthRegisterPayload(SignInPayload):
    pass


@strawberry.type(description="Result of `authLogin`.")
class AuthLoginPayload(SignInPayload):
    pass


@strawberry.type(description="Result of `authPhoneLogin`.")
class AuthPhoneLoginPayload(SignInPayload):
    pass


@strawberry.type(description="Result of `authRefresh`.")
class AuthRefreshPayload(SignInPayload):
    pass


@strawberry.type(description="Result of `authPhoneCodeSend`.")
class AuthPhoneCodeSendPayload:
    errors: list[AuthErrorType] = strawberry.field(description="Empty on success.")
    phone_masked: str | None = strawberry.field(description="Where the code went, masked.")
    resend_after_seconds: int | None = strawberry.field(
        description="Seconds before another code may be sent to this phone (60)."
    )
    expires_in_seconds: int | None = strawberry.field(
        description="Seconds the code stays valid (300); 5 attempts."
    )

    @classmethod
    def sent(cls, sent: CodeSent) -> AuthPhoneCodeSendPayload:
        return cls(
            errors=[],
            phone_masked=sent.phone.masked,
            resend_after_seconds=sent.resend_after_seconds,
            expires_in_seconds=sent.expires_in_seconds,
        )


@strawberry.type(description="Result of `authLogout`.")
class AuthLogoutPayload:
    errors: list[AuthErrorType] = strawberry.field(description="Empty on success.")
    session_id: strawberry.ID | None = strawberry.field(description="The session ended.")


@strawberry.type(description="Result of `authLogoutAll`.")
class AuthLogoutAllPayload:
    errors: list[AuthErrorType] = strawberry.field(description="Empty on success.")
    ended_session_count: int = strawberry.field(description="Sessions that were still live.")
