"""Phone sign-in: send a code, then log in (or register) with it.

Codes are stored as HMACs (a 6-digit code's plain hash is trivially reversed), valid 5
minutes, 5 attempts, one send per phone per 60 s. The throttles are rows, so they hold across
processes: the resend clock is a conditional upsert, each attempt a conditional decrement.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, auto

import phonenumbers

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.sessions import SignIn
from resolvers.auth.sign_in import sign_in_user
from resolvers.auth.sms import get_sms_sender
from resolvers.auth.store import phone_codes, users
from resolvers.auth.users import create_user, validate_display_name
from resolvers.ids import new_id
from settings import get_settings

PROVIDER = "phone"
CODE_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    masked: str


@dataclass(frozen=True, slots=True)
class CodeSent:
    phone: Phone
    resend_after_seconds: int
    expires_in_seconds: int


def parse_phone(raw: str) -> Phone:
    """Parse to E.164 (default region from settings); refuse what is not a valid number."""
    try:
        number = phonenumbers.parse(raw, get_settings().phone_default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise AuthError(AuthErrorCode.PHONE_INVALID, "Not a valid phone number.", field="phone")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164=e164, masked=mask_phone(e164))


def mask_phone(e164: str) -> str:
    """`+8613812345678` → `+86 138****5678`: country code, first 3 and last 4 digits."""
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    hidden = max(len(national) - 7, 1)
    return f"+{number.country_code} {national[:3]}{'*' * hidden}{national[3 + hidden :]}"


def _code_hash(phone_e164: str, code: str) -> str:
    key = get_settings().jwt_secret.encode()
    return hmac.new(key, f"{phone_e164}:{code}".encode(), hashlib.sha256).hexdigest()


async def send_phone_code(*, phone: str) -> CodeSent:
    """Issue a new code for `phone` unless one was sent less than 60 s ago."""
    parsed = parse_phone(phone)
    settings = get_settings()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    now = clock.now()
    async with write_transaction():
        issued = await phone_codes.issue_code(
            phone_e164=parsed.e164,
            code_hash=_code_hash(parsed.e164, code),
            attempts=settings.phone_code_max_attempts,
            expires_at=now + timedelta(seconds=settings.phone_code_ttl_seconds),
            now=now,
            resend_cutoff=now - timedelta(seconds=settings.phone_code_resend_seconds),
        )
    if not issued:
        raise AuthError(
            AuthErrorCode.PHONE_CODE_THROTTLED,
            f"A code was sent less than {settings.phone_code_resend_seconds} seconds ago.",
            field="phone",
        )
    try:
        await get_sms_sender().send_code(phone_e164=parsed.e164, code=code)
    except Exception as error:
        # The user never got this code: forget it so that retrying is not throttled.
        await phone_codes.forget_code(
            phone_e164=parsed.e164, code_hash=_code_hash(parsed.e164, code)
        )
        raise AuthError(
            AuthErrorCode.SMS_SEND_FAILED, "The code could not be sent; try again.", field="phone"
        ) from error
    return CodeSent(
        phone=parsed,
        resend_after_seconds=settings.phone_code_resend_seconds,
        expires_in_seconds=settings.phone_code_ttl_seconds,
    )


class CodeCheck(Enum):
    """What checking a phone code found."""

    OK = auto()
    WRONG = auto()
    EXPIRED = auto()
    EXHAUSTED = auto()
    NONE = auto()


async def login_with_phone(
    *,
    phone: str,
    code: str,
    display_name: str | None = None,
    client_info: dict[str, str] | None = None,
    invite_code: str | None = None,
) -> SignIn:
    """Sign in with a code; a phone without an account gets one (10 points, once).

    `invite_code` applies to a new account only (see `create_user`). Every sign-in records
    a `daily_login` event in the session's transaction.
    """
    parsed = parse_phone(phone)
    sign_in: SignIn | None = None
    async with write_transaction():
        check = await consume_code_attempt(parsed.e164, code)
        if check is CodeCheck.OK:
            user = await users.user_by_phone(parsed.e164)
            if user is None:
                user = await create_user(
                    username=f"u_{new_id().lower()}",
                    display_name=validate_display_name(
                        display_name, fallback=f"用户{parsed.e164[-4:]}"
                    ),
                    login_method=PROVIDER,
                    provider=PROVIDER,
                    provider_uid=parsed.e164,
                    phone_e164=parsed.e164,
                    phone_masked=parsed.masked,
                    invite_code=invite_code,
                )
            sign_in = await sign_in_user(user=user, provider=PROVIDER, client_info=client_info)
    # Failed attempts stay counted (committed above): that is the throttle.
    refusal = code_refusal(check)
    if refusal is not None:
        raise refusal
    assert sign_in is not None
    return sign_in


def code_refusal(check: CodeCheck) -> AuthError | None:
    """The error of a code check that did not pass (None for OK)."""
    if check is CodeCheck.OK:
        return None
    if check is CodeCheck.EXPIRED:
        return AuthError(AuthErrorCode.PHONE_CODE_EXPIRED, "The code has expired.", field="code")
    if check is CodeCheck.EXHAUSTED:
        return AuthError(
            AuthErrorCode.PHONE_CODE_ATTEMPTS_EXHAUSTED,
            "Too many wrong codes; ask for a new one.",
            field="code",
        )
    return AuthError(AuthErrorCode.PHONE_CODE_INVALID, "Wrong code.", field="code")


async def consume_code_attempt(phone_e164: str, code: str) -> CodeCheck:
    """Use one attempt of the phone's code (caller's write transaction); OK marks the code
    consumed, so only one concurrent caller gets OK."""
    now = clock.now()
    code_hash = await phone_codes.use_attempt(phone_e164=phone_e164, now=now)
    if code_hash is not None:
        if not hmac.compare_digest(code_hash, _code_hash(phone_e164, code)):
            return CodeCheck.WRONG
        # Only one concurrent sign-in may use the code: the first to mark it consumed.
        consumed = await phone_codes.consume_code(phone_e164=phone_e164, now=now)
        return CodeCheck.OK if consumed else CodeCheck.NONE
    row = await phone_codes.code_of(phone_e164)
    if row is None or row.consumed_at is not None:
        return CodeCheck.NONE
    if row.expires_at <= now:
        return CodeCheck.EXPIRED
    return CodeCheck.EXHAUSTED
