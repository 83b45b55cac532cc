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

import orjson

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import known_user_ids
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.model import RedeemCode
from resolvers.economy.model import RedeemCodeMode as RedeemCodeMode  # re-exported
from resolvers.economy.store import redeem_codes as store
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.pagination import Page
from resolvers.principal import Principal
from settings import get_settings

CODE = re.compile(r"^[A-Z0-9_-]{4,32}$")
MAX_USES = 1_000_000
MAX_REWARD = 1_000_000
MAX_ALLOWED_USERS = 1000


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


async def upsert_redeem_code(*, viewer: Principal, code: RedeemCodeInput) -> RedeemCode:
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
            missing = set(allowed) - await known_user_ids(allowed)
            if missing:
                raise _invalid(f"Unknown users: {', '.join(sorted(missing))}.", "allowedUserIds")
        return await store.upsert_redeem_code(
            code=name,
            mode=code.mode.value,
            reward_points=code.reward_points,
            max_uses=code.max_uses,
            enabled=code.enabled,
            allowed_user_ids=orjson.dumps(allowed).decode(),
            created_by=admin_id,
            now=now,
        )


async def redeem_codes(
    *, viewer: Principal, first: int | None, after: str | None
) -> Page[RedeemCode]:
    """Every code, most recently changed first (admins)."""
    viewer.require_admin()
    return await store.redeem_code_page(first=first, after=after)


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
        row = await store.redeem_code(code)
        if row is None:
            raise EconomyError(
                EconomyErrorCode.REDEEM_CODE_NOT_FOUND, "No such code.", field="code"
            )
        if not row.enabled:
            raise EconomyError(
                EconomyErrorCode.REDEEM_CODE_DISABLED, "This code is disabled.", field="code"
            )
        points = row.reward_points
        if row.mode is RedeemCodeMode.PUBLIC:
            usage_id = await _take_public_use(row, user_id=user_id, points=points, now=now)
        else:
            if row.mode is RedeemCodeMode.PRIVATE and user_id not in row.allowed_user_ids:
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


async def _take_global_use(code: str, *, user_id: str, points: int, now: datetime) -> str:
    taken = await store.take_global_use(code)
    if taken is None:
        raise EconomyError(
            EconomyErrorCode.REDEEM_CODE_EXHAUSTED, "This code has been used up.", field="code"
        )
    usage_id = f"{code}:#{taken}"
    # The counter row serialises writers, so the n-th id is free.
    inserted = await store.insert_usage(
        usage_id=usage_id, code=code, user_id=user_id, points=points, now=now
    )
    assert inserted, usage_id
    return usage_id


async def _take_public_use(row: RedeemCode, *, user_id: str, points: int, now: datetime) -> str:
    code = row.code
    max_uses = row.max_uses
    # Each round either inserts the user's n-th use or learns that a concurrent transaction
    # did (the conflicting insert waits for it to commit), so at most max_uses + 1 rounds.
    for _ in range(max_uses + 1):
        used = await store.user_use_count(code=code, user_id=user_id)
        if used >= max_uses:
            break
        usage_id = f"{code}:{user_id}:{used + 1}"
        if await store.insert_usage(
            usage_id=usage_id, code=code, user_id=user_id, points=points, now=now
        ):
            # The total is informative for public codes (no global cap).
            await store.count_public_use(code)
            return usage_id
    raise EconomyError(
        EconomyErrorCode.REDEEM_CODE_USER_LIMIT,
        f"You have used this code {max_uses} time(s), its limit per user.",
        field="code",
    )


async def _check_throttle(user_id: str) -> None:
    locked_until = await store.locked_until(user_id)
    if locked_until and locked_until > clock.now():
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
        await store.count_failure(user_id=user_id, now=now, window_start=now - window)
        # … and lock once it reaches the limit (a typed parameter: no CASE over timestamps).
        await store.lock_at_limit(
            user_id=user_id, max_failures=settings.redeem_max_failures, until=now + window
        )
