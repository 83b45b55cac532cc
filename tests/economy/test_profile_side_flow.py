"""The issue's "done when" flow, end to end through GraphQL over HTTP, on either engine:
register with an invite code, sign in, claim the daily-login task, redeem a public code, buy
points and membership through confirmed orders, save and resume an archive, send feedback,
with the balance and the ledger checked exactly at every step."""

from __future__ import annotations

from typing import Any

from tests.factories.auth import make_user
from tests.factories.economy import make_admin, service_token
from tests.factories.profile import PNG_BYTES, data_url
from tests.fixtures import GraphQLClient

PASSWORD = "correct horse battery"
WALLET = """
{ viewer { wallet { balance ledger(first: 50) { nodes { id amountDelta balanceAfter sourceType } } } } }
"""


async def _wallet(gql: GraphQLClient, token: str) -> tuple[int, list[tuple[str, int, int, str]]]:
    wallet = (await gql.execute(WALLET, token=token))["data"]["viewer"]["wallet"]
    return wallet["balance"], [
        (n["id"], n["amountDelta"], n["balanceAfter"], n["sourceType"])
        for n in wallet["ledger"]["nodes"]
    ]


async def _ok(
    gql: GraphQLClient, operation: str, variables: dict[str, Any], token: str | None
) -> Any:
    result = await gql.execute(operation, variables, token=token)
    assert "errors" not in result, result
    payload = next(iter(result["data"].values()))
    if isinstance(payload, dict) and "errors" in payload:
        assert payload["errors"] == [], payload
    return payload


