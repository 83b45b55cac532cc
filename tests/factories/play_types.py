"""Works of any registered play type, through its plugin: for the contract suite."""

from __future__ import annotations

from typing import Any

from resolvers.play_types.contract import PlaySession, PlayTypePlugin
from tests.factories.auth import TestUser
from tests.factories.puzzle import bind_image
from tests.fixtures import GraphQLClient


async def ready_work(
    plugin: PlayTypePlugin,
    gql: GraphQLClient,
    owner: TestUser,
    *,
    cover_policy: str | None = "PUBLIC_READ",
    cover_content_type: str = "image/png",
) -> PlaySession:
    """A session whose draft is the plugin's example, with its images bound (PUBLIC_READ)
    and a cover bound as asked (None: no cover)."""
    started = await plugin.start_session(viewer=owner.principal, seed_text="a seed")
    draft = plugin.example_draft()
    await plugin.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    for image in plugin.example_images(work_id=started.work_id, draft=draft):
        await bind_image(
            gql,
            owner.access_token,
            entity_kind=image.entity_kind,
            entity_id=image.entity_id,
            slot=image.slot,
        )
    if cover_policy is not None:
        cover = plugin.cover_slot(started.work_id)
        options: dict[str, Any] = {"content_type": cover_content_type}
        if cover_content_type != "image/png":
            options["data"] = b"RIFF\x00\x00\x00\x00WAVEfmt "
        await bind_image(
            gql,
            owner.access_token,
            entity_kind=cover.entity_kind,
            entity_id=cover.entity_id,
            slot=cover.slot,
            access_policy=cover_policy,
            **options,
        )
    return started
