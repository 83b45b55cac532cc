"""Signed access tokens (JWT, HS256 pinned) and opaque refresh tokens (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from resolvers import clock
from settings import get_settings

ALGORITHM = "HS256"
ACCESS = "access"
SERVICE = "service"


class InvalidToken(Exception):
    """The token is malformed, forged, expired or revoked."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenClaims:
    kind: str
    subject: str
    token_version: int
    session_id: str | None
    expires_at: datetime


def issue_access_token(*, user_id: str, session_id: str, token_version: int) -> IssuedToken:
    settings = get_settings()
    issued_at = clock.now()
    expires_at = issued_at + timedelta(seconds=settings.access_token_ttl_seconds)
    claims = {
        "typ": ACCESS,
        "sub": user_id,
        "sid": session_id,
        "tv": token_version,
        "iss": settings.jwt_issuer,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return IssuedToken(jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM), expires_at)


def issue_service_jwt(*, credential_id: str, expires_at: datetime) -> str:
    settings = get_settings()
    claims = {
        "typ": SERVICE,
        "sub": credential_id,
        "iss": settings.jwt_issuer,
        "iat": int(clock.now().timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def decode_token(token: str) -> TokenClaims:
    """Verify signature, issuer and expiry (against `clock.now()`); raise `InvalidToken`."""
    settings = get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub", "typ"], "verify_exp": False},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=clock.now().tzinfo)
    if expires_at <= clock.now():
        raise InvalidToken("token expired")
    kind = claims["typ"]
    if kind not in (ACCESS, SERVICE) or not isinstance(claims["sub"], str):
        raise InvalidToken("unknown token type")
    return TokenClaims(
        kind=kind,
        subject=claims["sub"],
        token_version=int(claims.get("tv", 0)),
        session_id=claims.get("sid"),
        expires_at=expires_at,
    )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
