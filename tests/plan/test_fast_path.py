"""The fast path in the app: plans serve repeated public queries with the same statements,
limits, errors and metrics as the executor; the setting turns it off."""

from __future__ import annotations

from typing import Any

from strawberry.types.execution import ExecutionResult

from app import create_app
from observability.metrics import REGISTRY
from schema.build import build_schema
from schema.plan.fast_path import FastPath
from settings import Settings, get_settings
from tests.factories.auth import make_user
from tests.factories.gallery import publish
from tests.fixtures import GraphQLClient
from tests.plan.conftest import graphql_view

PAGE = (
    "query($first: Int, $after: String) { gallery(first: $first, after: $after, order: NEWEST) "
    "{ edges { cursor node { id workId title tags plays7d viewerHasLiked "
    "author { id displayName } } } pageInfo { hasNextPage endCursor } } }"
)


def _served(app: Any) -> int:
    served: int = graphql_view(app).fast_path.served
    return served


async def test_the_setting_turns_the_fast_path_off() -> None:
    # given the setting off, then the view has no plans; on (the default), it has
    assert graphql_view(create_app(Settings(fast_path_enabled=False))).fast_path is None
    assert graphql_view(create_app(Settings())).fast_path is not None


async def test_a_planned_page_costs_the_statements_of_an_executed_one(
    app: Any, gql: GraphQLClient, count_statements: Any
) -> None:
    # given 25 works by 3 authors and a signed-in viewer
    authors = [await make_user() for _ in range(3)]
    viewer = await make_user()
    for number in range(25):
        await publish(authors[number % 3].user_id, tags=["a"])
    await gql.execute(PAGE, {"first": 1}, token=viewer.access_token)  # executed, then planned
    counts = []
    served = _served(app)
    # when pages of 5 and 20 items are read through the plan
    for first in (5, 20):
        with count_statements() as counter:
            result = await gql.execute(PAGE, {"first": first}, token=viewer.access_token)
        assert len(result["data"]["gallery"]["edges"]) == first
        counts.append(counter.count)
    # then both were planned and cost the same statements: the token's check and the page
    assert _served(app) == served + 2
    assert counts[0] == counts[1] == 2


async def test_errors_take_the_executor_and_read_as_always(app: Any, gql: GraphQLClient) -> None:
    # given a planned document
    owner = await make_user()
    await publish(owner.user_id)
    await gql.execute(PAGE, {"first": 1})
    served = _served(app)
    # when a request brings a bad cursor, a bad page size, a variable of the wrong type and NUL
    cursor = await gql.execute(PAGE, {"first": 1, "after": "garbage"})
    size = await gql.execute(PAGE, {"first": 1000})
    wrong = await gql.execute(PAGE, {"first": "ten"})
    nul = await gql.execute(PAGE, {"first": 1, "after": "a\u0000b"})
    # then each is the executor's error, and none was served by the plan
    assert cursor["data"] is None
    assert cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert size["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "data" not in wrong
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert nul["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert _served(app) == served


async def test_a_planned_operation_is_counted_in_the_metrics(app: Any, gql: GraphQLClient) -> None:
    # given a planned document
    await gql.execute(PAGE, {"first": 1})
    labels = {"operation": "gallery", "outcome": "ok"}
    before = REGISTRY.get_sample_value("genarrative_graphql_requests_total", labels) or 0
    served = _served(app)
    # when it is served by its plan
    await gql.execute(PAGE, {"first": 1})
    # then it counts as a gallery operation that went well
    assert _served(app) == served + 1
    assert REGISTRY.get_sample_value("genarrative_graphql_requests_total", labels) == before + 1


def test_the_plan_cache_keeps_the_last_documents_it_was_given() -> None:
    # given a fast path holding two documents
    fast_path = FastPath(build_schema(get_settings()), max_documents=2)
    documents = [f"{{ a{number}: gallery {{ nodes {{ title }} }} }}" for number in range(3)]
    # when three valid documents are learned
    for document in documents:
        fast_path.learn(document, None, ExecutionResult(data={"x": 1}, errors=None))
    # then the oldest is forgotten
    assert fast_path.plan_for(documents[0], None) is None
    assert fast_path.plan_for(documents[1], None) is not None
    assert fast_path.plan_for(documents[2], None) is not None


def test_only_documents_that_executed_without_request_errors_are_planned() -> None:
    # given a fast path
    fast_path = FastPath(build_schema(get_settings()))
    document = "{ gallery { nodes { title } } }"
    # when the executor refused the document (no data), then it is not planned
    fast_path.learn(document, None, ExecutionResult(data=None, errors=[]))
    assert fast_path.plan_for(document, None) is None
