"""The redeem-code and redeem-throttle statements of the economy.

A use is claimed by `INSERT … ON CONFLICT DO NOTHING` on its usage id and counters move by
conditional updates, so concurrent uses settle in the database on both engines; all run
inside the caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import EconomyRedeemThrottle, ProfileRedeemCode, ProfileRedeemCodeUsage
from resolvers.economy.model import RedeemCode
from resolvers.pagination import Page, keyset_page

Code = ProfileRedeemCode
Usage = ProfileRedeemCodeUsage
Throttle = EconomyRedeemThrottle

# Redeem codes ----------------------------------------------------------------------------


async def upsert_redeem_code(
    *,
    code: str,
    mode: str,
    reward_points: int,
    max_uses: int,
    enabled: bool,
    allowed_user_ids: str,
    created_by: str,
    now: datetime,
) -> RedeemCode:
    """Create the code or change it (its use count is kept); the code as stored."""
    row = Code(
        code=code,
        mode=mode,
        reward_points=reward_points,
        max_uses=max_uses,
        global_used_count=0,
        enabled=enabled,
        allowed_user_ids=allowed_user_ids,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    await (
        Code.insert(row)
        .on_conflict(
            target=Code.code,
            action="DO UPDATE",
            values=[
                Code.mode,
                Code.reward_points,
                Code.max_uses,
                Code.enabled,
                Code.allowed_user_ids,
                Code.updated_at,
            ],
        )
        .run()
    )
    stored = await redeem_code(code)
    assert stored is not None
    return stored


async def redeem_code(code: str) -> RedeemCode | None:
    """The code, if it exists."""
    row = await Code.select().where(Code.code == code).first()
    return RedeemCode.from_row(row) if row is not None else None


async def redeem_code_page(*, first: int | None, after: str | None) -> Page[RedeemCode]:
    """Every code, most recently changed first."""
    page = await keyset_page(Code, Code.updated_at, Code.code, first=first, after=after)
    return Page(
        items=[RedeemCode.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def insert_usage(
    *, usage_id: str, code: str, user_id: str, points: int, now: datetime
) -> bool:
    """Claim usage id `usage_id`; False when it exists (a concurrent use took it)."""
    claimed = await (
        Usage.insert(
            Usage(
                usage_id=usage_id, code=code, user_id=user_id, amount_granted=points, created_at=now
            )
        )
        .on_conflict(target=Usage.usage_id, action="DO NOTHING")
        .returning(Usage.usage_id)
        .run()
    )
    return bool(claimed)


async def take_global_use(code: str) -> int | None:
    """Count one use of an enabled code below its cap: the use's number, or None."""
    taken = await (
        Code.update({Code.global_used_count: Code.global_used_count + 1})
        .where(
            (Code.code == code)
            & (Code.enabled == True)  # noqa: E712
            & (Code.global_used_count < Code.max_uses)
        )
        .returning(Code.global_used_count)
    )
    return int(taken[0]["global_used_count"]) if taken else None


async def count_public_use(code: str) -> None:
    """Count one more use of a public code (informative: public codes have no global cap)."""
    await Code.update({Code.global_used_count: Code.global_used_count + 1}).where(Code.code == code)


async def user_use_count(*, code: str, user_id: str) -> int:
    """How many times the user used the code."""
    return int(await Usage.count().where((Usage.code == code) & (Usage.user_id == user_id)))


# Redeem throttle -------------------------------------------------------------------------


async def locked_until(user_id: str) -> datetime | None:
    """Until when the user may not redeem (None when never locked)."""
    row = await Throttle.select(Throttle.locked_until).where(Throttle.user_id == user_id).first()
    return row["locked_until"] if row else None


async def count_failure(*, user_id: str, now: datetime, window_start: datetime) -> None:
    """One more failure; a lapsed lock or a count older than the window starts afresh."""
    # Raw: a conditional upsert (failures reset by CASE) Piccolo's on_conflict cannot express.
    await Throttle.raw(
        "INSERT INTO economy_redeem_throttle (user_id, failures, locked_until, updated_at) "
        "VALUES ({}, 1, NULL, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "failures = CASE WHEN economy_redeem_throttle.locked_until IS NOT NULL "
        "OR economy_redeem_throttle.updated_at < {} THEN 1 "
        "ELSE economy_redeem_throttle.failures + 1 END, "
        "locked_until = NULL, updated_at = excluded.updated_at",
        user_id,
        now,
        window_start,
    )


async def lock_at_limit(*, user_id: str, max_failures: int, until: datetime) -> None:
    """Lock redeeming until `until` once the failures reach the limit."""
    await Throttle.update({Throttle.locked_until: until}).where(
        (Throttle.user_id == user_id) & (Throttle.failures >= max_failures)
    )
