"""Item images: `item:` is a family of generated slots (one per item id), so
`imageGenerate` fills `item:<itemId>` of a Match3D work and nothing else of it."""

from __future__ import annotations

import pytest

import schema.build  # noqa: F401
from resolvers.match3d.model import WORK_ENTITY
from resolvers.play_types.registry import generated_slot_for
from tests.factories import match3d
from tests.factories.auth import make_user
from tests.factories.images import generate, image_rows
from tests.fixtures import GraphQLClient


@pytest.mark.parametrize(
    ("entity_kind", "slot", "found"),
    [
        (WORK_ENTITY, "cover", "cover"),
        (WORK_ENTITY, "item:teacup", "item:"),
        (WORK_ENTITY, "item:", None),
        (WORK_ENTITY, "items", None),
        ("puzzle_level", "item:teacup", None),
        ("puzzle_level", "image", "image"),
    ],
)
def test_a_slot_family_admits_its_members_only(
    entity_kind: str, slot: str, found: str | None
) -> None:
    rule = generated_slot_for(entity_kind, slot)
    assert (rule.slot if rule is not None else None) == found


async def test_image_generate_refuses_slots_outside_the_family_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given a Match3D draft work
    user = await make_user()
    started = await match3d.start(gql, user.access_token, "Attic")
    work_id = started["work"]["workId"]
    before = await image_rows()
    # when images are asked for slots Match3D does not generate
    answers = [
        await generate(
            gql,
            user.access_token,
            prompt="a teacup",
            entityKind="match3d_work",
            entityId=work_id,
            slot=slot,
        )
        for slot in ("item:", "items", "item")
    ]
    # then each is SLOT_NOT_ALLOWED and nothing was queued
    codes = [[e["code"] for e in a["data"]["imageGenerate"]["errors"]] for a in answers]
    assert codes == [["SLOT_NOT_ALLOWED"]] * 3
    assert await image_rows() == before
