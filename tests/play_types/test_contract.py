"""The play-type contract: what every registered play type must do.

Each test runs once per plugin of resolvers/play_types/registry.py, so a new play type
gets these tests by being listed there.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from db.tables.gallery import GalleryChangeEvent
from resolvers.errors import DomainError, NotAuthenticated, NotFound
from resolvers.gallery.model import GALLERY_STREAM
from resolvers.play_types.contract import PlayTypePlugin
from resolvers.principal import ANONYMOUS
from subscriptions import streams
from tests.factories.auth import make_user
from tests.factories.gallery import read_model
from tests.factories.play_types import ready_work
from tests.fixtures import GraphQLClient


async def _stored_draft(plugin: PlayTypePlugin, session_id: str) -> dict[str, Any]:
    table = plugin.draft.table
    row = (
        await table.select(table._meta.get_column_by_name(plugin.draft.column))
        .where(table._meta.primary_key == session_id)
        .first()
    )
    assert row is not None
    value = row[plugin.draft.column]
    stored: dict[str, Any] = orjson.loads(value) if isinstance(value, str | bytes) else value
    return stored


async def _gallery_changes() -> list[tuple[str, str, str]]:
    rows = await GalleryChangeEvent.select(
        GalleryChangeEvent.event_kind, GalleryChangeEvent.play_type, GalleryChangeEvent.work_id
    ).order_by(GalleryChangeEvent.event_id)
    return [(row["event_kind"], row["play_type"], row["work_id"]) for row in rows]


async def test_a_session_starts_with_its_draft_work_not_in_the_gallery(
    plugin: PlayTypePlugin,
) -> None:
    # given a creator
    owner = await make_user()
    # when they start a session from a seed
    started = await plugin.start_session(viewer=owner.principal, seed_text="a lighthouse")
    # then its work exists as a draft, blocked, and not in the gallery
    blockers = await plugin.blockers(viewer=owner.principal, work_id=started.work_id)
    assert "COVER_MISSING" in [blocker.code.value for blocker in blockers]
    assert await read_model(started.work_id, plugin.play_type) is None
    assert await _gallery_changes() == []


async def test_autosave_keeps_draft_fields_the_model_does_not_know(
    plugin: PlayTypePlugin,
) -> None:
    # given a session whose stored draft holds a key its model does not declare
    owner = await make_user()
    started = await plugin.start_session(viewer=owner.principal, seed_text="")
    await plugin.autosave(
        viewer=owner.principal,
        session_id=started.session_id,
        seed_text=None,
        draft=plugin.example_draft(),
    )
    stored = await _stored_draft(plugin, started.session_id)
    table = plugin.draft.table
    await table.update(
        {
            table._meta.get_column_by_name(plugin.draft.column): orjson.dumps(
                {**stored, "generatedAssets": [{"id": "a1", "kind": "sprite"}]}
            ).decode()
        }
    ).where(table._meta.primary_key == started.session_id)
    # when the form autosaves a changed draft
    changed = {**plugin.example_draft(), "tags": ["changed"]}
    await plugin.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text="new seed", draft=changed
    )
    # then the change is stored and the unknown key survived
    after = await _stored_draft(plugin, started.session_id)
    assert after["tags"] == ["changed"]
    assert after["generatedAssets"] == [{"id": "a1", "kind": "sprite"}]


async def test_publishing_a_ready_work_enters_the_gallery_with_a_public_code(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> None:
    # given a work that passes the gate
    owner = await make_user()
    started = await ready_work(plugin, gql, owner)
    assert await plugin.blockers(viewer=owner.principal, work_id=started.work_id) == []
    # when it is published
    work = await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # then it has a public code of its play type, a gallery row and a PUBLISHED change
    code = work.public_work_code
    assert code.startswith(plugin.public_code_prefix)
    assert len(code) == len(plugin.public_code_prefix) + plugin.public_code_length
    row = await read_model(started.work_id, plugin.play_type)
    assert row is not None and row["owner_user_id"] == owner.user_id
    assert await _gallery_changes() == [("published", plugin.play_type.value, started.work_id)]
    entries = await streams.replay(GALLERY_STREAM, after=0, limit=10)
    assert [(entry.sequence, entry.kind) for entry in entries] == [(1, "published")]


async def test_publishing_twice_publishes_once(plugin: PlayTypePlugin, gql: GraphQLClient) -> None:
    # given a published work
    owner = await make_user()
    started = await ready_work(plugin, gql, owner)
    await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # when it is published again
    with pytest.raises(DomainError) as refused:
        await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # then ALREADY_PUBLISHED, and no second change
    assert refused.value.code.value == "ALREADY_PUBLISHED"
    assert len(await _gallery_changes()) == 1


async def test_update_republishes_and_unpublish_leaves_the_gallery_keeping_the_code(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> None:
    # given a published work
    owner = await make_user()
    started = await ready_work(plugin, gql, owner)
    published = await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # when it is updated, unpublished, then published again
    await plugin.update(viewer=owner.principal, work_id=started.work_id)
    await plugin.unpublish(viewer=owner.principal, work_id=started.work_id)
    assert await read_model(started.work_id, plugin.play_type) is None
    again = await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # then the changes follow in order and the public code was kept
    kinds = [kind for kind, _, _ in await _gallery_changes()]
    assert kinds == ["published", "updated", "unpublished", "published"]
    assert again.public_work_code == published.public_work_code


async def test_update_and_unpublish_of_a_draft_are_refused(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> None:
    # given a ready draft
    owner = await make_user()
    started = await ready_work(plugin, gql, owner)
    # when it is updated or unpublished before publication
    for operation in (plugin.update, plugin.unpublish):
        with pytest.raises(DomainError) as refused:
            await operation(viewer=owner.principal, work_id=started.work_id)
        # then NOT_PUBLISHED, and nothing reached the gallery
        assert refused.value.code.value == "NOT_PUBLISHED"
    assert await _gallery_changes() == []


@pytest.mark.parametrize(
    ("policy", "content_type", "reason"),
    [
        (None, "image/png", "missing"),
        ("PRIVATE", "image/png", "not_public"),
        ("PUBLIC_READ", "audio/wav", "not_an_image"),
    ],
)
async def test_the_cover_must_be_a_public_image(
    plugin: PlayTypePlugin,
    gql: GraphQLClient,
    policy: str | None,
    content_type: str,
    reason: str,
) -> None:
    # given an otherwise ready work whose cover is missing, private or not an image
    owner = await make_user()
    started = await ready_work(
        plugin, gql, owner, cover_policy=policy, cover_content_type=content_type
    )
    expected = {
        "missing": "COVER_MISSING",
        "not_public": plugin.image_codes.not_public.value,
        "not_an_image": plugin.image_codes.not_an_image.value,
    }[reason]
    # when the gate runs and the owner publishes
    blockers = await plugin.blockers(viewer=owner.principal, work_id=started.work_id)
    with pytest.raises(DomainError):
        await plugin.publish(viewer=owner.principal, work_id=started.work_id)
    # then the cover is the one blocker, and nothing was published
    assert [(blocker.code.value, blocker.field) for blocker in blockers] == [(expected, "cover")]
    assert await read_model(started.work_id, plugin.play_type) is None
    assert await _gallery_changes() == []
    # and the session still saves with that blocker in place
    await plugin.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text="again", draft=None
    )


async def test_another_user_and_anonymous_are_refused_everything(
    plugin: PlayTypePlugin, gql: GraphQLClient
) -> None:
    # given alice's ready work
    alice, bob = await make_user(), await make_user()
    started = await ready_work(plugin, gql, alice)
    before = await _stored_draft(plugin, started.session_id)
    # when bob or an anonymous caller touch it
    for viewer, refusal in ((bob.principal, NotFound), (ANONYMOUS, NotAuthenticated)):
        with pytest.raises(refusal):
            await plugin.autosave(
                viewer=viewer, session_id=started.session_id, seed_text="x", draft=None
            )
        for operation in (plugin.blockers, plugin.publish, plugin.update, plugin.unpublish):
            with pytest.raises(refusal):
                await operation(viewer=viewer, work_id=started.work_id)
    with pytest.raises(NotAuthenticated):
        await plugin.start_session(viewer=ANONYMOUS, seed_text="")
    # then nothing changed
    assert await _stored_draft(plugin, started.session_id) == before
    assert await read_model(started.work_id, plugin.play_type) is None
    assert await _gallery_changes() == []
