"""The older question-and-answer flow: setting, questions, answers, result or error."""

from __future__ import annotations

from typing import Any

from db.tables.worlds import CustomWorldAgentSession, CustomWorldProfile, CustomWorldSession
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

FIELDS = """
errors { code field message }
session {
  sessionId generationMode status settingText creatorIntent lastErrorMessage
  questions { questionId prompt anchor answer }
  result { worldName anchors { key text } characters { playable } places { name } }
}
"""
CREATE = (
    "mutation($i: CustomWorldSessionCreateInput!) { customWorldSessionCreate(input: $i) { "
    + FIELDS
    + " } }"
)
ANSWER = (
    "mutation($i: CustomWorldSessionAnswerInput!) { customWorldSessionAnswer(input: $i) { "
    + FIELDS
    + " } }"
)
GENERATE = "mutation($s: ID!) { customWorldSessionGenerate(sessionId: $s) { " + FIELDS + " } }"


async def _run(gql: GraphQLClient, token: str, query: str, variables: dict[str, Any]) -> Any:
    result = await gql.execute(query, variables, token=token)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


async def test_a_guided_session_needs_answers_and_records_a_result_or_an_error(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    token = user.access_token
    # when a guided session starts from a setting
    created = await _run(
        gql,
        token,
        CREATE,
        {"i": {"settingText": "  A river of glass.  ", "generationMode": "GUIDED"}},
    )
    session = created["session"]
    # then it asks for the name and four anchors (never the premise: that is the setting)
    questions = session["questions"]
    assert (session["status"], session["settingText"], len(questions)) == (
        "QUESTIONING",
        "A river of glass.",
        5,
    )
    assert questions[0] == {
        "questionId": "name",
        "prompt": "What is the world called?",
        "anchor": None,
        "answer": None,
    }
    assert "PREMISE" not in [q["anchor"] for q in questions]
    # and generating before every answer is refused, writing nothing
    early = await _run(gql, token, GENERATE, {"s": session["sessionId"]})
    assert [e["code"] for e in early["errors"]] == ["ANSWERS_MISSING"]
    # when every question is answered, the name too long for a world
    answers = [
        {"questionId": q["questionId"], "answer": f"Answer {n}"} for n, q in enumerate(questions)
    ]
    answers[0]["answer"] = "N" * 60
    answered = await _run(
        gql, token, ANSWER, {"i": {"sessionId": session["sessionId"], "answers": answers}}
    )
    assert answered["session"]["status"] == "READY"
    # then generating records the error
    failed = await _run(gql, token, GENERATE, {"s": session["sessionId"]})
    assert failed["errors"] == []
    assert failed["session"]["status"] == "FAILED"
    assert failed["session"]["lastErrorMessage"].startswith(
        "The generated world was invalid: world_name: String should have at most 40"
    )
    assert failed["session"]["result"] is None
    # when the name is answered again and it is generated again
    await _run(
        gql,
        token,
        ANSWER,
        {
            "i": {
                "sessionId": session["sessionId"],
                "answers": [{"questionId": "name", "answer": "Glassriver"}],
            }
        },
    )
    done = await _run(gql, token, GENERATE, {"s": session["sessionId"]})
    # then the result is a full draft built from the setting and the answers
    result = done["session"]["result"]
    assert (done["session"]["status"], done["session"]["lastErrorMessage"]) == ("COMPLETED", None)
    assert result["worldName"] == "Glassriver"
    anchors = {a["key"]: a["text"] for a in result["anchors"]}
    assert anchors["PREMISE"] == "A river of glass."
    for question in questions[1:]:
        assert anchors[question["anchor"]] == next(
            a["answer"] for a in answers if a["questionId"] == question["questionId"]
        )
    assert any(c["playable"] for c in result["characters"]) and result["places"]
    # and it takes no more answers or generations; no agent session or work was made
    again = await _run(gql, token, GENERATE, {"s": session["sessionId"]})
    assert [e["code"] for e in again["errors"]] == ["ALREADY_GENERATED"]
    assert await CustomWorldAgentSession.count() == 0
    assert await CustomWorldProfile.count() == 0


async def test_a_quick_session_generates_at_once_and_bad_input_writes_nothing(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    token = user.access_token
    quick = await _run(
        gql, token, CREATE, {"i": {"settingText": "Moth library", "generationMode": "QUICK"}}
    )
    assert quick["session"]["status"] == "READY"
    done = await _run(gql, token, GENERATE, {"s": quick["session"]["sessionId"]})
    assert done["session"]["status"] == "COMPLETED"
    # bad input: an empty setting, an unknown question, an empty answer
    empty = await _run(gql, token, CREATE, {"i": {"settingText": "   "}})
    assert [(e["code"], e["field"]) for e in empty["errors"]] == [
        ("SETTING_INVALID", "settingText")
    ]
    guided = await _run(gql, token, CREATE, {"i": {"settingText": "Dunes"}})
    session_id = guided["session"]["sessionId"]
    before = await CustomWorldSession.select().where(CustomWorldSession.session_id == session_id)
    for answer in ({"questionId": "nope", "answer": "x"}, {"questionId": "name", "answer": " "}):
        refused = await _run(
            gql,
            token,
            ANSWER,
            {
                "i": {
                    "sessionId": session_id,
                    "answers": [{"questionId": "name", "answer": "Ok"}, answer],
                }
            },
        )
        assert [e["code"] for e in refused["errors"]] == ["ANSWER_INVALID"]
    assert (
        await CustomWorldSession.select().where(CustomWorldSession.session_id == session_id)
        == before
    )
    listed = await gql.execute(
        "{ viewer { customWorldSessions { nodes { settingText status } } } }", token=token
    )
    assert listed["data"]["viewer"]["customWorldSessions"]["nodes"] == [
        {"settingText": "Dunes", "status": "QUESTIONING"},
        {"settingText": "Moth library", "status": "COMPLETED"},
    ]
