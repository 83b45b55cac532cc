"""Points and money (docs/domain.md: wallet, tasks, codes, invites, membership, orders).

Catalog tables: profile_dashboard_state, profile_wallet_ledger, profile_task_config,
profile_task_progress, profile_task_reward_claim, profile_redeem_code,
profile_redeem_code_usage, profile_invite_code, profile_referral_relation,
profile_membership, profile_recharge_order. Addition (docs/tables.md): economy_redeem_throttle.
"""

from piccolo.columns import JSON, BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class ProfileDashboardState(Table, tablename="profile_dashboard_state"):
    user_id = Varchar(length=64, primary_key=True)
    wallet_balance = BigInt(default=0)
    total_play_time_ms = BigInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileWalletLedger(Table, tablename="profile_wallet_ledger"):
    wallet_ledger_id = Varchar(length=160, primary_key=True)
    user_id = Varchar(length=64, index=True)
    amount_delta = BigInt()
    balance_after = BigInt()
    source_type = Varchar(length=48)
    created_at = Timestamptz(default=TimestamptzNow())


class ProfileTaskConfig(Table, tablename="profile_task_config"):
    task_id = Varchar(length=64, primary_key=True)
    title = Varchar(length=64)
    description = Text(default="")
    event_key = Varchar(length=64)
    cycle = Varchar(length=16)
    scope_kind = Varchar(length=16)
    threshold = Integer()
    reward_points = BigInt()
    enabled = Boolean(default=True)
    sort_order = Integer(default=0)
    created_by = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_by = Varchar(length=64)
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileTaskProgress(Table, tablename="profile_task_progress"):
    # `{user_id}:{task_id}:{day_key}`; a weekly task's day key is its ISO week's Monday.
    progress_id = Varchar(length=160, primary_key=True)
    user_id = Varchar(length=64, index=True)
    task_id = Varchar(length=64)
    day_key = BigInt()
    progress_count = Integer(default=0)
    threshold = Integer()
    status = Varchar(length=16)
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileTaskRewardClaim(Table, tablename="profile_task_reward_claim"):
    # `{user_id}:{task_id}:{day_key}`: a task pays once per cycle.
    claim_id = Varchar(length=160, primary_key=True)
    user_id = Varchar(length=64, index=True)
    task_id = Varchar(length=64)
    day_key = BigInt()
    reward_points = BigInt()
    wallet_ledger_id = Varchar(length=160)
    claimed_at = Timestamptz(default=TimestamptzNow())


class ProfileRedeemCode(Table, tablename="profile_redeem_code"):
    code = Varchar(length=32, primary_key=True)
    mode = Varchar(length=16)
    reward_points = BigInt()
    max_uses = Integer()
    global_used_count = Integer(default=0)
    enabled = Boolean(default=True)
    # A JSON array of user ids (Piccolo emulates arrays on SQLite: docs/stack.md).
    allowed_user_ids = JSON(default=[])
    created_by = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileRedeemCodeUsage(Table, tablename="profile_redeem_code_usage"):
    # Public codes: `{code}:{user_id}:{n}` (the user's n-th use, n <= max_uses);
    # unique and private codes: `{code}:#{n}` (the code's n-th use).
    usage_id = Varchar(length=160, primary_key=True)
    code = Varchar(length=32, index=True)
    user_id = Varchar(length=64, index=True)
    amount_granted = BigInt()
    created_at = Timestamptz(default=TimestamptzNow())


class ProfileInviteCode(Table, tablename="profile_invite_code"):
    # A user's own code (user_id) or an admin-preset code (`admin:{invite_code}`).
    user_id = Varchar(length=64, primary_key=True)
    invite_code = Varchar(length=32, unique=True)
    metadata_json = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    starts_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)


class ProfileReferralRelation(Table, tablename="profile_referral_relation"):
    invitee_user_id = Varchar(length=64, primary_key=True)
    inviter_user_id = Varchar(length=64, index=True)
    invite_code = Varchar(length=32)
    inviter_reward_granted = Boolean(default=False)
    invitee_reward_granted = Boolean(default=False)
    bound_at = Timestamptz(default=TimestamptzNow())


class ProfileMembership(Table, tablename="profile_membership"):
    user_id = Varchar(length=64, primary_key=True)
    status = Varchar(length=16)
    tier = Varchar(length=16)
    started_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileRechargeOrder(Table, tablename="profile_recharge_order"):
    order_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    product_id = Varchar(length=64)
    product_title = Varchar(length=64)
    kind = Varchar(length=16)
    amount_cents = BigInt()
    status = Varchar(length=16)
    payment_channel = Varchar(length=32)
    # NULL until the payment is confirmed (docs/tables.md).
    paid_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    points_delta = BigInt(default=0)
    membership_expires_at = Timestamptz(null=True, default=None)


class EconomyRedeemThrottle(Table, tablename="economy_redeem_throttle"):
    """Failed redemptions per user: too many lock redeeming for a while (guessing codes)."""

    user_id = Varchar(length=64, primary_key=True)
    failures = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: profile_wallet_ledger user_id, (user_id, created_at);
# profile_task_progress and profile_task_reward_claim user_id, (user_id, task_id);
# profile_redeem_code_usage code, user_id, (code, user_id); profile_invite_code unique
# invite_code; profile_referral_relation inviter_user_id, (inviter_user_id, bound_at);
# profile_recharge_order user_id, (user_id, created_at)). Composite ones are created in
# migrations with raw SQL.
INDEXES = {
    ("profile_wallet_ledger", ("user_id",), False),
    ("profile_wallet_ledger", ("user_id", "created_at"), False),
    ("profile_task_progress", ("user_id",), False),
    ("profile_task_progress", ("user_id", "task_id"), False),
    ("profile_task_reward_claim", ("user_id",), False),
    ("profile_task_reward_claim", ("user_id", "task_id"), False),
    ("profile_redeem_code_usage", ("code",), False),
    ("profile_redeem_code_usage", ("user_id",), False),
    ("profile_redeem_code_usage", ("code", "user_id"), False),
    ("profile_invite_code", ("invite_code",), True),
    ("profile_referral_relation", ("inviter_user_id",), False),
    ("profile_referral_relation", ("inviter_user_id", "bound_at"), False),
    ("profile_recharge_order", ("user_id",), False),
    ("profile_recharge_order", ("user_id", "created_at"), False),
}
