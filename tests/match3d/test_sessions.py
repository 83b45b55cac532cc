"""The Match3D form and its agent: a session from a seed makes a draft work at once,
autosave validates the typed draft (item counts in threes, stable item ids), agent turns
derive or parse the draft (an unusable reply keeps it with a warning), the work's
generated item assets survive every write, and lists cost a constant number of
statements."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

import schema.build  # noqa: F401
from db.tables.match3d import Match3dAgentSession, Match3dWorkProfile
from tests.factories import match3d
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.providers.fake_openai import API_KEY, FakeProvider, running_provider

WORKS = """
query($first: Int, $after: String) { viewer { match3dWorks(first: $first, after: $after) {
  edges { cursor node { workId title coverUrl publicationStatus publishReady tags clearCount
    items { name cutImageUrl } publishBlockers { code } author { displayName } } }
  pageInfo { hasNextPage endCursor } } } }
"""
SESSIONS = """
query($first: Int, $after: String) { viewer { match3dSessions(first: $first, after: $after) {
  nodes { sessionId stage match3dDraft { items { name count } }
    messages(first: 5) { nodes { role text } } latestOperation { status }
    work { workId title publishReady } }
  pageInfo { hasNextPage endCursor } } } }
"""
ASSETS = [
    {"itemId": "teacup", "cutImageSrc": "/assets/objects/A1", "modelSrc": "/models/cup.glb"},
    {"itemId": "key", "cutImageSrc": "/assets/objects/A2", "modelObjectKey": "models/key.glb"},
]


async def test_a_session_from_a_seed_makes_a_draft_work_at_once(gql: GraphQLClient) -> None:
    # given a signed-in creator / when they start a session from a seed
    user = await make_user("mei")
    started = await match3d.start(gql, user.access_token, "Grandma's attic")
    # then the session holds the seed, collecting anchors, with an empty config
    session = started["session"]
    assert (session["seedText"], session["stage"], session["match3dStage"]) == (
        "Grandma's attic",
        "collecting_anchors",
        "COLLECTING_ANCHORS",
    )
    assert (session["progress"], session["draft"], session["publishedWorkId"]) == (0, None, None)
    # and its draft work is among their works: no cover, not publish-ready
    works = await gql.execute(WORKS, token=user.access_token)
    (edge,) = works["data"]["viewer"]["match3dWorks"]["edges"]
    assert edge["node"] == {
        "workId": started["work"]["workId"],
        "title": "",
        "coverUrl": None,
        "publicationStatus": "DRAFT",
        "publishReady": False,
        "tags": [],
        "clearCount": 0,
        "items": [],
        "publishBlockers": [
            {"code": "TITLE_MISSING"},
            {"code": "COVER_MISSING"},
            {"code": "TOO_FEW_ITEMS"},
        ],
        "author": {"displayName": "mei"},
    }


async def test_autosave_validates_the_draft_and_keeps_item_ids(gql: GraphQLClient) -> None:
    # given a session with a saved draft
    user = await make_user()
    started = await match3d.start(gql, user.access_token, "Attic")
    session_id = started["session"]["sessionId"]
    saved = await match3d.autosave(gql, user.access_token, session_id, draft=match3d.draft())
    assert saved["errors"] == []
    ids = {item["name"]: item["itemId"] for item in saved["session"]["match3dDraft"]["items"]}
    assert saved["session"]["config"]["clearCount"] == 4
    assert saved["work"]["clearCount"] == 4 and saved["work"]["title"] == "Attic"
    assert [item["imageSlot"] for item in saved["session"]["match3dDraft"]["items"]] == [
        f"item:{ids[name]}" for name in ("Teacup", "Lantern", "Button", "Key")
    ]
    # when the items are reordered by name only (no ids sent)
    reordered = match3d.draft(items=match3d.items("Key", "Button", "Lantern", "Teacup"))
    again = await match3d.autosave(gql, user.access_token, session_id, draft=reordered)
    # then each item kept its id (and so its image slot)
    assert [i["itemId"] for i in again["session"]["match3dDraft"]["items"]] == [
        ids["Key"],
        ids["Button"],
        ids["Lantern"],
        ids["Teacup"],
    ]
    # and a draft with a count that is not a multiple of three is refused, writing nothing
    before = await Match3dAgentSession.select().output(load_json=True).first()
    card = await Match3dWorkProfile.select().output(load_json=True).first()
    bad = match3d.draft(items=[{"name": "Odd", "count": 4}])
    refused = await match3d.autosave(gql, user.access_token, session_id, draft=bad)
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("DRAFT_INVALID", "draft")]
    assert "multiple of 3" in refused["errors"][0]["message"]
    assert await Match3dAgentSession.select().output(load_json=True).first() == before
    assert await Match3dWorkProfile.select().output(load_json=True).first() == card


async def _assets_of(work_id: str) -> Any:
    row = await Match3dWorkProfile.select(Match3dWorkProfile.generated_item_assets_json).where(
        Match3dWorkProfile.profile_id == work_id
    )
    value = row[0]["generated_item_assets_json"]
    return orjson.loads(value) if isinstance(value, str | bytes) else value


async def test_generated_item_assets_survive_autosave_update_and_publish(
    gql: GraphQLClient,
) -> None:
    # given a ready work whose generated item assets were written
    owner = await make_user()
    ready = await match3d.ready_work(gql, owner.access_token)
    work_id, session_id = ready["workId"], ready["sessionId"]
    await Match3dWorkProfile.update(
        {Match3dWorkProfile.generated_item_assets_json: orjson.dumps(ASSETS).decode()}
    ).where(Match3dWorkProfile.profile_id == work_id)
    token = owner.access_token
    renamed = match3d.draft(title="Attic, renamed")
    # when the session autosaves, then the work is published, then updated
    saved = await match3d.autosave(gql, token, session_id, seed_text="again", draft=renamed)
    after_autosave = await _assets_of(work_id)
    published = await match3d.publish(gql, token, work_id)
    after_publish = await _assets_of(work_id)
    updated = await match3d.publish(gql, token, work_id, update=True)
    after_update = await _assets_of(work_id)
    # then each write succeeded and the assets read back unchanged after each
    assert [saved["errors"], published["errors"], updated["errors"]] == [[], [], []]
    assert after_autosave == after_publish == after_update == ASSETS
    # and the author reads them on the graph
    found = await match3d.work(gql, token, work_id)
    assert found["generatedItemAssets"] == ASSETS and found["title"] == "Attic, renamed"


async def test_the_built_in_agent_derives_the_item_set_from_the_conversation(
    gql: GraphQLClient,
) -> None:
    # given a session from a seed
    user = await make_user()
    started = await match3d.start(gql, user.access_token, "A seaside picnic")
    # when the creator talks to the agent
    found = await match3d.turn(gql, user.access_token, started["session"]["sessionId"], "Go")
    # then the reply is in the log and the draft has 4 to 6 named items in threes
    assert [m["role"] for m in found["messages"]["nodes"]] == ["USER", "ASSISTANT"]
    draft = found["match3dDraft"]
    assert 4 <= len(draft["items"]) <= 6
    assert all(item["name"] and item["count"] in (3, 6) for item in draft["items"])
    assert draft["title"] == "A seaside picnic"
    assert draft["clearCount"] == sum(item["count"] for item in draft["items"]) // 3
    assert (found["match3dStage"], found["progress"]) == ("DRAFT_READY", 100)


@pytest.fixture
async def provider(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeProvider]:
    """The fake OpenAI-compatible provider, and settings that send the worker to it."""
    from settings import get_settings

    async with running_provider() as state:
        monkeypatch.setenv("GENERATION_BACKEND", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_MODEL", "test-model")
        get_settings.cache_clear()
        yield state


def _reply(items: list[dict[str, Any]]) -> str:
    draft = {"title": "Picnic", "summary": "By the sea", "theme": "seaside", "items": items}
    return json.dumps({"reply": "Your pile.", "draft": draft})


async def test_a_json_agent_sets_the_draft_and_an_unusable_reply_keeps_it(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    # given a JSON agent that answers well, then with prose, then with a count of 4
    provider.scripted = [
        _reply(match3d.items("Plate", "Cup", "Fork", "Napkin")),
        "Sorry, no JSON today.",
        _reply([{"name": "Plate", "count": 4}]),
    ]
    user = await make_user()
    started = await match3d.start(gql, user.access_token, "Picnic")
    session_id = started["session"]["sessionId"]
    found = await match3d.turn(gql, user.access_token, session_id, "Four items")
    kept = found["match3dDraft"]
    assert [item["name"] for item in kept["items"]] == ["Plate", "Cup", "Fork", "Napkin"]
    assert found["lastAssistantReply"] == "Your pile."
    # when the next replies do not parse / then the draft stays, with a warning each
    for text, reason in [("More", "not valid JSON"), ("Odd", "draft was invalid")]:
        found = await match3d.turn(gql, user.access_token, session_id, text)
        assert found["match3dDraft"] == kept
        warning = found["latestOperation"]["warningMessage"]
        assert reason in warning and "previous draft was kept" in warning
        assert (found["messages"]["nodes"][-1]["role"], found["messages"]["nodes"][-1]["kind"]) == (
            "SYSTEM",
            "WARNING",
        )


async def test_the_lists_cost_the_same_for_one_or_many(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a creator with a ready work, three sessions with an agent turn, and more drafts
    user = await make_user()
    await match3d.ready_work(gql, user.access_token)
    for number in range(3):
        started = await match3d.start(gql, user.access_token, f"Seed {number}")
        await match3d.turn(gql, user.access_token, started["session"]["sessionId"], "Go")

    async def count(query: str, size: int) -> int:
        with count_statements() as counter:
            result = await gql.execute(query, {"first": size}, token=user.access_token)
        assert "errors" not in result, result
        return int(counter.count)

    # when pages of 1 and 4 works or sessions are read / then each costs the same
    assert await count(WORKS, 1) == await count(WORKS, 4)
    assert await count(SESSIONS, 1) == await count(SESSIONS, 4)
    listing = await gql.execute(WORKS, {"first": 4}, token=user.access_token)
    nodes = [edge["node"] for edge in listing["data"]["viewer"]["match3dWorks"]["edges"]]
    assert [node["publishReady"] for node in nodes] == [False, False, False, True]
    assert all(item["cutImageUrl"] for item in nodes[-1]["items"])
