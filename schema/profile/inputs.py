"""The input objects of the profile mutations: settings, the resume snapshot, a visited
world, a save slot and a feedback message."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from schema.profile.enums import BrowseThemeMode, PlatformTheme


@strawberry.input(description="Settings to change; omitted ones keep their value.")
class RuntimeSettingUpdateInput:
    music_volume: float | None = strawberry.field(
        default=None, description="Music volume from 0 to 1."
    )
    platform_theme: PlatformTheme | None = strawberry.field(
        default=None, description="Colour theme."
    )


@strawberry.input(description="The snapshot to keep as the viewer's resume point.")
class RuntimeSnapshotSaveInput:
    bottom_tab: str = strawberry.field(description="The open bottom tab, ≤ 32 characters.")
    game_state: JSON = strawberry.field(
        description="A JSON object or array; with the story at most 256 KiB of JSON."
    )
    current_story: JSON | None = strawberry.field(
        default=None, description="The current story: JSON object, array or null."
    )


@strawberry.input(description="A world the viewer entered.")
class BrowseHistoryRecordInput:
    owner_user_id: str = strawberry.field(
        description="The world's owner, 1 to 64 characters (a `User.id` is accepted too)."
    )
    profile_id: str = strawberry.field(
        description="The world's profile id, 1 to 64 characters (a work's `id` is accepted too)."
    )
    world_name: str = strawberry.field(description="World name, 1 to 128 characters.")
    subtitle: str = strawberry.field(default="", description="Subtitle, ≤ 256 characters.")
    summary_text: str = strawberry.field(default="", description="Summary, ≤ 2,000 characters.")
    cover_image_src: str | None = strawberry.field(
        default=None, description="Cover image URL, ≤ 2,048 characters."
    )
    theme_mode: BrowseThemeMode = strawberry.field(
        default=BrowseThemeMode.LIGHT, description="Colour mode of the world."
    )
    author_display_name: str = strawberry.field(
        default="", description="Author's display name, ≤ 64 characters."
    )


@strawberry.input(description="A save slot to write: the viewer's slot for `worldKey`.")
class SaveArchiveUpsertInput:
    world_key: str = strawberry.field(description="The world, 1 to 160 characters.")
    world_name: str = strawberry.field(description="World name, 1 to 128 characters.")
    bottom_tab: str = strawberry.field(description="The bottom tab to reopen, ≤ 32 characters.")
    game_state: JSON = strawberry.field(
        description="A JSON object or array; with the story at most 256 KiB of JSON."
    )
    current_story: JSON | None = strawberry.field(
        default=None, description="The current story: JSON object, array or null."
    )
    owner_user_id: str | None = strawberry.field(
        default=None, description="The world's owner, ≤ 64 characters (or a `User.id`)."
    )
    profile_id: str | None = strawberry.field(
        default=None, description="The world's profile id, ≤ 64 characters (or a work's `id`)."
    )
    world_type: str | None = strawberry.field(
        default=None, description="Play type, ≤ 32 characters."
    )
    subtitle: str = strawberry.field(default="", description="Subtitle, ≤ 256 characters.")
    summary_text: str = strawberry.field(default="", description="Summary, ≤ 2,000 characters.")
    cover_image_src: str | None = strawberry.field(
        default=None, description="Cover image URL, ≤ 2,048 characters."
    )


@strawberry.input(description="A help-and-feedback message.")
class FeedbackSubmissionCreateInput:
    description: str = strawberry.field(description="The problem, 1 to 2,000 characters.")
    contact_phone: str | None = strawberry.field(
        default=None, description="Optional phone to call back; national numbers read as +86."
    )
    images: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 4 images as `data:…;base64,…` URLs, 2 MiB each decoded; PNG, JPEG "
        "or WebP, checked by their bytes. Requests over MAX_BODY_BYTES (1 MiB by default) "
        "are refused with 413 before this runs: see docs/profile.md.",
    )
