"""Redeem codes: admin upsert and list, and redemption with race-free counting.

Modes (docs/domain.md, "Codes, invites, membership, orders"):
- `public`: every user may use the code up to `max_uses` times. The usage id is
  `{code}:{user_id}:{n}`, the user's n-th use (1 <= n <= max_uses): two concurrent uses by
  the same user compute the same n and the primary key lets one in (`ON CONFLICT DO
  NOTHING`); the other counts again and takes n+1, or is refused once n would pass max_uses.
- `unique`: the whole code may be used `max_uses` times in all;
- `private`: only `allowed_user_ids`, counted globally like `unique`. Both take a use with one
  conditional `UPDATE … SET global_used_count = global_used_count + 1 WHERE … AND
  global_used_count < max_uses RETURNING`, and the usage id is `{code}:#{n}`.
Every use writes a usage row and a ledger row (`redeem:{usage_id}`) in one transaction.
Failed attempts are counted per user (`economy_redeem_throttle`): guessing codes locks
redeeming for a while.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import orjson

from db.tables.auth import UserAccount
from db.tables.economy import EconomyRedeemThrottle, ProfileRedeemCode, ProfileRedeemCodeUsage
from db.transactions import write_transaction
from resolvers import clock
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from settings import get_settings

CODE = re.compile(r"^[A-Z0-9_-]{4,32}$")
MAX_USES = 1_000_000
MAX_REWARD = 1_000_000
MAX_ALLOWED_USERS = 1000


class RedeemCodeMode(StrEnum):
    PUBLIC = "public"
    UNIQUE = "unique"
    PRIVATE = "private"


def normalize_code(code: str) -> str:
    return code.strip().upper()


@dataclass(frozen=True, slots=True)
class RedeemCodeInput:
    code: str
    mode: RedeemCodeMode
    reward_points: int
    max_uses: int
    enabled: bool = True
    allowed_user_ids: tuple[str, ...] = ()


def _invalid(message: str, field: str) -> EconomyError:
    return EconomyError(EconomyErrorCode.REDEEM_CODE_INVALID, message, field=field)


def allowed_ids_of(row: dict[str, Any]) -> list[str]:
    value = row.get("allowed_user_ids")
    if isinstance(value, str):
        value = orjson.loads(value)
    return [str(item) for item in value] if isinstance(value, list) else []


async def upsert_redeem_code(*, viewer: Principal, code: RedeemCodeInput) -> dict[str, Any]:
    """Create a code or change one (admins); its use count is kept."""
    admin_id = viewer.require_admin()
    name = normalize_code(code.code)
    if not CODE.match(name):
        raise _invalid("Codes have 4 to 32 letters, digits, `_` or `-`.", "code")
    if not 1 <= code.reward_points <= MAX_REWARD:
        raise _invalid(f"Rewards are 1 to {MAX_REWARD} points.", "rewardPoints")
    if not 1 <= code.max_uses <= MAX_USES:
        raise _invalid(f"`maxUses` is 1 to {MAX_USES}.", "maxUses")
    allowed = sorted(set(code.allowed_user_ids))
    if code.mode is RedeemCodeMode.PRIVATE and not allowed:
        raise _invalid("A private code names at least one user.", "allowedUserIds")
    if len(allowed) > MAX_ALLOWED_USERS:
        raise _invalid(f"At most {MAX_ALLOWED_USERS} users per code.", "allowedUserIds")
    now = clock.now()
    async with write_transaction():
        if allowed:
            known = await UserAccount.select(UserAccount.user_id).where(
                UserAccount.user_id.is_in(allowed)
            )
            missing = set(allowed) - {row["user_id"] for row in known}
            if missing:
                raise _invalid(f"Unknown users: {', '.join(sorted(missing))}.", "allowedUserIds")
        await ProfileRedeemCode.raw(
            "INSERT INTO profile_redeem_code (code, mode, reward_points, max_uses, "
            "global_used_count, enabled, allowed_user_ids, created_by, created_at, updated_at) "
            "VALUES ({}, {}, {}, {}, 0, {}, {}, {}, {}, {}) ON CONFLICT (code) DO UPDATE SET "
            "mode = excluded.mode, reward_points = excluded.reward_points, "
            "max_uses = excluded.max_uses, enabled = excluded.enabled, "
            "allowed_user_ids = excluded.allowed_user_ids, updated_at = excluded.updated_at",
            name,
            code.mode.value,
            code.reward_points,
            code.max_uses,
            code.enabled,
            orjson.dumps(allowed).decode(),
            admin_id,
            now,
            now,
        )
        row = await ProfileRedeemCode.select().where(ProfileRedeemCode.code == name).first()
    assert row is not None
    return row


async def redeem_codes(
    *, viewer: Principal, first: int | None, after: str | None
) -> Page[dict[str, Any]]:
    """Every code, most recently changed first (admins)."""
    viewer.require_admin()
    return await keyset_page(
        ProfileRedeemCode,
        ProfileRedeemCode.updated_at,
        ProfileRedeemCode.code,
        first=first,
        after=after,
    )


@dataclass(frozen=True, slots=True)
class Redemption:
    code: str
    usage_id: str
    points_granted: int
    balance: int


async def redeem(*, viewer: Principal, code: str) -> Redemption:
    """Use a code once: a usage row and a ledger row, or an `EconomyError` and nothing."""
    user_id = viewer.require_user()
    await _check_throttle(user_id)
    try:
        return await _redeem(user_id=user_id, code=normalize_code(code))
    except EconomyError as error:
        if error.code in (
            EconomyErrorCode.REDEEM_CODE_NOT_FOUND,
            EconomyErrorCode.REDEEM_CODE_INVALID,
        ):
            await _record_failure(user_id)
        raise


async def _redeem(*, user_id: str, code: str) -> Redemption:
    if not CODE.match(code):
        raise EconomyError(
            EconomyErrorCode.REDEEM_CODE_INVALID, "That is not a redeem code.", field="code"
        )
    now = clock.now()
    async with write_transaction():
        row = await ProfileRedeemCode.select().where(ProfileRedeemCode.code == code).first()
        if row is None:
            raise EconomyError(
                EconomyErrorCode.REDEEM_CODE_NOT_FOUND, "No such code.", field="code"
            )
        if not row["enabled"]:
            raise EconomyError(
                EconomyErrorCode.REDEEM_CODE_DISABLED, "This code is disabled.", field="code"
            )
        points = int(row["reward_points"])
        if row["mode"] == RedeemCodeMode.PUBLIC.value:
            usage_id = await _take_public_use(row, user_id=user_id, points=points, now=now)
        else:
            if row["mode"] == RedeemCodeMode.PRIVATE.value and user_id not in allowed_ids_of(row):
                raise EconomyError(
                    EconomyErrorCode.REDEEM_CODE_NOT_ALLOWED,
                    "This code is not for your account.",
                    field="code",
                )
            usage_id = await _take_global_use(code, user_id=user_id, points=points, now=now)
        change = await apply_wallet_change(
            user_id=user_id,
            ledger_id=f"redeem:{usage_id}",
            delta=points,
            source=LedgerSource.REDEEM_CODE,
        )
    return Redemption(code=code, usage_id=usage_id, points_granted=points, balance=change.balance)


async def _insert_usage(
    *, usage_id: str, code: str, user_id: str, points: int, now: datetime
) -> bool:
    """Claim usage id `usage_id`; False when it exists (a concurrent use took it)."""
    claimed = await ProfileRedeemCodeUsage.raw(
        "INSERT INTO profile_redeem_code_usage (usage_id, code, user_id, amount_granted, "
        "created_at) VALUES ({}, {}, {}, {}, {}) ON CONFLICT (usage_id) DO NOTHING "
        "RETURNING usage_id",
        usage_id,
        code,
        user_id,
        points,
        now,
    )
    return bool(claimed)


async def _take_global_use(code: str, *, user_id: str, points: int, now: datetime) -> str:
    taken = await ProfileRedeemCode.raw(
        "UPDATE profile_redeem_code SET global_used_count = global_used_count + 1 "
        "WHERE code = {} AND enabled = {} AND global_used_count < max_uses "
        "RETURNING global_used_count",
        code,
        True,
    )
    if not taken:
        raise EconomyError(
            EconomyErrorCode.REDEEM_CODE_EXHAUSTED, "This code has been used up.", field="code"
        )
    usage_id = f"{code}:#{taken[0]['global_used_count']}"
    # The counter row serialises writers, so the n-th id is free.
    inserted = await _insert_usage(
        usage_id=usage_id, code=code, user_id=user_id, points=points, now=now
    )
    assert inserted, usage_id
    return usage_id


async def _take_public_use(row: dict[str, Any], *, user_id: str, points: int, now: datetime) -> str:
    code = row["code"]
    max_uses = int(row["max_uses"])
    # Each round either inserts the user's n-th use or learns that a concurrent transaction
    # did (the conflicting insert waits for it to commit), so at most max_uses + 1 rounds.
    for _ in range(max_uses + 1):
        used = await ProfileRedeemCodeUsage.count().where(
            (ProfileRedeemCodeUsage.code == code) & (ProfileRedeemCodeUsage.user_id == user_id)
        )
        if used >= max_uses:
            break
        usage_id = f"{code}:{user_id}:{used + 1}"
        if await _insert_usage(
            usage_id=usage_id, code=code, user_id=user_id, points=points, now=now
        ):
            # The total is informative for public codes (no global cap).
            await ProfileRedeemCode.raw(
                "UPDATE profile_redeem_code SET global_used_count = global_used_count + 1 "
                "WHERE code = {}",
                code,
            )
            return usage_id
    raise EconomyError(
        EconomyErrorCode.REDEEM_CODE_USER_LIMIT,
        f"You have used this code {max_uses} time(s), its limit per user.",
        field="code",
    )


async def _check_throttle(user_id: str) -> None:
    row = (
        await EconomyRedeemThrottle.select(EconomyRedeemThrottle.locked_until)
        .where(EconomyRedeemThrottle.user_id == user_id)
        .first()
    )
    if row and row["locked_until"] and row["locked_until"] > clock.now():
        raise EconomyError(
            EconomyErrorCode.REDEEM_THROTTLED,
            "Too many unknown codes; try again later.",
            field="code",
        )


async def _record_failure(user_id: str) -> None:
    """Count an unknown code; the limit within the window locks redeeming for a while."""
    settings = get_settings()
    now = clock.now()
    window = timedelta(seconds=settings.redeem_lockout_seconds)
    async with write_transaction():
        # Count the failure (a lapsed lock or window starts a fresh count) …
        await EconomyRedeemThrottle.raw(
            "INSERT INTO economy_redeem_throttle (user_id, failures, locked_until, updated_at) "
            "VALUES ({}, 1, NULL, {}) ON CONFLICT (user_id) DO UPDATE SET "
            "failures = CASE WHEN economy_redeem_throttle.locked_until IS NOT NULL "
            "OR economy_redeem_throttle.updated_at < {} THEN 1 "
            "ELSE economy_redeem_throttle.failures + 1 END, "
            "locked_until = NULL, updated_at = excluded.updated_at",
            user_id,
            now,
            now - window,
        )
        # … and lock once it reaches the limit (a typed parameter: no CASE over timestamps).
        await EconomyRedeemThrottle.raw(
            "UPDATE economy_redeem_throttle SET locked_until = {} "
            "WHERE user_id = {} AND failures >= {}",
            now + window,
            user_id,
            settings.redeem_max_failures,
        )
