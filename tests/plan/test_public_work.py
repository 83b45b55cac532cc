"""`publicPuzzleWork` (a public work with its author) through its plan, byte for byte."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import plugin_for
from tests.factories.auth import make_user
from tests.factories.play_types import ready_work
from tests.fixtures import FakeClock, GraphQLClient
from tests.plan.compare import same_bytes
from tests.plan.conftest import graphql_view

PUBLIC = (
    "query($c: String!) { publicPuzzleWork(publicWorkCode: $c) { __typename id workId "
    "playType title summary coverUrl theme tags publicationStatus playCount likeCount "
    "publishedAt plays7d viewerHasLiked author { __typename id publicUserCode displayName "
    "avatarUrl } } }"
)
MIXED = "query($c: String!) { publicPuzzleWork(publicWorkCode: $c) { title levels { name } } }"


async def test_a_public_work_with_its_author_gives_the_same_bytes(
    app: Any,
    gql: GraphQLClient,
    client: httpx.AsyncClient,
    normal_client: httpx.AsyncClient,
    clock: FakeClock,
) -> None:
    # given a published puzzle and a signed-in reader, and a clock that stands still (the
    # cover's signed URL carries its expiry second, which must be the same in both answers)
    plugin = plugin_for(PlayType.PUZZLE)
    assert plugin is not None
    owner = await make_user("puzzler")
    reader = await make_user()
    work = await ready_work(plugin, gql, owner)
    await plugin.publish(viewer=owner.principal, work_id=work.work_id)
    found = await gql.execute(
        "query($w: ID!) { puzzleWork(workId: $w) { publicWorkCode } }",
        {"w": work.work_id},
        token=owner.access_token,
    )
    code = found["data"]["puzzleWork"]["publicWorkCode"]
    view = graphql_view(app)
    served = view.fast_path.served
    # when it is read by its code (and by an unknown code), anonymous and signed in
    for variables in ({"c": code}, {"c": code.lower()}, {"c": "PZNOSUCHCODE"}):
        for token in (None, reader.access_token):
            body = await same_bytes(client, normal_client, PUBLIC, variables, token)
            # then the plan's bytes are the executor's
            if variables["c"] == code:
                assert b'"displayName":"puzzler"' in body
            await same_bytes(client, normal_client, MIXED, variables, token)
    # and the plain selection was served by its plan after its first execution (12 requests
    # on the fast app), the one with levels never
    assert view.fast_path.served - served == 11