async def test_a_new_user_goes_through_the_whole_profile_side(gql: GraphQLClient) -> None:
    # given: operations set up the daily-login task and a public code; an inviter exists
    admin = await make_admin()
    await _ok(
        gql,
        "mutation($i: TaskConfigUpsertInput!) { taskConfigUpsert(input: $i) { errors { code } } }",
        {
            "i": {
                "taskId": "daily_login",
                "title": "Sign in today",
                "eventKey": "daily_login",
                "cycle": "DAILY",
                "threshold": 1,
                "rewardPoints": 5,
            }
        },
        admin.access_token,
    )
    await _ok(
        gql,
        "mutation($i: RedeemCodeUpsertInput!) { redeemCodeUpsert(input: $i) { errors { code } } }",
        {"i": {"code": "WELCOME", "mode": "PUBLIC", "rewardPoints": 7, "maxUses": 1}},
        admin.access_token,
    )
    inviter = await make_user("inviter")
    invite = await _ok(gql, "{ viewer { inviteCode { inviteCode } } }", {}, inviter.access_token)
    code = invite["inviteCode"]["inviteCode"]

    # 1. register with the invite code: 10 for registering + 10 for being invited
    registered = await _ok(
        gql,
        "mutation($i: AuthRegisterInput!) { authRegister(input: $i) { errors { code } "
        "tokens { accessToken } } }",
        {"i": {"username": "newbie", "password": PASSWORD, "inviteCode": code}},
        None,
    )
    token = registered["tokens"]["accessToken"]
    balance, ledger = await _wallet(gql, token)
    assert balance == 20
    invitee_id = ledger[0][0].removeprefix("invite-invitee:")
    assert ledger == [
        (f"invite-invitee:{invitee_id}", 10, 20, "INVITE_INVITEE_REWARD"),
        (f"new-user-registration:{invitee_id}", 10, 10, "NEW_USER_REGISTRATION_REWARD"),
    ]
    assert (await _wallet(gql, inviter.access_token))[0] == 30

    # 2. sign in: the daily-login task is complete (registration counted too)
    logged_in = await _ok(
        gql,
        "mutation($i: AuthLoginInput!) { authLogin(input: $i) { errors { code } "
        "tokens { accessToken } } }",
        {"i": {"username": "newbie", "password": PASSWORD}},
        None,
    )
    token = logged_in["tokens"]["accessToken"]
    tasks = await _ok(
        gql, "{ viewer { tasks { taskId progressCount status cycleDayKey } } }", {}, token
    )
    day = tasks["tasks"][0]["cycleDayKey"]
    assert tasks["tasks"] == [
        {"taskId": "daily_login", "progressCount": 2, "status": "COMPLETED", "cycleDayKey": day}
    ]

    # 3. claim it: +5, once
    claim = await _ok(
        gql,
        'mutation { taskRewardClaim(taskId: "daily_login") { errors { code } balance } }',
        {},
        token,
    )
    assert claim["balance"] == 25
    balance, ledger = await _wallet(gql, token)
    claim_ledger_id = f"task-reward:{invitee_id}:daily_login:{day}"
    assert (balance, ledger[0]) == (25, (claim_ledger_id, 5, 25, "TASK_REWARD"))
    assert len(ledger) == 3

    # 4. redeem the public code: +7
    redeemed = await _ok(
        gql,
        'mutation { redeemCodeUse(code: "welcome") { errors { code } pointsGranted balance } }',
        {},
        token,
    )
    assert (redeemed["pointsGranted"], redeemed["balance"]) == (7, 32)
    balance, ledger = await _wallet(gql, token)
    assert (balance, ledger[0]) == (
        32,
        (f"redeem:WELCOME:{invitee_id}:1", 7, 32, "REDEEM_CODE"),
    )

    # 5. buy 60 points: pending until the payment service confirms, then +60 once
    service = await service_token()
    create = (
        'mutation($p: String!) { rechargeOrderCreate(productId: $p, paymentChannel: "mock") '
        "{ errors { code } order { id status } } }"
    )
    confirm = (
        "mutation($o: ID!) { rechargeOrderConfirm(orderId: $o) { errors { code } newlyPaid "
        "order { status } } }"
    )
    points_order = (await _ok(gql, create, {"p": "points_60"}, token))["order"]
    assert points_order["status"] == "PENDING"
    assert (await _wallet(gql, token))[0] == 32
    paid = await _ok(gql, confirm, {"o": points_order["id"]}, service)
    assert (paid["newlyPaid"], paid["order"]["status"]) == (True, "PAID")
    repeat = await _ok(gql, confirm, {"o": points_order["id"]}, service)
    assert repeat["newlyPaid"] is False
    balance, ledger = await _wallet(gql, token)
    assert (balance, ledger[0]) == (92, (f"recharge:{points_order['id']}", 60, 92, "RECHARGE"))
    assert len(ledger) == 5

    # 6. buy a monthly membership: membership active, points unchanged
    member_order = (await _ok(gql, create, {"p": "membership_monthly"}, token))["order"]
    await _ok(gql, confirm, {"o": member_order["id"]}, service)
    membership = await _ok(gql, "{ viewer { membership { status tier } } }", {}, token)
    assert membership["membership"] == {"status": "ACTIVE", "tier": "MONTHLY"}
    orders = await _ok(
        gql, "{ viewer { rechargeOrders { nodes { productId status } } } }", {}, token
    )
    assert orders["rechargeOrders"]["nodes"] == [
        {"productId": "membership_monthly", "status": "PAID"},
        {"productId": "points_60", "status": "PAID"},
    ]
    assert (await _wallet(gql, token))[0] == 92

    # 7. save an archive and resume it into the snapshot
    saved = await _ok(
        gql,
        "mutation($i: SaveArchiveUpsertInput!) { saveArchiveUpsert(input: $i) { errors { code } "
        "saveArchive { id } } }",
        {
            "i": {
                "worldKey": "forest",
                "worldName": "Forest",
                "bottomTab": "play",
                "gameState": {"hp": 7, "bag": ["lamp"]},
                "currentStory": {"chapter": 3},
            }
        },
        token,
    )
    resumed = await _ok(
        gql,
        "mutation($a: ID!) { saveArchiveResume(archiveId: $a) { errors { code } "
        "runtimeSnapshot { version bottomTab gameState currentStory } } }",
        {"a": saved["saveArchive"]["id"]},
        token,
    )
    assert resumed["runtimeSnapshot"] == {
        "version": 1,
        "bottomTab": "play",
        "gameState": {"hp": 7, "bag": ["lamp"]},
        "currentStory": {"chapter": 3},
    }

    # 8. send feedback with a screenshot: metadata only comes back
    sent = await _ok(
        gql,
        "mutation($i: FeedbackSubmissionCreateInput!) { feedbackSubmissionCreate(input: $i) { "
        "errors { code } feedbackSubmission { description evidence { contentType byteSize } } } }",
        {"i": {"description": "Lamp icon is missing", "images": [data_url(PNG_BYTES)]}},
        token,
    )
    assert sent["feedbackSubmission"] == {
        "description": "Lamp icon is missing",
        "evidence": [{"contentType": "image/png", "byteSize": len(PNG_BYTES)}],
    }

    # finally: the whole ledger, newest first, sums to the balance
    balance, ledger = await _wallet(gql, token)
    assert balance == 92 == sum(delta for _, delta, _, _ in ledger)
    assert [(delta, after, source) for _, delta, after, source in ledger] == [
        (60, 92, "RECHARGE"),
        (7, 32, "REDEEM_CODE"),
        (5, 25, "TASK_REWARD"),
        (10, 20, "INVITE_INVITEE_REWARD"),
        (10, 10, "NEW_USER_REGISTRATION_REWARD"),
    ]
