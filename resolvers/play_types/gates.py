"""Publish gates: the one `Blocker` type, and the rule for images the public sees.

A gate returns `Blocker`s, each with a code from its play type's `<Type>BlockerCode` enum,
the field at fault, the part concerned (a level id, an anchor key) and a message; an empty
list means ready. Publishing evaluates the gate inside its transaction and refuses while
any blocker remains.

Every gate applies `public_image_blockers` to what the published work shows to everyone
(covers, level images): the bound object must be an image and PUBLIC_READ. Bound objects
are confirmed ones by construction (an object exists only after its upload is confirmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from resolvers.assets.objects import AccessPolicy


@dataclass(frozen=True, slots=True)
class Blocker:
    code: StrEnum
    message: str
    # The draft field at fault (`cover`, `levels.2.gridSize`), and the part (a level id,
    # an anchor key).
    field: str | None = None
    part_id: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "code": self.code.value,
            "message": self.message,
            "field": self.field,
            "partId": self.part_id,
        }


@dataclass(frozen=True, slots=True)
class ImageCodes:
    """The codes a play type reports for an image that is not an image, or not public."""

    not_an_image: StrEnum
    not_public: StrEnum


class ImageFacts(Protocol):
    """What the public-image rule reads of a bound object."""

    @property
    def content_type(self) -> str | None: ...

    @property
    def access_policy(self) -> str: ...


def public_image_blockers(
    asset: ImageFacts,
    *,
    codes: ImageCodes,
    what: str,
    field: str,
    part_id: str | None = None,
) -> list[Blocker]:
    """Why a bound object (an asset row with `content_type` and `access_policy`) cannot be
    shown by a published work: not an image, or not PUBLIC_READ."""
    problems: list[Blocker] = []
    content_type = asset.content_type or ""
    if not content_type.startswith("image/"):
        problems.append(
            Blocker(
                codes.not_an_image,
                f"The {what} must be an image, not {content_type or 'unknown content'}.",
                field=field,
                part_id=part_id,
            )
        )
    if asset.access_policy != AccessPolicy.PUBLIC_READ.value:
        problems.append(
            Blocker(
                codes.not_public,
                f"The {what} is private: bind a PUBLIC_READ image.",
                field=field,
                part_id=part_id,
            )
        )
    return problems
