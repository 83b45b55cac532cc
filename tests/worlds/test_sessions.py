"""Agent sessions: the draft work appears at once, autosave, card edits and the gate."""

from __future__ import annotations

from typing import Any

from db.tables.worlds import CustomWorldAgentSession, CustomWorldDraftCard, CustomWorldProfile
from tests.factories.auth import make_user
from tests.factories.worlds import (
    AUTOSAVE,
    CARD_UPDATE,
    create_session,
    my_worlds,
    session,
    talk,
)
from tests.fixtures import GraphQLClient

ANCHORS = [
    "PREMISE",
    "TONE",
    "SETTING",
    "RULES",
    "FACTIONS",
    "PLAYER_ROLE",
    "CONFLICT",
    "STAKES",
]


def _codes(gate: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(b["code"], b["anchor"]) for b in gate["blockers"]]


async def test_a_new_session_shows_its_draft_work_at_once(gql: GraphQLClient) -> None:
    # given a creator
    user = await make_user()
    # when they start a session with a seed
    created = await create_session(gql, user.access_token, "  A drowned empire rises.  ")
    # then the session collects anchors, with the seed as its premise
    found = await session(gql, user.access_token, created["session"]["sessionId"])
    assert (found["stage"], found["agentStage"], found["seedText"], found["currentTurn"]) == (
        "collecting_anchors",
        "COLLECTING_ANCHORS",
        "A drowned empire rises.",
        0,
    )
    assert [(a["key"], a["text"]) for a in found["anchors"]][:2] == [
        ("PREMISE", "A drowned empire rises."),
        ("TONE", None),
    ]
    assert [m["role"] for m in found["messages"]["nodes"]] == ["ASSISTANT"]
    # and its gate names every blocker: the name, seven anchors, the cast, a place, the cover
    assert _codes(found["publishGate"]) == [
        ("WORLD_NAME_MISSING", None),
        *[("ANCHOR_MISSING", key) for key in ANCHORS[1:]],
        ("NO_PLAYABLE_CHARACTER", None),
        ("NO_LANDMARK", None),
        ("COVER_MISSING", None),
    ]
    assert found["publishGate"]["ready"] is False
    # and the draft work is already in the creator's works: no cover, a draft, not ready
    assert (created["work"]["coverUrl"], created["work"]["publishReady"]) == (None, False)
    assert await my_worlds(gql, user.access_token) == [
        {
            "workId": created["session"]["profileId"],
            "title": "",
            "publicationStatus": "DRAFT",
            "coverUrl": None,
            "publicWorkCode": None,
            "playableNpcCount": 0,
            "landmarkCount": 0,
        }
    ]


async def test_autosave_reuses_the_seed_and_draft_and_reruns_the_gate(gql: GraphQLClient) -> None:
    user = await make_user()
    created = await create_session(gql, user.access_token)
    session_id = created["session"]["sessionId"]
    # when form fields are autosaved
    result = await gql.execute(
        AUTOSAVE,
        {
            "i": {
                "sessionId": session_id,
                "seedText": "Lantern city",
                "worldName": "Lanternreach",
                "anchors": [{"key": key, "text": f"The {key.lower()}."} for key in ANCHORS],
            }
        },
        token=user.access_token,
    )
    payload = result["data"]["customWorldAgentSessionAutosave"]
    # then the seed and draft hold them, and only the cast, place and cover block
    assert payload["errors"] == []
    assert payload["session"]["seedText"] == "Lantern city"
    assert payload["session"]["worldDraft"] == {"worldName": "Lanternreach"}
    assert payload["session"]["stage"] == "drafting"
    assert _codes(payload["publishGate"]) == [
        ("NO_PLAYABLE_CHARACTER", None),
        ("NO_LANDMARK", None),
        ("COVER_MISSING", None),
    ]
    assert [w["title"] for w in await my_worlds(gql, user.access_token)] == ["Lanternreach"]
    # when an anchor is cleared
    cleared = await gql.execute(
        AUTOSAVE,
        {"i": {"sessionId": session_id, "anchors": [{"key": "STAKES", "text": "  "}]}},
        token=user.access_token,
    )
    # then the gate names it
    gate = cleared["data"]["customWorldAgentSessionAutosave"]["publishGate"]
    assert _codes(gate)[0] == ("ANCHOR_MISSING", "STAKES")


async def test_invalid_autosave_writes_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    created = await create_session(gql, user.access_token, "Seed")
    session_id = created["session"]["sessionId"]
    before = await CustomWorldAgentSession.select().where(
        CustomWorldAgentSession.session_id == session_id
    )
    # when a too-long name comes with a valid seed change
    result = await gql.execute(
        AUTOSAVE,
        {"i": {"sessionId": session_id, "seedText": "Changed", "worldName": "x" * 41}},
        token=user.access_token,
    )
    # then it is refused and nothing changed
    assert result["data"]["customWorldAgentSessionAutosave"]["errors"] == [
        {
            "code": "NAME_INVALID",
            "field": "worldName",
            "message": "`worldName` takes at most 40 characters.",
        }
    ]
    after = await CustomWorldAgentSession.select().where(
        CustomWorldAgentSession.session_id == session_id
    )
    assert after == before


async def test_card_edits_rerun_the_gate_and_survive_agent_turns(gql: GraphQLClient) -> None:
    user = await make_user()
    created = await create_session(gql, user.access_token, "Salt towns")
    session_id = created["session"]["sessionId"]
    drafted = await talk(gql, user.access_token, session_id, "Make it bleak.")
    playable = [c for c in drafted["worldDraft"]["characters"] if c["playable"]]
    assert len(playable) == 1
    hero = playable[0]["id"]
    # when the only playable character is made not playable
    result = await gql.execute(
        CARD_UPDATE,
        {"i": {"cardId": hero, "playable": False, "summary": "Retired."}},
        token=user.access_token,
    )
    payload = result["data"]["draftCardUpdate"]
    # then the card is EDITED and the gate names the missing playable character
    assert payload["errors"] == []
    assert (payload["card"]["status"], payload["card"]["summary"]) == ("EDITED", "Retired.")
    assert payload["card"]["detail"]["playable"] is False
    assert _codes(payload["publishGate"]) == [
        ("NO_PLAYABLE_CHARACTER", None),
        ("COVER_MISSING", None),
    ]
    # when the agent answers again, the edited card is kept as it is
    later = await talk(gql, user.access_token, session_id, "Add a chapter.")
    kept = next(c for c in later["worldDraft"]["characters"] if c["id"] == hero)
    assert (kept["playable"], kept["status"]) == (False, "EDITED")
    assert len(later["worldDraft"]["chapters"]) == len(drafted["worldDraft"]["chapters"]) + 1
    # and a chapter cannot be made playable (nothing written)
    chapter = later["worldDraft"]["chapters"][0]["id"]
    refused = await gql.execute(
        CARD_UPDATE, {"i": {"cardId": chapter, "playable": True}}, token=user.access_token
    )
    assert refused["data"]["draftCardUpdate"]["errors"][0]["code"] == ("CARD_FIELD_INVALID")
    card = await CustomWorldDraftCard.select(CustomWorldDraftCard.status).where(
        CustomWorldDraftCard.card_id == chapter
    )
    assert card == [{"status": "generated"}]
    assert await CustomWorldProfile.count() == 1
