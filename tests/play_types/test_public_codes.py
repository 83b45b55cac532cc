"""Public work codes: the unique index decides, with a bounded retry (both engines)."""

from __future__ import annotations

import asyncio

import pytest

from db.tables.puzzle import PuzzleWorkProfile
from resolvers.errors import DomainError
from resolvers.play_types import public_codes
from resolvers.play_types.contract import PlaySession, PlayTypePlugin
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.fixtures import GraphQLClient


async def _a_taken_code_and_a_ready_work(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> tuple[TestUser, str, PlaySession]:
    """An owner, the public code of their published work, and their second, ready work."""
    owner = await make_user()
    first = await ready_work(plugin, gql, owner)
    published = await plugin.publish(viewer=owner.principal, work_id=first.work_id)
    return owner, str(published.public_work_code), await ready_work(plugin, gql, owner)


async def test_a_colliding_code_is_retried_inside_the_publication(
    plugin: PlayTypePlugin, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a published work, and a generator that first repeats that work's code
    owner, taken, second = await _a_taken_code_and_a_ready_work(plugin, gql)
    fresh = plugin.public_code_prefix + "Z" * plugin.public_code_length
    codes = iter([taken, taken, fresh])
    monkeypatch.setattr(public_codes, "new_public_code", lambda prefix, length: next(codes))
    # when the second work is published
    work = await plugin.publish(viewer=owner.principal, work_id=second.work_id)
    # then the collisions were rolled back and the third code taken
    assert work.public_work_code == fresh


async def test_five_collisions_refuse_the_publication_and_write_nothing(
    plugin: PlayTypePlugin, gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a published work, and a generator that only repeats its code
    owner, taken, second = await _a_taken_code_and_a_ready_work(plugin, gql)
    calls: list[str] = []

    def always_taken(prefix: str, length: int) -> str:
        calls.append(prefix)
        return taken

    monkeypatch.setattr(public_codes, "new_public_code", always_taken)
    # when the second work is published
    with pytest.raises(public_codes.PublicCodeExhausted):
        await plugin.publish(viewer=owner.principal, work_id=second.work_id)
    # then it tried five codes and the work is still an unpublished draft
    assert len(calls) == public_codes.MAX_ATTEMPTS == 5
    blockers = await plugin.blockers(viewer=owner.principal, work_id=second.work_id)
    assert blockers == []
    with pytest.raises(DomainError) as again:
        await plugin.update(viewer=owner.principal, work_id=second.work_id)
    assert again.value.code.value == "NOT_PUBLISHED"


async def test_concurrent_first_publications_of_many_works_get_distinct_codes(
    gql: GraphQLClient,
) -> None:
    # given eight ready puzzle works
    from resolvers.puzzle.plugin import PUZZLE

    owner = await make_user()
    works = [await ready_work(PUZZLE, gql, owner) for _ in range(8)]
    # when all are published at once
    published = await asyncio.gather(
        *(PUZZLE.publish(viewer=owner.principal, work_id=work.work_id) for work in works)
    )
    # then each has its own code, stored
    codes = {work.public_work_code for work in published}
    assert len(codes) == 8
    stored = await PuzzleWorkProfile.select(PuzzleWorkProfile.public_work_code)
    assert {row["public_work_code"] for row in stored} == codes
