"""`Viewer`: the signed-in user with everything private to them.

Each domain contributes its private fields as a mixin (`schema/<domain>/viewer.py`) listed
among the bases. Public views of a user are `User` (schema/auth/user.py).
"""

from __future__ import annotations

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.auth.sessions import active_sessions
from resolvers.principal import Principal, Role
from schema.ai_tasks.viewer import AiTasksViewerFields
from schema.auth.types import AuthSession
from schema.auth.user import User
from schema.big_fish.viewer import BigFishViewerFields
from schema.economy.types import Wallet
from schema.economy.viewer import EconomyViewerFields
from schema.ids import global_id
from schema.match3d.viewer import Match3dViewerFields
from schema.profile.viewer import ProfileViewerFields
from schema.puzzle.viewer import PuzzleViewerFields
from schema.runs.viewer import RunsViewerFields
from schema.square_hole.viewer import SquareHoleViewerFields
from schema.visual_novel.viewer import VisualNovelViewerFields
from schema.worlds.viewer import WorldsViewerFields


@strawberry.type(description="The signed-in user, with everything private to them.")
class Viewer(
    ProfileViewerFields,
    EconomyViewerFields,
    AiTasksViewerFields,
    PuzzleViewerFields,
    RunsViewerFields,
    WorldsViewerFields,
    Match3dViewerFields,
    SquareHoleViewerFields,
    VisualNovelViewerFields,
    BigFishViewerFields,
):
    row: strawberry.Private[UserAccountRow]
    principal: strawberry.Private[Principal]

    @strawberry.field(
        description="The viewer's global id: their `User`'s id (the same value as `user.id`), "
        "which every argument naming a user accepts."
    )
    def id(self) -> strawberry.ID:
        return global_id(User, self.row.user_id)

    @strawberry.field(description="The viewer as other users see them.")
    def user(self) -> User:
        return User.from_row(self.row.public)

    @strawberry.field(description="Canonical (lower-case) username; unique.")
    def username(self) -> str:
        return self.row.username

    @strawberry.field(description="Name shown to others.")
    def display_name(self) -> str:
        return self.row.display_name

    @strawberry.field(description="Unique public code (百梦号).")
    def public_user_code(self) -> str:
        return self.row.public_user_code

    @strawberry.field(description="Masked phone (`+86 138****5678`), if one is bound.")
    def phone_masked(self) -> str | None:
        return self.row.phone_number_masked

    @strawberry.field(description="How the account was created: password, phone or wechat.")
    def login_method(self) -> str:
        return self.row.login_method

    @strawberry.field(description="The viewer's role.")
    def role(self) -> Role:
        return self.principal.role

    @strawberry.field(description="Points balance and ledger.")
    def wallet(self) -> Wallet:
        return Wallet(user_id=self.row.user_id)

    @strawberry.field(
        description="Signed-in devices (live sessions), most recently seen first; at most 100."
    )
    async def sessions(self) -> list[AuthSession]:
        rows = await active_sessions(user_id=self.row.user_id)
        return [
            AuthSession.from_row(row, current_session_id=self.principal.session_id) for row in rows
        ]
