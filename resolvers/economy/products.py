"""The product catalogue: points packs and membership tiers (prices in cents, CNY).

Kept in code: a product's id is stored on every order, so ids are never reused for
something else. Prices come from here, never from the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProductKind(StrEnum):
    POINTS = "points"
    MEMBERSHIP = "membership"


class MembershipTier(StrEnum):
    """Ordered by rank: a purchase never lowers the tier of an active membership."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


TIER_RANK = {MembershipTier.MONTHLY: 1, MembershipTier.QUARTERLY: 2, MembershipTier.YEARLY: 3}


@dataclass(frozen=True, slots=True)
class Product:
    product_id: str
    title: str
    kind: ProductKind
    amount_cents: int
    points: int = 0
    membership_days: int = 0
    tier: MembershipTier | None = None


PRODUCTS: tuple[Product, ...] = (
    Product("points_60", "60 光点", ProductKind.POINTS, amount_cents=600, points=60),
    Product("points_300", "300 光点", ProductKind.POINTS, amount_cents=2800, points=300),
    Product("points_1280", "1280 光点", ProductKind.POINTS, amount_cents=9800, points=1280),
    Product(
        "membership_monthly",
        "月度会员",
        ProductKind.MEMBERSHIP,
        amount_cents=1800,
        membership_days=30,
        tier=MembershipTier.MONTHLY,
    ),
    Product(
        "membership_quarterly",
        "季度会员",
        ProductKind.MEMBERSHIP,
        amount_cents=4800,
        membership_days=90,
        tier=MembershipTier.QUARTERLY,
    ),
    Product(
        "membership_yearly",
        "年度会员",
        ProductKind.MEMBERSHIP,
        amount_cents=16800,
        membership_days=365,
        tier=MembershipTier.YEARLY,
    ),
)
PRODUCTS_BY_ID = {product.product_id: product for product in PRODUCTS}


def product(product_id: str) -> Product | None:
    return PRODUCTS_BY_ID.get(product_id)
