"""WeChat web sign-in rules, resolvers called directly against the fake WeChat: the state
row (allowlist, single use, expiry, forgery), finding or creating the account by its
`wechat` identity, and the sign-in it shares with the other methods."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from db.tables.analytics import TrackingEvent
from db.tables.auth import AuthIdentity, AuthWechatState, RefreshSession, UserAccount
from db.tables.economy import ProfileInviteCode, ProfileReferralRelation, ProfileWalletLedger
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.wechat_signin import complete_wechat_sign_in, start_wechat_sign_in
from resolvers.economy.wallet import balance_of
from tests.auth.conftest import REDIRECT_URI
from tests.auth.fake_wechat import APP_ID, FakeWechat, WechatUser
from tests.factories.auth import make_user
from tests.fixtures import FakeClock

UNIONID = "o6_bmasdasdsad6_2sgVt7hMZOPfL"


async def _written() -> tuple[int, int, int]:
    return (await UserAccount.count(), await AuthIdentity.count(), await RefreshSession.count())


async def _state() -> str:
    return (await start_wechat_sign_in(redirect_uri=REDIRECT_URI)).state


async def test_start_returns_the_authorize_url_and_stores_only_a_hash_of_the_state(
    wechat: FakeWechat, clock: FakeClock
) -> None:
    # when a web sign-in starts
    started = await start_wechat_sign_in(redirect_uri=REDIRECT_URI + "?next=%2Fgallery")
    # then the URL carries WeChat's parameters in WeChat's order, and the state
    url = urlsplit(started.authorize_url)
    assert (url.scheme, url.netloc, url.path, url.fragment) == (
        "https",
        "open.weixin.qq.com",
        "/connect/qrconnect",
        "wechat_redirect",
    )
    assert list(parse_qs(url.query).items()) == [
        ("appid", [APP_ID]),
        ("redirect_uri", [REDIRECT_URI + "?next=%2Fgallery"]),
        ("response_type", ["code"]),
        ("scope", ["snsapi_login"]),
        ("state", [started.state]),
    ]
    assert started.expires_at == clock.now() + timedelta(seconds=600)
    # and the row keeps a hash of the state, never the state
    rows = await AuthWechatState.select()
    assert len(rows) == 1
    assert started.state not in str(rows[0].values())
    assert rows[0]["redirect_uri"] == REDIRECT_URI + "?next=%2Fgallery"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example.com/wechat/return",
        "https://app.example.com.evil.com/wechat/return",
        "http://app.example.com/wechat/return",
        "https://app.example.com:8443/wechat/return",
        "https://app.example.com/wechat/return/../admin",
        "https://app.example.com/wechat/return#token",
        "javascript:alert(1)",
        "",
    ],
)
async def test_a_redirect_uri_off_the_allowlist_is_refused_without_a_row(
    wechat: FakeWechat, redirect_uri: str
) -> None:
    with pytest.raises(AuthError) as refused:
        await start_wechat_sign_in(redirect_uri=redirect_uri)
    assert (refused.value.code, refused.value.field) == (
        AuthErrorCode.WECHAT_REDIRECT_URI_NOT_ALLOWED,
        "redirectUri",
    )
    assert await AuthWechatState.count() == 0


async def test_without_an_app_id_web_sign_in_is_not_configured(
    wechat: FakeWechat, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("WECHAT_APP_ID", "")
    get_settings.cache_clear()
    with pytest.raises(AuthError) as refused:
        await start_wechat_sign_in(redirect_uri=REDIRECT_URI)
    assert refused.value.code is AuthErrorCode.WECHAT_NOT_CONFIGURED
    assert await AuthWechatState.count() == 0


async def test_a_first_sign_in_creates_the_account_by_unionid_with_ten_points(
    wechat: FakeWechat,
) -> None:
    # given a started sign-in and a WeChat user with a unionid
    state = await _state()
    code = wechat.web_code(WechatUser(openid="openid-1", unionid=UNIONID, nickname="小明"))
    # when the callback arrives
    result = await complete_wechat_sign_in(code=code, state=state)
    # then an account exists, found by its unionid, with its grant and a wechat session
    user = result.sign_in.user
    assert (result.created, result.redirect_uri) == (True, REDIRECT_URI)
    assert (user.login_method, user.display_name, user.wechat_bound) == (
        "wechat",
        "小明",
        True,
    )
    assert user.avatar_url == "https://thirdwx.qlogo.cn/mmopen/avatar/132"
    assert user.phone_number_e164 is None
    identity = await AuthIdentity.select().first()
    assert identity is not None
    assert (identity["provider"], identity["provider_uid"], identity["provider_union_id"]) == (
        "wechat",
        UNIONID,
        UNIONID,
    )
    assert await balance_of(user.user_id) == 10
    session = await RefreshSession.select().first()
    assert session is not None
    assert (session["session_id"], session["issued_by_provider"]) == (
        result.sign_in.session_id,
        "wechat",
    )
    assert await TrackingEvent.count().where(TrackingEvent.event_key == "daily_login") == 1
    # and the state is gone
    assert await AuthWechatState.count() == 0
    assert wechat.calls == ["/sns/oauth2/access_token", "/sns/userinfo"]


async def test_a_second_sign_in_finds_the_same_account_by_unionid(wechat: FakeWechat) -> None:
    who = WechatUser(openid="openid-1", unionid=UNIONID)
    first = await complete_wechat_sign_in(code=wechat.web_code(who), state=await _state())
    second = await complete_wechat_sign_in(code=wechat.web_code(who), state=await _state())
    assert second.created is False
    assert second.sign_in.user.user_id == first.sign_in.user.user_id
    assert second.sign_in.session_id != first.sign_in.session_id
    assert await _written() == (1, 1, 2)
    # the registration grant was paid once
    assert await balance_of(first.sign_in.user.user_id) == 10


async def test_without_a_unionid_the_account_is_keyed_by_appid_and_openid(
    wechat: FakeWechat,
) -> None:
    who = WechatUser(openid="openid-no-union")
    first = await complete_wechat_sign_in(code=wechat.web_code(who), state=await _state())
    identity = await AuthIdentity.select().first()
    assert identity is not None
    assert (identity["provider_uid"], identity["provider_union_id"]) == (
        f"{APP_ID}:openid-no-union",
        None,
    )
    second = await complete_wechat_sign_in(code=wechat.web_code(who), state=await _state())
    assert second.sign_in.user.user_id == first.sign_in.user.user_id
    assert await _written() == (1, 1, 2)


async def test_an_openid_account_is_found_when_a_unionid_appears_later(
    wechat: FakeWechat,
) -> None:
    # given an account made before the app had a unionid
    first = await complete_wechat_sign_in(
        code=wechat.web_code(WechatUser(openid="openid-7")), state=await _state()
    )
    # when the same openid signs in with a unionid
    later = await complete_wechat_sign_in(
        code=wechat.web_code(WechatUser(openid="openid-7", unionid=UNIONID)), state=await _state()
    )
    # then it reaches the same account (no second one)
    assert later.sign_in.user.user_id == first.sign_in.user.user_id
    assert await UserAccount.count() == 1


async def test_a_replayed_state_is_refused_before_wechat_is_asked(wechat: FakeWechat) -> None:
    # given a state that signed in once
    state = await _state()
    who = WechatUser(openid="openid-1", unionid=UNIONID)
    await complete_wechat_sign_in(code=wechat.web_code(who), state=state)
    calls, written = list(wechat.calls), await _written()
    # when it comes back, even with a fresh code
    with pytest.raises(AuthError) as refused:
        await complete_wechat_sign_in(code=wechat.web_code(who), state=state)
    # then it is refused, WeChat was not asked and nothing was written
    assert (refused.value.code, refused.value.field) == (
        AuthErrorCode.WECHAT_STATE_INVALID,
        "state",
    )
    assert wechat.calls == calls
    assert await _written() == written


@pytest.mark.parametrize("forged", ["forged-state", "", "x" * 500])
async def test_a_forged_state_is_refused(wechat: FakeWechat, forged: str) -> None:
    await _state()
    with pytest.raises(AuthError) as refused:
        await complete_wechat_sign_in(
            code=wechat.web_code(WechatUser(openid="openid-1")), state=forged
        )
    assert refused.value.code is AuthErrorCode.WECHAT_STATE_INVALID
    assert wechat.calls == []
    assert await _written() == (0, 0, 0)
    assert await AuthWechatState.count() == 1


async def test_an_expired_state_is_refused(wechat: FakeWechat, clock: FakeClock) -> None:
    # given a state older than its 10 minutes
    state = await _state()
    clock.advance(seconds=600)
    # when it is used
    with pytest.raises(AuthError) as refused:
        await complete_wechat_sign_in(
            code=wechat.web_code(WechatUser(openid="openid-1")), state=state
        )
    # then it is refused and nothing is written
    assert refused.value.code is AuthErrorCode.WECHAT_STATE_EXPIRED
    assert wechat.calls == []
    assert await _written() == (0, 0, 0)
    # and the next start sweeps it
    await _state()
    assert await AuthWechatState.count() == 1


async def test_concurrent_callbacks_with_one_state_sign_in_once(wechat: FakeWechat) -> None:
    # given one state and four valid codes of four WeChat users
    state = await _state()
    codes = [wechat.web_code(WechatUser(openid=f"openid-{number}")) for number in range(4)]

    async def callback(code: str) -> str:
        try:
            await complete_wechat_sign_in(code=code, state=state)
        except AuthError as error:
            return str(error.code)
        return "OK"

    # when they all call back at once
    outcomes = await asyncio.gather(*[callback(code) for code in codes])
    # then exactly one signed in; the others found the state used
    assert sorted(outcomes) == ["OK"] + ["WECHAT_STATE_INVALID"] * 3
    assert await _written() == (1, 1, 1)
    assert await AuthWechatState.count() == 0


async def test_concurrent_first_sign_ins_of_one_wechat_user_make_one_account(
    wechat: FakeWechat,
) -> None:
    # given one new WeChat user signing in from four tabs at once (four states, four codes)
    who = WechatUser(openid="openid-1", unionid=UNIONID)
    pairs = [(wechat.web_code(who), await _state()) for _ in range(4)]
    # when the callbacks race
    results = await asyncio.gather(
        *[complete_wechat_sign_in(code=code, state=state) for code, state in pairs]
    )
    # then all signed in to one account, created once, granted once
    assert len({result.sign_in.user.user_id for result in results}) == 1
    assert sorted(result.created for result in results) == [False, False, False, True]
    assert await _written() == (1, 1, 4)
    assert await balance_of(results[0].sign_in.user.user_id) == 10


async def test_a_new_wechat_account_takes_an_invite_code_like_any_registration(
    wechat: FakeWechat,
) -> None:
    # given an inviter's code
    inviter = await make_user()
    invite = await ProfileInviteCode.select().where(ProfileInviteCode.user_id == inviter.user_id)
    # when a new WeChat user signs in with it
    result = await complete_wechat_sign_in(
        code=wechat.web_code(WechatUser(openid="openid-1")),
        state=await _state(),
        invite_code=invite[0]["invite_code"],
    )
    # then both are rewarded once, as for a password or phone registration
    assert await balance_of(result.sign_in.user.user_id) == 20
    assert await balance_of(inviter.user_id) == 30
    assert await ProfileReferralRelation.count() == 1


async def test_a_bad_invite_code_refuses_the_wechat_sign_in_and_keeps_the_state(
    wechat: FakeWechat,
) -> None:
    state = await _state()
    with pytest.raises(AuthError) as refused:
        await complete_wechat_sign_in(
            code=wechat.web_code(WechatUser(openid="openid-1")),
            state=state,
            invite_code="NOSUCHCODE",
        )
    assert (refused.value.code, refused.value.field) == (
        AuthErrorCode.INVITE_CODE_INVALID,
        "inviteCode",
    )
    assert await _written() == (0, 0, 0)
    assert await ProfileWalletLedger.count() == 0
    assert await AuthWechatState.count() == 1
