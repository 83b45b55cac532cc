"""What a custom-world agent session records (docs/worlds.md): a checkpoint per applied
turn, and draft cards whose links follow the draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.worlds import CustomWorldAgentSession
from tests.factories.auth import make_user
from tests.factories.worlds import create_session, talk
from tests.fixtures import GraphQLClient

CHECKPOINTS = "query($s: ID!) { customWorldAgentSession(sessionId: $s) { checkpoints } }"


def _expected_links(draft: dict[str, Any]) -> dict[str, list[str]]:
    """The links docs/worlds.md gives each card, computed from the typed draft."""
    links: dict[str, list[str]] = {}
    for character in draft["characters"]:
        home = [character["homePlaceId"]] if character["homePlaceId"] else []
        chapters = [c["id"] for c in draft["chapters"] if character["id"] in c["characterIds"]]
        links[character["id"]] = list(dict.fromkeys(home + chapters))
    for place in draft["places"]:
        residents = [c["id"] for c in draft["characters"] if c["homePlaceId"] == place["id"]]
        chapters = [c["id"] for c in draft["chapters"] if place["id"] in c["placeIds"]]
        links[place["id"]] = list(dict.fromkeys(residents + chapters))
    for chapter in draft["chapters"]:
        links[chapter["id"]] = list(dict.fromkeys(chapter["characterIds"] + chapter["placeIds"]))
    return links


async def test_agent_session_checkpoints_are_written_per_turn_and_read_back(
    gql: GraphQLClient,
) -> None:
    # given a session
    user = await make_user()
    created = await create_session(gql, user.access_token, "A sunken empire")
    session_id = created["session"]["sessionId"]
    before = datetime.now().astimezone()
    # when two turns are applied
    await talk(gql, user.access_token, session_id, "Let's build it.")
    await talk(gql, user.access_token, session_id, "player: Kael - an exiled knight")
    after = datetime.now().astimezone()
    # then the session holds one checkpoint per turn, read back as stored
    shown = await gql.execute(CHECKPOINTS, {"s": session_id}, token=user.access_token)
    checkpoints = shown["data"]["customWorldAgentSession"]["checkpoints"]
    assert [(c["turn"], c["draftChanged"]) for c in checkpoints] == [(1, True), (2, True)]
    times = [datetime.fromisoformat(c["at"]) for c in checkpoints]
    assert before <= times[0] <= times[1] <= after
    stored = (
        await CustomWorldAgentSession.select(CustomWorldAgentSession.checkpoints_json)
        .where(CustomWorldAgentSession.session_id == session_id)
        .output(load_json=True)
    )
    assert stored == [{"checkpoints_json": checkpoints}]


async def test_draft_cards_link_the_elements_the_draft_connects(gql: GraphQLClient) -> None:
    # given a world the agent drafted
    user = await make_user()
    created = await create_session(gql, user.access_token, "A sunken empire")
    session_id = created["session"]["sessionId"]
    found = await talk(gql, user.access_token, session_id, "Let's build it.")
    draft = found["worldDraft"]
    # then every card (its id is its element's) links exactly what its element connects
    expected = _expected_links(draft)
    linked = {card["cardId"]: card["linkedIds"] for card in found["cards"]}
    assert linked == expected
    assert any(links for links in expected.values())
