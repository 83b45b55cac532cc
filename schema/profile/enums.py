"""The enums of the profile graph, declared to Strawberry: a module that names one in a
type imports it from here, so the declaration comes before any type that names it (an
input's enum default is converted when the input is decorated)."""

from __future__ import annotations

import strawberry

from resolvers.profile.errors import ProfileErrorCode
from resolvers.profile.model import BrowseThemeMode, FeedbackStatus, PlatformTheme

strawberry.enum(ProfileErrorCode, description="Why a profile mutation was refused.")
strawberry.enum(PlatformTheme, description="The platform's colour theme.")
strawberry.enum(BrowseThemeMode, description="The colour mode a visited world is shown in.")
strawberry.enum(FeedbackStatus, description="Where a feedback submission stands.")

__all__ = ["BrowseThemeMode", "FeedbackStatus", "PlatformTheme", "ProfileErrorCode"]
