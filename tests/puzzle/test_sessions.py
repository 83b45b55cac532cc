"""The puzzle form: the entry creates an empty session and its draft work at once, autosave
reuses the session's seed and draft (validated on every write), and lists cost a constant
number of statements."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from db.tables.puzzle import PuzzleAgentSession, PuzzleWorkProfile
from tests.factories import puzzle
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

WORKS = """
query($first: Int, $after: String) { viewer { puzzleWorks(first: $first, after: $after) {
  edges { cursor node { workId title coverUrl publicationStatus publishReady tags
    levels { name gridSize imageUrl } publishBlockers { code } author { displayName } } }
  pageInfo { hasNextPage endCursor } } } }
"""


async def test_the_form_entry_creates_an_empty_session_and_a_draft_work_at_once(
    gql: GraphQLClient,
) -> None:
    # given a signed-in creator
    user = await make_user("mei")
    # when they open the puzzle form
    started = await puzzle.start(gql, user.access_token)
    # then an empty session exists, collecting anchors
    session = started["session"]
    assert (session["seedText"], session["stage"], session["puzzleStage"]) == (
        "",
        "collecting_anchors",
        "COLLECTING_ANCHORS",
    )
    assert (session["progress"], session["currentTurn"], session["draft"]) == (0, 0, None)
    assert session["messages"]["nodes"] == [] and session["latestOperation"] is None
    # and its draft work is among their works: no cover, not publish-ready
    works = await gql.execute(WORKS, token=user.access_token)
    (edge,) = works["data"]["viewer"]["puzzleWorks"]["edges"]
    assert edge["node"] == {
        "workId": started["work"]["workId"],
        "title": "",
        "coverUrl": None,
        "publicationStatus": "DRAFT",
        "publishReady": False,
        "tags": [],
        "levels": [],
        "publishBlockers": [
            {"code": "TITLE_MISSING"},
            {"code": "COVER_MISSING"},
            {"code": "NO_LEVELS"},
        ],
        "author": {"displayName": "mei"},
    }
    assert started["work"]["sessionId"] == session["sessionId"]


async def test_autosave_reuses_the_seed_and_draft_and_the_card_follows(gql: GraphQLClient) -> None:
    # given an open form
    user = await make_user()
    started = await puzzle.start(gql, user.access_token)
    session_id = started["session"]["sessionId"]
    # when the form autosaves a seed, then a draft
    await puzzle.autosave(gql, user.access_token, session_id, seed_text="  Autumn maples ")
    saved = await puzzle.autosave(
        gql,
        user.access_token,
        session_id,
        draft={
            "title": "Maples",
            "tags": ["autumn", "autumn", "leaves"],
            "levels": puzzle.levels(3, None, names=["Red", ""]),
        },
    )
    # then the session keeps both in seed_text / draft_json, and its stage does not move
    assert saved["errors"] == []
    session = saved["session"]
    assert session["seedText"] == "Autumn maples"
    assert session["stage"] == "collecting_anchors"
    draft = session["puzzleDraft"]
    assert (draft["title"], draft["tags"]) == ("Maples", ["autumn", "leaves"])
    assert [(lv["name"], lv["gridSize"]) for lv in draft["levels"]] == [("Red", 3), ("", None)]
    stored = (
        await PuzzleAgentSession.select(PuzzleAgentSession.seed_text, PuzzleAgentSession.draft_json)
        .output(load_json=True)
        .first()
    )
    assert stored is not None and stored["seed_text"] == "Autumn maples"
    assert stored["draft_json"]["levels"][1] == {
        "levelId": draft["levels"][1]["levelId"],
        "name": "",
        "gridSize": None,
    }
    # and the draft work's card shows the draft, still without cover
    work = saved["work"]
    assert (work["title"], work["coverUrl"], work["publishReady"]) == ("Maples", None, False)
    assert [lv["name"] for lv in work["levels"]] == ["Red", ""]
    assert {b["code"] for b in work["publishBlockers"]} == {
        "COVER_MISSING",
        "LEVEL_NAME_MISSING",
        "GRID_SIZE_INVALID",
        "LEVEL_IMAGE_MISSING",
    }
    # when a later autosave keeps a level's id, the level keeps its identity
    kept_id = draft["levels"][0]["levelId"]
    again = await puzzle.autosave(
        gql,
        user.access_token,
        session_id,
        draft={"title": "Maples", "levels": [{"levelId": kept_id, "name": "Red", "gridSize": 5}]},
    )
    assert again["session"]["puzzleDraft"]["levels"] == [
        {"levelId": kept_id, "name": "Red", "gridSize": 5}
    ]


async def test_an_invalid_draft_is_refused_and_writes_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    started = await puzzle.start(gql, user.access_token, "Koi")
    session_id = started["session"]["sessionId"]
    before = await PuzzleAgentSession.select().output(load_json=True).first()
    card_before = await PuzzleWorkProfile.select().output(load_json=True).first()
    invalid: list[dict[str, Any]] = [
        {"levels": puzzle.levels(9)},
        {"levels": puzzle.levels(2)},
        {"levels": puzzle.levels(*([4] * 13))},
        {"title": "x" * 81},
        {"tags": [""]},
        {"levels": [{"levelId": "same", "gridSize": 4}, {"levelId": "same", "gridSize": 5}]},
        {"levels": [{"levelId": "bad id!", "gridSize": 4}]},
    ]
    for draft in invalid:
        refused = await puzzle.autosave(
            gql, user.access_token, session_id, seed_text="changed", draft=draft
        )
        assert refused["errors"][0]["code"] == "DRAFT_INVALID", (draft, refused)
        assert refused["session"] is None
    too_long = await puzzle.autosave(gql, user.access_token, session_id, seed_text="x" * 2001)
    assert too_long["errors"][0]["code"] == "SEED_INVALID"
    assert await PuzzleAgentSession.select().output(load_json=True).first() == before
    assert await PuzzleWorkProfile.select().output(load_json=True).first() == card_before


async def test_the_works_list_pages_newest_first_at_a_constant_cost(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a creator with 30 drafts, the first with a bound cover and images
    user = await make_user()
    first = await puzzle.start(gql, user.access_token, "First")
    await puzzle.autosave(
        gql,
        user.access_token,
        first["session"]["sessionId"],
        draft={"title": "First", "levels": puzzle.levels(4)},
    )
    found = await puzzle.work(gql, user.access_token, first["work"]["workId"])
    await puzzle.bind_everything(gql, user.access_token, found)
    for number in range(29):
        await puzzle.start(gql, user.access_token, f"Draft {number}")

    async def page(size: int, after: str | None = None) -> tuple[int, dict[str, Any]]:
        with count_statements() as counter:
            result = await gql.execute(
                WORKS, {"first": size, "after": after}, token=user.access_token
            )
        assert "errors" not in result, result
        return counter.count, result["data"]["viewer"]["puzzleWorks"]

    # when pages of 1 and 25 works are read
    one, _ = await page(1)
    many, listing = await page(25)
    # then both cost the same few statements
    assert one == many
    assert len(listing["edges"]) == 25 and listing["pageInfo"]["hasNextPage"]
    # and paging walks the whole list once, most recently changed first
    _, rest = await page(25, listing["pageInfo"]["endCursor"])
    ids = [e["node"]["workId"] for e in listing["edges"] + rest["edges"]]
    assert len(ids) == len(set(ids)) == 30 and not rest["pageInfo"]["hasNextPage"]
    assert ids[-1] == first["work"]["workId"]
    last = rest["edges"][-1]["node"]
    assert last["coverUrl"] is not None and last["levels"][0]["imageUrl"] is not None


SESSIONS = """
query($first: Int, $after: String) { viewer { puzzleSessions(first: $first, after: $after) {
  nodes { sessionId stage progress puzzleDraft { levels { name gridSize } }
    messages(first: 5) { nodes { role text } pageInfo { hasNextPage } }
    operations(first: 2) { nodes { status task { status } } }
    latestOperation { status } work { workId title publishReady } }
  pageInfo { hasNextPage endCursor } } } }
