"""What a new WeChat account takes from WeChat (docs/wechat.md, "Finding the account"): the
username `wx_<ulid>`, the nickname as display name (NFKC, cut to 32 characters, 微信用户 when
unusable), and the `headimgurl` as avatar only when it is http(s)."""

from __future__ import annotations

import re

import pytest

from resolvers.auth.wechat_signin import complete_wechat_sign_in, start_wechat_sign_in
from tests.auth.conftest import REDIRECT_URI
from tests.auth.fake_wechat import FakeWechat, WechatUser

AVATAR = "https://thirdwx.qlogo.cn/mmopen/avatar/132"


@pytest.mark.parametrize(
    ("nickname", "headimgurl", "display_name", "avatar_url"),
    [
        ("ＡＢＣ　小明", AVATAR, "ABC 小明", AVATAR),
        ("鱼" * 40, "http://thirdwx.qlogo.cn/a/0", "鱼" * 32, "http://thirdwx.qlogo.cn/a/0"),
        ("   ", "javascript:alert(1)", "微信用户", None),
        ("", "", "微信用户", None),
        ("a\x00b", "ftp://thirdwx.qlogo.cn/a/0", "微信用户", None),
    ],
)
async def test_a_new_wechat_account_takes_a_normalised_nickname_and_only_an_http_avatar(
    wechat: FakeWechat, nickname: str, headimgurl: str, display_name: str, avatar_url: str | None
) -> None:
    # given a WeChat user with this nickname and avatar, signing in for the first time
    state = (await start_wechat_sign_in(redirect_uri=REDIRECT_URI)).state
    who = WechatUser(openid="openid-1", nickname=nickname, headimgurl=headimgurl)
    # when the callback arrives
    result = await complete_wechat_sign_in(code=wechat.web_code(who), state=state)
    # then the new account is `wx_<ulid>` with the normalised name and a safe avatar
    user = result.sign_in.user
    assert result.created is True
    assert re.fullmatch(r"wx_[0-9a-z]{26}", user.username) is not None
    assert (user.display_name, user.avatar_url) == (display_name, avatar_url)
