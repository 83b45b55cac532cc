"""The square-hole form and agent: a session starts from a seed with its draft work at once,
autosave stores seed, config and draft (validated: an invalid draft writes nothing), an
agent reply that is not a valid draft keeps the previous one with a warning, and the lists
cost a constant number of SQL statements."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

import schema.build  # noqa: F401
from db.tables.square_hole import SquareHoleAgentSession, SquareHoleWorkProfile
from resolvers.square_hole.plugin import SQUARE_HOLE
from tests.factories import square_hole
from tests.factories.auth import make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient
from tests.providers.fake_openai import API_KEY, FakeProvider, running_provider

WORKS = """
query($first: Int) { viewer { squareHoleWorks(first: $first) { edges { cursor node {
  workId title coverUrl publicationStatus publishReady twistRule shapeCount
  publishBlockers { code } author { displayName } config { rules { shape } } } }
  pageInfo { hasNextPage endCursor } } } }
"""
SESSIONS = """
query($first: Int) { viewer { squareHoleSessions(first: $first) { edges { node {
  sessionId squareHoleStage squareHoleDraft { title } work { workId publishReady } } } } } }
"""


@pytest.fixture
async def provider(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeProvider]:
    """The fake OpenAI-compatible provider, set before the app builds its worker."""
    from settings import get_settings

    async with running_provider() as state:
        monkeypatch.setenv("GENERATION_BACKEND", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", state.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
        monkeypatch.setenv("OPENAI_MODEL", "test-model")
        get_settings.cache_clear()
        yield state


async def test_a_session_starts_from_a_seed_with_its_draft_work(gql: GraphQLClient) -> None:
    # given a signed-in creator
    user = await make_user("ana")
    # when they start a session from a seed
    started = await square_hole.start(gql, user.access_token, "  Shapes of the kitchen ")
    # then the session holds the seed, an empty draft and config, collecting anchors
    session = started["session"]
    assert (session["seedText"], session["stage"], session["progress"], session["draft"]) == (
        "Shapes of the kitchen",
        "collecting_anchors",
        0,
        None,
    )
    assert session["config"]["rules"] == [] and session["publishedWorkId"] is None
    # and its draft work is in their list at once, blocked
    listed = await gql.execute(WORKS, token=user.access_token)
    (edge,) = listed["data"]["viewer"]["squareHoleWorks"]["edges"]
    assert edge["node"] == {
        "workId": started["work"]["workId"],
        "title": "",
        "coverUrl": None,
        "publicationStatus": "DRAFT",
        "publishReady": False,
        "twistRule": "",
        "shapeCount": 0,
        "publishBlockers": [
            {"code": "TITLE_MISSING"},
            {"code": "COVER_MISSING"},
            {"code": "TWIST_RULE_MISSING"},
            {"code": "NO_HOLES"},
            {"code": "NO_RULES"},
            {"code": "SHAPE_COUNT_INVALID"},
        ],
        "author": {"displayName": "ana"},
        "config": {"rules": []},
    }


async def test_autosave_stores_seed_config_and_draft_and_the_card_follows(
    gql: GraphQLClient,
) -> None:
    # given an open session
    user = await make_user()
    started = await square_hole.start(gql, user.access_token)
    session_id = started["session"]["sessionId"]
    # when the form autosaves a seed and the whole draft
    saved = await square_hole.autosave(
        gql, user.access_token, session_id, seed_text="Toys", draft=square_hole.draft_input()
    )
    # then the session holds both, its config column the draft's config
    assert saved["errors"] == []
    example = SQUARE_HOLE.example_draft()
    row = (
        await SquareHoleAgentSession.select(
            SquareHoleAgentSession.seed_text,
            SquareHoleAgentSession.config_json,
            SquareHoleAgentSession.draft_json,
            SquareHoleAgentSession.stage,
        )
        .output(load_json=True)
        .first()
    )
    assert row == {
        "seed_text": "Toys",
        "config_json": example["config"],
        "draft_json": example,
        "stage": "collecting_anchors",
    }
    # and the draft work's card follows the draft
    card = (
        await SquareHoleWorkProfile.select(
            SquareHoleWorkProfile.game_name,
            SquareHoleWorkProfile.twist_rule,
            SquareHoleWorkProfile.shape_count,
            SquareHoleWorkProfile.difficulty,
            SquareHoleWorkProfile.tags_json,
        )
        .output(load_json=True)
        .first()
    )
    assert card == {
        "game_name": "Everything Fits",
        "twist_rule": "Every shape fits the square hole.",
        "shape_count": 3,
        "difficulty": 2,
        "tags_json": ["toys", "twist"],
    }
    assert [b["code"] for b in saved["work"]["publishBlockers"]] == ["COVER_MISSING"]


@pytest.mark.parametrize(
    "draft",
    [
        square_hole.draft_input(shapeCount=31),
        square_hole.draft_input(difficulty=0),
        square_hole.draft_input(
            config={
                **SQUARE_HOLE.example_draft()["config"],
                "rules": [{"shape": "*", "hole": "square", "accepts": True, "points": 1001}],
            }
        ),
        square_hole.draft_input(
            config={
                **SQUARE_HOLE.example_draft()["config"],
                "shapes": [{"shapeId": "a", "name": ""}, {"shapeId": "a", "name": ""}],
            }
        ),
        square_hole.draft_input(
            config={**SQUARE_HOLE.example_draft()["config"], "holes": [{"holeId": "Big Hole"}]}
        ),
    ],
    ids=["shape-count", "difficulty", "points", "duplicate-shapes", "hole-id"],
)
async def test_an_invalid_draft_is_refused_and_writes_nothing(
    gql: GraphQLClient, draft: dict[str, Any]
) -> None:
    # given a ready work
    user = await make_user()
    started = await ready_work(SQUARE_HOLE, gql, user)
    before = await every_table()
    # when the form autosaves an invalid draft
    refused = await square_hole.autosave(gql, user.access_token, started.session_id, draft=draft)
    # then DRAFT_INVALID, and nothing changed
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("DRAFT_INVALID", "draft")]
    assert await every_table() == before


def _json_reply(title: str, points: int = 10) -> str:
    draft = {**SQUARE_HOLE.example_draft(), "title": title}
    draft["config"] = {
        **draft["config"],
        "rules": [{"shape": "*", "hole": "square", "accepts": True, "points": points}],
    }
    return json.dumps({"reply": "Here is your game.", "draft": draft})


async def test_a_json_agent_sets_the_draft_and_bad_replies_keep_it_with_a_warning(
    provider: FakeProvider, gql: GraphQLClient
) -> None:
    # given a session whose agent is an OpenAI-compatible model
    provider.scripted = [
        _json_reply("Fits"),
        "Sorry, no JSON today.",
        _json_reply("Too many points", points=5000),
    ]
    user = await make_user()
    started = await square_hole.start(gql, user.access_token, "Kitchen shapes")
    session_id = started["session"]["sessionId"]
    # when the model answers with a valid draft
    found = await square_hole.turn(gql, user.access_token, session_id, "Make it")
    # then the draft is the model's, and the config column follows
    assert '"twistRule"' in provider.prompts[0] and "Kitchen shapes" in provider.prompts[0]
    kept = found["squareHoleDraft"]
    assert (kept["title"], kept["twistRule"]) == ("Fits", "Every shape fits the square hole.")
    assert (found["squareHoleStage"], found["progress"]) == ("DRAFT_READY", 100)
    assert found["config"] == kept["config"]
    # when it answers with prose, then with a draft the model refuses (points over 1000)
    for text, reason in [("More", "not valid JSON"), ("Bigger", "draft was invalid")]:
        found = await square_hole.turn(gql, user.access_token, session_id, text)
        # then the previous draft and config are kept, and the turn says why
        assert (found["squareHoleDraft"], found["config"]) == (kept, kept["config"])
        warning = found["latestOperation"]["warningMessage"]
        assert reason in warning and "previous draft was kept" in warning
        assert found["messages"]["nodes"][-1]["kind"] == "WARNING"


async def _statements(gql: GraphQLClient, count_statements: Any, token: str, query: str) -> int:
    with count_statements() as counter:
        result = await gql.execute(query, {"first": 50}, token=token)
    assert "errors" not in result, result
    return int(counter.count)


async def test_the_lists_cost_the_same_for_two_works_or_six(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a creator with a draft and a published work
    user = await make_user()

    async def add(count: int) -> None:
        for number in range(count):
            started = await ready_work(SQUARE_HOLE, gql, user)
            if number % 2 == 0:
                await SQUARE_HOLE.publish(viewer=user.principal, work_id=started.work_id)

    await add(2)
    two_works = await _statements(gql, count_statements, user.access_token, WORKS)
    two_sessions = await _statements(gql, count_statements, user.access_token, SESSIONS)
    # when they have six, three of them published
    await add(4)
    six_works = await _statements(gql, count_statements, user.access_token, WORKS)
    six_sessions = await _statements(gql, count_statements, user.access_token, SESSIONS)
    # then a page costs the same number of statements whatever it holds
    listed = await gql.execute(WORKS, {"first": 50}, token=user.access_token)
    assert len(listed["data"]["viewer"]["squareHoleWorks"]["edges"]) == 6
    assert (six_works, six_sessions) == (two_works, two_sessions)