"""


async def test_the_sessions_list_with_conversations_costs_the_same_for_one_or_many(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a creator with four sessions that each had an agent turn
    user = await make_user()
    for number in range(4):
        started = await puzzle.start(gql, user.access_token, f"Seed {number}")
        await puzzle.turn(gql, user.access_token, started["session"]["sessionId"], "Go")

    async def page(size: int, after: str | None = None) -> tuple[int, dict[str, Any]]:
        with count_statements() as counter:
            result = await gql.execute(
                SESSIONS, {"first": size, "after": after}, token=user.access_token
            )
        assert "errors" not in result, result
        return counter.count, result["data"]["viewer"]["puzzleSessions"]

    # when pages of 1 and 3 sessions are read with messages, turns, tasks and works
    one, _ = await page(1)
    three, listing = await page(3)
    # then both cost the same, and every session shows its conversation and work
    assert one == three
    for node in listing["nodes"]:
        assert [m["role"] for m in node["messages"]["nodes"]] == ["USER", "ASSISTANT"]
        assert node["operations"]["nodes"] == [
            {"status": "COMPLETED", "task": {"status": "COMPLETED"}}
        ]
        assert node["work"]["title"] and node["stage"] == "draft_ready"
    _, rest = await page(3, listing["pageInfo"]["endCursor"])
    assert len(rest["nodes"]) == 1 and not rest["pageInfo"]["hasNextPage"]
