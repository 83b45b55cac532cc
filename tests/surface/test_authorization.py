"""Who may call what: anonymous callers, service workers, other users, admins."""

from __future__ import annotations

import pytest

from db.tables.auth import RefreshSession, UserAccount
from resolvers.auth.admin import grant_admin, issue_service_token
from resolvers.auth.authenticate import principal_from_token
from resolvers.principal import Role
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

PRIVATE_OPERATIONS = [
    "{ viewer { username } }",
    "{ viewer { wallet { balance } } }",
    "{ viewer { sessions { id } } }",
    "mutation { authLogout { sessionId } }",
    "mutation { authLogoutAll { endedSessionCount } }",
]


@pytest.mark.parametrize("operation", PRIVATE_OPERATIONS)
async def test_private_operations_refuse_anonymous_callers(
    gql: GraphQLClient, operation: str
) -> None:
    result = await gql.execute(operation)
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("operation", PRIVATE_OPERATIONS)
async def test_private_operations_refuse_service_workers(
    gql: GraphQLClient, operation: str
) -> None:
    service = await issue_service_token(name="worker", days=1)
    result = await gql.execute(operation, token=service.token)
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_logout_all_by_anonymous_or_service_changes_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    service = await issue_service_token(name="worker", days=1)
    await gql.execute("mutation { authLogoutAll { endedSessionCount } }")
    await gql.execute("mutation { authLogoutAll { endedSessionCount } }", token=service.token)
    row = await UserAccount.select(UserAccount.token_version).first()
    assert row == {"token_version": 0}
    assert (await principal_from_token(user.access_token)).user_id == user.user_id


async def test_another_users_session_cannot_be_ended(gql: GraphQLClient) -> None:
    owner = await make_user()
    intruder = await make_user()
    result = await gql.execute(
        "mutation($s: ID!) { authLogout(sessionId: $s) { errors { code } sessionId } }",
        {"s": owner.session_id},
        token=intruder.access_token,
    )
    assert result["data"]["authLogout"] == {
        "errors": [{"code": "SESSION_NOT_FOUND"}],
        "sessionId": None,
    }
    assert await RefreshSession.count().where(RefreshSession.revoked_at.is_not_null()) == 0


async def test_the_viewer_is_always_the_caller(gql: GraphQLClient) -> None:
    alice = await make_user("alice")
    await make_user("bob")
    result = await gql.execute("{ viewer { username sessions { id } } }", token=alice.access_token)
    assert result["data"]["viewer"] == {"username": "alice", "sessions": [{"id": alice.session_id}]}


async def test_other_users_are_seen_only_through_public_fields(gql: GraphQLClient) -> None:
    bob = await make_user("bob")
    alice = await make_user("alice")
    code = (
        await UserAccount.select(UserAccount.public_user_code)
        .where(UserAccount.user_id == bob.user_id)
        .first()
    )["public_user_code"]  # type: ignore[index]
    by_code = await gql.execute(
        "query($c: String!) { user(publicUserCode: $c) { id displayName publicUserCode } }",
        {"c": code},
        token=alice.access_token,
    )
    user = by_code["data"]["user"]
    assert (user["displayName"], user["publicUserCode"]) == ("bob", code)
    by_node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on User { displayName } } }", {"id": user["id"]}
    )
    assert by_node["data"]["node"] == {"displayName": "bob"}
    private = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on User { username } } }",
        {"id": user["id"]},
    )
    assert private["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_an_unknown_public_code_is_null(gql: GraphQLClient) -> None:
    result = await gql.execute('{ user(publicUserCode: "000000000") { id } }')
    assert result == {"data": {"user": None}}


async def test_granting_admin_changes_the_role_on_the_next_request(gql: GraphQLClient) -> None:
    user = await make_user("root_admin")
    assert (await gql.execute("{ viewer { role } }", token=user.access_token))["data"]["viewer"][
        "role"
    ] == "USER"
    await grant_admin(username="ROOT_ADMIN")
    assert (await principal_from_token(user.access_token)).role is Role.ADMIN
    assert (await gql.execute("{ viewer { role } }", token=user.access_token))["data"]["viewer"][
        "role"
    ] == "ADMIN"


async def test_the_manage_commands_create_an_admin_and_a_service_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import manage

    await manage.create_admin("first_admin", "a long admin password")
    await manage.create_admin("first_admin", "a long admin password")  # idempotent
    await manage.issue_token("generation-worker", 7)
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert (await principal_from_token(token)).role is Role.SERVICE
    admin = (
        await UserAccount.select(UserAccount.user_id)
        .where(UserAccount.username == "first_admin")
        .first()
    )
    assert admin is not None and await UserAccount.count() == 1


async def test_a_malformed_authorization_header_is_explained(gql: GraphQLClient) -> None:
    response = await gql.http.post(
        "/graphql",
        json={"query": "{ viewer { username } }"},
        headers={"Authorization": "Token abc"},
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Bearer" in error["message"]
