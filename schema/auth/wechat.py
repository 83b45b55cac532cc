"""WeChat sign-in: web OAuth (start, callback), mini-program login, binding a phone."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.auth import wechat_phone, wechat_signin
from schema.auth.mutations import CLIENT_INFO, client_info_from
from schema.auth.payloads import SignInPayload
from schema.auth.types import AuthErrorType
from schema.auth.viewer import Viewer
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

INVITE_CODE = (
    "For a new account only (ignored when this WeChat user has one): an invite code; a bad "
    "one is INVITE_CODE_INVALID and nothing is written."
)


@strawberry.input(description="What WeChat's redirect brought back to `redirectUri`.")
class AuthWechatCallbackInput:
    code: str = strawberry.field(description="The `code` query parameter (single use).")
    state: str = strawberry.field(description="The `state` query parameter, unchanged.")
    client_info: JSON | None = strawberry.field(default=None, description=CLIENT_INFO)
    invite_code: str | None = strawberry.field(default=None, description=INVITE_CODE)


@strawberry.input(description="The code of the mini-program's `wx.login()`.")
class AuthWechatMiniProgramLoginInput:
    code: str = strawberry.field(description="The `code` from `wx.login()` (single use).")
    client_info: JSON | None = strawberry.field(default=None, description=CLIENT_INFO)
    invite_code: str | None = strawberry.field(default=None, description=INVITE_CODE)


@strawberry.type(description="Result of `authWechatStart`: where to send the browser.")
class AuthWechatStartPayload:
    errors: list[AuthErrorType] = strawberry.field(description="Empty on success.")
    authorize_url: str | None = strawberry.field(
        description="WeChat's authorize URL (app id, redirect URI, scope, state); open it."
    )
    state: str | None = strawberry.field(
        description="The single-use state in that URL; WeChat hands it back to the redirect."
    )
    expires_at: datetime | None = strawberry.field(
        description="After this the state is refused (WECHAT_STATE_EXPIRED); 10 min default."
    )


@strawberry.type(description="Result of `authWechatCallback`.")
class AuthWechatCallbackPayload(SignInPayload):
    redirect_uri: str | None = strawberry.field(
        default=None, description="The `redirectUri` given to `authWechatStart`, on success."
    )
    new_account: bool | None = strawberry.field(
        default=None, description="True when this sign-in created the account."
    )


@strawberry.type(description="Result of `authWechatMiniProgramLogin`.")
class AuthWechatMiniProgramLoginPayload(SignInPayload):
    new_account: bool | None = strawberry.field(
        default=None, description="True when this sign-in created the account."
    )


@strawberry.type(description="Result of `authWechatBindPhone`.")
class AuthWechatBindPhonePayload:
    errors: list[AuthErrorType] = strawberry.field(description="Empty on success.")
    viewer: Viewer | None = strawberry.field(description="The account with its phone, on success.")


@strawberry.type
class AuthWechatMutation:
    @strawberry.mutation(
        description="Begin a WeChat web sign-in: a single-use state (a row, 10 minutes) and "
        "the authorize URL. `redirectUri` must be on WECHAT_REDIRECT_ALLOWLIST (same scheme, "
        "host, port and path; it may add a query), else WECHAT_REDIRECT_URI_NOT_ALLOWED.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_wechat_start(
        self,
        redirect_uri: Annotated[
            str, strawberry.argument(description="Where WeChat returns the browser (allowlist).")
        ],
    ) -> AuthWechatStartPayload:
        started = await wechat_signin.start_wechat_sign_in(redirect_uri=redirect_uri)
        return AuthWechatStartPayload(
            errors=[],
            authorize_url=started.authorize_url,
            state=started.state,
            expires_at=started.expires_at,
        )

    @strawberry.mutation(
        description="Finish a WeChat web sign-in: the state is used once (replayed, forged: "
        "WECHAT_STATE_INVALID; late: WECHAT_STATE_EXPIRED), the code exchanged at WeChat "
        "(WECHAT_CODE_INVALID, WECHAT_CODE_USED, WECHAT_RATE_LIMITED, WECHAT_TIMEOUT, "
        "WECHAT_UNAVAILABLE), the account found or created (10 points once) and signed in.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_wechat_callback(
        self,
        info: Info,
        input: Annotated[
            AuthWechatCallbackInput, strawberry.argument(description="Code and state.")
        ],
    ) -> AuthWechatCallbackPayload:
        result = await wechat_signin.complete_wechat_sign_in(
            code=input.code,
            state=input.state,
            client_info=client_info_from(info, input.client_info),
            invite_code=input.invite_code,
        )
        return dataclasses.replace(
            AuthWechatCallbackPayload.signed_in(result.sign_in),
            redirect_uri=result.redirect_uri,
            new_account=result.created,
        )

    @strawberry.mutation(
        description="Sign in from the WeChat mini-program (`sns/jscode2session`); the "
        "account is found or created like a web sign-in's. WeChat's session_key is never "
        "returned, stored or logged.",
        extensions=[DomainErrorPayload()],
    )
    async def auth_wechat_mini_program_login(
        self,
        info: Info,
        input: Annotated[
            AuthWechatMiniProgramLoginInput, strawberry.argument(description="The login code.")
        ],
    ) -> AuthWechatMiniProgramLoginPayload:
        result = await wechat_signin.login_with_wechat_mini_program(
            code=input.code,
            client_info=client_info_from(info, input.client_info),
            invite_code=input.invite_code,
        )
        return dataclasses.replace(
            AuthWechatMiniProgramLoginPayload.signed_in(result.sign_in),
            new_account=result.created,
        )

    @strawberry.mutation(
        description="Bind a phone, proven by an `authPhoneCodeSend` code, to your account "
        "made by WeChat sign-in (else WECHAT_ACCOUNT_REQUIRED; one phone per account: "
        "PHONE_ALREADY_SET). A phone of another account is PHONE_ALREADY_BOUND: accounts "
        "are never merged.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def auth_wechat_bind_phone(
        self,
        info: Info,
        phone: Annotated[str, strawberry.argument(description="Phone number (+86 default).")],
        code: Annotated[str, strawberry.argument(description="The 6-digit code sent to it.")],
    ) -> AuthWechatBindPhonePayload:
        principal = info.context.principal
        row = await wechat_phone.bind_wechat_phone(viewer=principal, phone=phone, code=code)
        return AuthWechatBindPhonePayload(errors=[], viewer=Viewer(row=row, principal=principal))
