"""Signed, expiring URLs for uploads and reads (HMAC-SHA256, compared in constant time)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlencode

from resolvers import clock
from settings import get_settings


def _key() -> bytes:
    # A key of its own, derived from the service secret, so URL signatures and JWTs differ.
    return hmac.new(get_settings().jwt_secret.encode(), b"asset-urls", hashlib.sha256).digest()


def signature(action: str, subject: str, expires: int) -> str:
    message = f"{action}:{subject}:{expires}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def signed_path(path: str, action: str, subject: str, expires_at: datetime) -> str:
    expires = int(expires_at.timestamp())
    query = urlencode({"expires": expires, "signature": signature(action, subject, expires)})
    return f"{path}?{query}"


def check(action: str, subject: str, expires: str | None, given: str | None) -> str | None:
    """None when the signature is valid and unexpired, else why not ("invalid"/"expired")."""
    try:
        expires_at = int(expires or "")
    except ValueError:
        return "invalid"
    if not given or not hmac.compare_digest(signature(action, subject, expires_at), given):
        return "invalid"
    if expires_at <= clock.now().timestamp():
        return "expired"
    return None
