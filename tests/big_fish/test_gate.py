"""The big-fish publish gate: what it blocks, and that every evaluation is recorded as an
event, a refused publication included (and nothing else written)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from db.tables.big_fish import BigFishCreationSession, BigFishEvent
from resolvers.big_fish.drafts import BigFishDraft
from resolvers.big_fish.errors import BigFishPublishBlocked
from resolvers.big_fish.gate import blockers
from resolvers.big_fish.plugin import BIG_FISH
from tests.big_fish.graph import EVENTS
from tests.factories.auth import make_user
from tests.factories.gallery import read_model
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket


def _codes(draft: dict[str, Any]) -> list[str]:
    found = blockers(BigFishDraft.model_validate(draft), {})
    return [blocker.code.value for blocker in found if blocker.field != "assets"]


def test_the_game_rules_of_the_gate() -> None:
    # given the example draft broken one way at a time
    ready = BIG_FISH.example_draft()
    shrunk = {**ready, "levels": [{**ready["levels"][0], "size": 2.0}, *ready["levels"][1:]]}
    starved = {**ready, "levels": [{**ready["levels"][0], "count": 0}, *ready["levels"][1:]]}
    # when the gate reads each (no images bound), then
    assert _codes(ready) == ["COVER_MISSING"]
    assert _codes({**ready, "title": ""}) == ["TITLE_MISSING", "COVER_MISSING"]
    assert _codes({**ready, "levels": ready["levels"][:1], "growthThresholds": []}) == [
        "COVER_MISSING",
        "TOO_FEW_LEVELS",
    ]
    assert _codes(shrunk) == ["COVER_MISSING", "SIZES_NOT_ASCENDING"]
    assert _codes({**ready, "growthThresholds": [4.0, 1.2]}) == [
        "COVER_MISSING",
        "THRESHOLDS_INVALID",
    ]
    assert _codes(starved) == ["COVER_MISSING", "NOTHING_TO_EAT"]
    assert _codes({**ready, "winSize": 100.0}) == ["COVER_MISSING", "WIN_SIZE_UNREACHABLE"]
    assert _codes({**ready, "playerLevel": 5}) == ["COVER_MISSING", "PLAYER_LEVEL_INVALID"]


async def test_a_blocked_publication_records_its_evaluation_and_publishes_nothing(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given alice's complete draft without a cover or sprites
    alice = await make_user()
    started = await BIG_FISH.start_session(viewer=alice.principal, seed_text="reef")
    await BIG_FISH.autosave(
        viewer=alice.principal,
        session_id=started.session_id,
        seed_text=None,
        draft=BIG_FISH.example_draft(),
    )
    # when she publishes
    with pytest.raises(BigFishPublishBlocked) as refused:
        await BIG_FISH.publish(viewer=alice.principal, work_id=started.work_id)
    # then the blockers name the cover and all six sprites, the evaluation is one event
    missing = [b.part_id for b in refused.value.blockers if b.code.value == "ASSET_MISSING"]
    assert refused.value.blockers[0].code.value == "COVER_MISSING"
    assert missing == [
        "background",
        "fish:shrimp",
        "fish:perch",
        "fish:shark",
        "motion:swim",
        "motion:eat",
    ]
    events = await BigFishEvent.select().output(load_json=True)
    assert [(e["event_kind"], e["publish_ready"], len(e["blockers_json"])) for e in events] == [
        ("publish_gate_evaluated", False, 7)
    ]
    # and nothing was published
    session = await BigFishCreationSession.select().first()
    assert session is not None
    assert (session["publication_status"], session["public_work_code"]) == ("draft", None)
    assert session["publish_ready"] is False
    assert await read_model(started.work_id, BIG_FISH.play_type) is None
    # and the event reaches her live on `bigFishEvents` when the gate runs again
    async with graphql_socket(client, alice.access_token) as ws:
        await ws.subscribe(EVENTS, {"s": started.session_id, "a": 1})
        await gql.execute(
            "mutation($s: ID!) { bigFishGateEvaluate(sessionId: $s) { publishReady } }",
            {"s": started.session_id},
            token=alice.access_token,
        )
        (payload,) = await ws.next_payloads(1)
    event = payload["data"]["bigFishEvents"]
    assert (event["sequence"], event["publishReady"], len(event["blockers"])) == (2, False, 7)
