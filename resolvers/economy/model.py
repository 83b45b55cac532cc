"""The economy rows handed to the schema: ledger entries, orders, invite and redeem codes,
referrals and task configurations, each built from its row in one place (`from_row`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson

from resolvers.analytics.scopes import TrackingScope
from resolvers.auth.rows import PublicUserRow, tags_of
from resolvers.economy.products import MembershipTier, ProductKind


class LedgerSource(StrEnum):
    """Why a balance moved (`profile_wallet_ledger.source_type`)."""

    NEW_USER_REGISTRATION_REWARD = "new_user_registration_reward"
    TASK_REWARD = "task_reward"
    REDEEM_CODE = "redeem_code"
    INVITE_INVITER_REWARD = "invite_inviter_reward"
    INVITE_INVITEE_REWARD = "invite_invitee_reward"
    RECHARGE = "recharge"
    SPEND = "spend"
    ADMIN_ADJUSTMENT = "admin_adjustment"


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"


class RedeemCodeMode(StrEnum):
    PUBLIC = "public"
    UNIQUE = "unique"
    PRIVATE = "private"


class TaskCycle(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class TaskStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLAIMED = "claimed"


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One `profile_wallet_ledger` row: a balance move."""

    wallet_ledger_id: str
    user_id: str
    amount_delta: int
    balance_after: int
    source_type: LedgerSource
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> LedgerEntry:
        return cls(
            wallet_ledger_id=row["wallet_ledger_id"],
            user_id=row["user_id"],
            amount_delta=int(row["amount_delta"]),
            balance_after=int(row["balance_after"]),
            source_type=LedgerSource(row["source_type"]),
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class RechargeOrder:
    """One `profile_recharge_order` row."""

    order_id: str
    user_id: str
    product_id: str
    product_title: str
    kind: ProductKind
    amount_cents: int
    status: OrderStatus
    payment_channel: str
    paid_at: datetime | None
    created_at: datetime
    points_delta: int
    membership_expires_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RechargeOrder:
        return cls(
            order_id=row["order_id"],
            user_id=row["user_id"],
            product_id=row["product_id"],
            product_title=row["product_title"],
            kind=ProductKind(row["kind"]),
            amount_cents=int(row["amount_cents"]),
            status=OrderStatus(row["status"]),
            payment_channel=row["payment_channel"],
            paid_at=row["paid_at"],
            created_at=row["created_at"],
            points_delta=int(row["points_delta"]),
            membership_expires_at=row["membership_expires_at"],
        )


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    """One `profile_membership` row (its status is derived from `expires_at`)."""

    tier: MembershipTier
    started_at: datetime
    expires_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MembershipRecord:
        return cls(
            tier=MembershipTier(row["tier"]),
            started_at=row["started_at"],
            expires_at=row["expires_at"],
        )


@dataclass(frozen=True, slots=True)
class InviteCode:
    """One `profile_invite_code` row: a user's own code, or an admin-preset one."""

    user_id: str
    invite_code: str
    user_tags: tuple[str, ...]
    starts_at: datetime | None
    expires_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> InviteCode:
        """Tags an admin code grants: `metadata_json.userTags`, or `user_tags` (older rows)."""
        metadata = _json(row["metadata_json"])
        tags = (
            tags_of(metadata.get("userTags", metadata.get("user_tags")))
            if isinstance(metadata, dict)
            else []
        )
        return cls(
            user_id=row["user_id"],
            invite_code=row["invite_code"],
            user_tags=tuple(tags),
            starts_at=row["starts_at"],
            expires_at=row["expires_at"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class Referral:
    """One `profile_referral_relation` row, with the invitee's public profile if found."""

    invitee_user_id: str
    inviter_user_id: str
    invite_code: str
    bound_at: datetime
    inviter_reward_granted: bool
    invitee_reward_granted: bool
    invitee: PublicUserRow | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any], invitee: PublicUserRow | None) -> Referral:
        return cls(
            invitee_user_id=row["invitee_user_id"],
            inviter_user_id=row["inviter_user_id"],
            invite_code=row["invite_code"],
            bound_at=row["bound_at"],
            inviter_reward_granted=bool(row["inviter_reward_granted"]),
            invitee_reward_granted=bool(row["invitee_reward_granted"]),
            invitee=invitee,
        )


@dataclass(frozen=True, slots=True)
class RedeemCode:
    """One `profile_redeem_code` row."""

    code: str
    mode: RedeemCodeMode
    reward_points: int
    max_uses: int
    global_used_count: int
    enabled: bool
    allowed_user_ids: tuple[str, ...]
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RedeemCode:
        allowed = _json(row["allowed_user_ids"])
        return cls(
            code=row["code"],
            mode=RedeemCodeMode(row["mode"]),
            reward_points=int(row["reward_points"]),
            max_uses=int(row["max_uses"]),
            global_used_count=int(row["global_used_count"]),
            enabled=bool(row["enabled"]),
            allowed_user_ids=tuple(str(item) for item in allowed)
            if isinstance(allowed, list)
            else (),
            created_by=row["created_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class TaskConfig:
    """One `profile_task_config` row: a daily or weekly task."""

    task_id: str
    title: str
    description: str
    event_key: str
    cycle: TaskCycle
    scope_kind: TrackingScope
    threshold: int
    reward_points: int
    enabled: bool
    sort_order: int
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TaskConfig:
        return cls(
            task_id=row["task_id"],
            title=row["title"],
            description=row["description"],
            event_key=row["event_key"],
            cycle=TaskCycle(row["cycle"]),
            scope_kind=TrackingScope(row["scope_kind"]),
            threshold=int(row["threshold"]),
            reward_points=int(row["reward_points"]),
            enabled=bool(row["enabled"]),
            sort_order=int(row["sort_order"]),
            created_by=row["created_by"],
            updated_by=row["updated_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
