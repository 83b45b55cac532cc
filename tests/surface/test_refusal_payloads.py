"""Refusals through the real app (schema/mutation_errors.py): a resolver's domain error comes
back as the mutation's payload, `errors` with exact values and every other field null, []
or its default, and nothing was written; access errors stay top-level errors."""

from __future__ import annotations

from db.tables.auth import UserAccount
from db.tables.gallery import GalleryPublicWork
from resolvers.ai_tasks.model import MAX_DELTA_LENGTH
from tests.factories import puzzle, worlds
from tests.factories.ai_tasks import make_streaming_task, row_counts
from tests.factories.auth import DEFAULT_PASSWORD, make_user
from tests.factories.economy import service_token
from tests.fixtures import GraphQLClient

REGISTER = """
mutation($i: AuthRegisterInput!) { authRegister(input: $i) {
  errors { code field message } viewer { __typename } tokens { accessToken } } }"""
APPEND = """
mutation($i: AiTaskChunkAppendInput!) { aiTaskChunkAppend(input: $i) {
  errors { code field message } appended chunk { chunkId } task { taskId } } }"""
PUBLISH_WORLD = """
mutation($p: ID!) { customWorldPublish(profileId: $p) {
  errors { code field message } blockers { code field message } work { workId } } }"""
PUBLISH_PUZZLE = """
mutation($w: ID!) { puzzleWorkPublish(workId: $w) {
  errors { code field message } blockers { code field message } work { workId } } }"""


async def test_a_refused_registration_is_its_payload_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given alice
    await make_user("alice")
    # when someone registers ALICE
    result = await gql.execute(REGISTER, {"i": {"username": "ALICE", "password": DEFAULT_PASSWORD}})
    # then the payload carries the error and nothing else, and no account was added
    assert result == {
        "data": {
            "authRegister": {
                "errors": [
                    {
                        "code": "USERNAME_TAKEN",
                        "field": "username",
                        "message": "That username is taken.",
                    }
                ],
                "viewer": None,
                "tokens": None,
            }
        }
    }
    assert await UserAccount.count() == 1


async def test_a_refused_chunk_keeps_the_payloads_defaults_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given a running stage
    task = await make_streaming_task(await make_user())
    before = await row_counts()
    # when a service appends an empty chunk
    chunk = {"taskId": task.task_id, "stageKind": "REQUEST_MODEL", "chunkId": "c1"}
    result = await gql.execute(
        APPEND, {"i": {**chunk, "deltaText": ""}}, token=await service_token()
    )
    # then `appended` keeps its default, the rest is null, and no row was written
    assert result == {
        "data": {
            "aiTaskChunkAppend": {
                "errors": [
                    {
                        "code": "CHUNK_INVALID",
                        "field": "deltaText",
                        "message": f"`deltaText` takes 1 to {MAX_DELTA_LENGTH} characters.",
                    }
                ],
                "appended": False,
                "chunk": None,
                "task": None,
            }
        }
    }
    assert await row_counts() == before


async def test_a_blocked_world_publish_reports_one_error_per_blocker(gql: GraphQLClient) -> None:
    # given a fresh world
    user = await make_user()
    created = await worlds.create_session(gql, user.access_token, "Ember Pass")
    # when it is published
    result = await gql.execute(
        PUBLISH_WORLD, {"p": created["session"]["profileId"]}, token=user.access_token
    )
    # then each blocker is listed and is one error, and nothing was published
    payload = result["data"]["customWorldPublish"]
    assert len(payload["blockers"]) > 1
    assert payload["errors"] == payload["blockers"]
    assert payload["work"] is None
    assert await GalleryPublicWork.count() == 0


async def test_a_blocked_puzzle_publish_reports_publish_blocked_with_its_blockers(
    gql: GraphQLClient,
) -> None:
    # given an empty puzzle draft
    user = await make_user()
    started = await puzzle.start(gql, user.access_token, "Autumn maples")
    # when it is published
    result = await gql.execute(
        PUBLISH_PUZZLE, {"w": started["work"]["workId"]}, token=user.access_token
    )
    # then one PUBLISH_BLOCKED error names every blocker, listed beside it; nothing published
    payload = result["data"]["puzzleWorkPublish"]
    messages = [blocker["message"] for blocker in payload["blockers"]]
    assert len(messages) > 1
    assert payload["errors"] == [
        {
            "code": "PUBLISH_BLOCKED",
            "field": None,
            "message": "The work is not ready: " + "; ".join(messages),
        }
    ]
    assert payload["work"] is None
    assert await GalleryPublicWork.count() == 0


async def test_access_errors_stay_top_level_errors(gql: GraphQLClient) -> None:
    user = await make_user()
    # another user's or an unknown world is NOT_FOUND, not a payload
    unknown = await gql.execute(PUBLISH_WORLD, {"p": "01UNKNOWN"}, token=user.access_token)
    assert unknown["data"] is None
    assert [error["extensions"]["code"] for error in unknown["errors"]] == ["NOT_FOUND"]
    # the permission class still refuses an anonymous caller first
    anonymous = await gql.execute(PUBLISH_WORLD, {"p": "01UNKNOWN"})
    assert anonymous["data"] is None
    assert [error["extensions"]["code"] for error in anonymous["errors"]] == ["UNAUTHENTICATED"]
