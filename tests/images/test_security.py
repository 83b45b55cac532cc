"""Who may generate: signed-in callers, for their own entities only. A refusal queues no
task and uses no quota."""

from __future__ import annotations

import pytest

from resolvers.play_types.contract import PlayTypePlugin
from resolvers.play_types.registry import PLUGINS
from tests.factories.auth import make_user
from tests.factories.images import cover, generate, image_rows
from tests.fixtures import GraphQLClient


def _name(plugin: PlayTypePlugin) -> str:
    return plugin.play_type.name


@pytest.mark.parametrize("plugin", PLUGINS, ids=_name)
async def test_anonymous_callers_are_refused(plugin: PlayTypePlugin, gql: GraphQLClient) -> None:
    # given a work, and a caller without a token
    owner = await make_user()
    work = await plugin.start_session(viewer=owner.principal, seed_text="")
    target = plugin.cover_slot(work.work_id)
    before = await image_rows()
    # when they ask for its cover, by either mutation
    by_cover = await cover(gql, None, _name(plugin), work.work_id, "a moon")
    by_slot = await generate(
        gql,
        None,
        prompt="a moon",
        entityKind=target.entity_kind,
        entityId=target.entity_id,
        slot=target.slot,
    )
    # then both are UNAUTHENTICATED and nothing was written
    for result in (by_cover, by_slot):
        assert [error["extensions"]["code"] for error in result["errors"]] == ["UNAUTHENTICATED"]
    assert await image_rows() == before


@pytest.mark.parametrize("plugin", PLUGINS, ids=_name)
async def test_another_users_entity_is_not_found(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> None:
    # given another user's work (a draft, and one published)
    owner, intruder = await make_user(), await make_user()
    work = await plugin.start_session(viewer=owner.principal, seed_text="")
    target = plugin.cover_slot(work.work_id)
    before = await image_rows()
    # when the intruder asks for its cover, or for an image of one of its parts
    attempts = [
        await cover(gql, intruder.access_token, _name(plugin), work.work_id, "a moon"),
        await generate(
            gql,
            intruder.access_token,
            prompt="a moon",
            entityKind=target.entity_kind,
            entityId=target.entity_id,
            slot=target.slot,
        ),
    ]
    for part in plugin.example_images(work_id=work.work_id, draft=plugin.example_draft()):
        attempts.append(
            await generate(
                gql,
                intruder.access_token,
                prompt="a moon",
                entityKind=part.entity_kind,
                entityId=part.entity_id,
                slot=part.slot,
            )
        )
    # then every attempt is NOT_FOUND, with no task queued and no quota used
    for result in attempts:
        assert [error["extensions"]["code"] for error in result["errors"]] == ["NOT_FOUND"]
    assert await image_rows() == before


async def test_an_unknown_entity_is_not_found(gql: GraphQLClient) -> None:
    owner = await make_user()
    before = await image_rows()
    result = await generate(
        gql,
        owner.access_token,
        prompt="a moon",
        entityKind="puzzle_work",
        entityId="nope",
        slot="cover",
    )
    assert [error["extensions"]["code"] for error in result["errors"]] == ["NOT_FOUND"]
    assert await image_rows() == before
