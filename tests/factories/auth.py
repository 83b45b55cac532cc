"""Users for tests: registered through the real resolver."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from resolvers.auth.password_signin import register_with_password
from resolvers.principal import Principal, Role

_numbers = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class TestUser:
    __test__ = False
    user_id: str
    username: str
    password: str
    access_token: str
    refresh_token: str
    session_id: str

    @property
    def principal(self) -> Principal:
        return Principal(role=Role.USER, user_id=self.user_id, session_id=self.session_id)


async def make_user(username: str | None = None, password: str = DEFAULT_PASSWORD) -> TestUser:
    name = username or f"user_{next(_numbers)}"
    sign_in = await register_with_password(username=name, password=password)
    return TestUser(
        user_id=sign_in.user.user_id,
        username=sign_in.user.username,
        password=password,
        access_token=sign_in.access.token,
        refresh_token=sign_in.refresh_token,
        session_id=sign_in.session_id,
    )
