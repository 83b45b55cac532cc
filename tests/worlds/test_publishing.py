"""Publishing custom worlds: blockers, real covers, both read models in step, unpublish,
soft delete, and the races (publish twice, card update racing publish)."""

from __future__ import annotations

import asyncio
from typing import Any

from db.tables.gallery import GalleryChangeEvent, GalleryPublicWork
from db.tables.worlds import CustomWorldGalleryEntry, CustomWorldProfile
from resolvers.worlds import works
from resolvers.worlds.card_edits import CardEdit, update_card
from resolvers.worlds.errors import PublishBlocked, WorldError
from tests.factories.auth import make_user
from tests.factories.worlds import (
    AUTOSAVE,
    CARD_UPDATE,
    DELETE,
    UNPUBLISH,
    bind_cover,
    create_session,
    my_worlds,
    publish,
    ready_world,
    session,
    talk,
)
from tests.fixtures import GraphQLClient

PUBLIC = """
query($c: String!) { publicCustomWorld(publicWorkCode: $c) {
  workId title publicationStatus publicWorkCode coverUrl landmarkCount playableNpcCount
  author { displayName } publishGate { ready } agentSession { sessionId }
  world { anchors { key filled } places { name } }
} }
"""
PUBLIC_LIST = """
query($t: CustomWorldThemeMode) { publicCustomWorlds(themeMode: $t) { nodes { workId title } } }
"""
GALLERY = "{ gallery(playType: CUSTOM_WORLD, order: NEWEST) { nodes { workId title coverUrl } } }"
NODE = "query($id: ID!) { node(id: $id) { ... on CustomWorldWork { workId title } } }"


async def _read_models(profile_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entry = await CustomWorldGalleryEntry.select(
        CustomWorldGalleryEntry.world_name,
        CustomWorldGalleryEntry.public_work_code,
        CustomWorldGalleryEntry.cover_image_src,
        CustomWorldGalleryEntry.landmark_count,
    ).where(CustomWorldGalleryEntry.profile_id == profile_id)
    gallery = await GalleryPublicWork.select(
        GalleryPublicWork.title, GalleryPublicWork.cover_image_src, GalleryPublicWork.theme
    ).where(GalleryPublicWork.work_id == profile_id)
    return entry, gallery


async def _changes() -> list[tuple[str, str]]:
    rows = await GalleryChangeEvent.select(
        GalleryChangeEvent.event_kind, GalleryChangeEvent.work_id
    ).order_by(GalleryChangeEvent.occurred_at)
    return [(row["event_kind"], row["work_id"]) for row in rows]


async def test_publishing_is_blocked_until_real_assets_fix_it(gql: GraphQLClient) -> None:
    user = await make_user("maker")
    created = await create_session(gql, user.access_token, "Ember Pass")
    session_id = created["session"]["sessionId"]
    profile_id = created["session"]["profileId"]
    # when a fresh world is published
    refused = await publish(gql, user.access_token, profile_id)
    # then every blocker is listed, one error each, and nothing was written
    assert [(b["code"], b["anchor"]) for b in refused["blockers"]][:3] == [
        ("WORLD_NAME_MISSING", None),
        ("ANCHOR_MISSING", "TONE"),
        ("ANCHOR_MISSING", "SETTING"),
    ]
    assert [e["code"] for e in refused["errors"]][-3:] == [
        "NO_PLAYABLE_CHARACTER",
        "NO_LANDMARK",
        "COVER_MISSING",
    ]
    assert (len(refused["errors"]), refused["work"]) == (11, None)
    assert await _read_models(profile_id) == ([], [])
    assert await CustomWorldProfile.select(CustomWorldProfile.publication_status) == [
        {"publication_status": "draft"}
    ]
    # when the agent drafts it, the cover alone blocks
    await talk(gql, user.access_token, session_id, "Go.")
    blocked = await publish(gql, user.access_token, profile_id)
    assert [e["code"] for e in blocked["errors"]] == ["COVER_MISSING"]
    # when a non-image is bound as the cover, the gate says so
    await bind_cover(gql, user.access_token, profile_id, content=b"RIFF\x00\x00\x00\x00WAVEfmt ")
    assert [e["code"] for e in (await publish(gql, user.access_token, profile_id))["errors"]] == [
        "COVER_NOT_IMAGE"
    ]
    # when a real image is uploaded and bound as the cover, the world publishes
    cover = await bind_cover(gql, user.access_token, profile_id)
    ready = await gql.execute(
        "query($p: ID!) { customWorld(profileId: $p) { publishReady publishGate { ready } } }",
        {"p": profile_id},
        token=user.access_token,
    )
    assert ready["data"]["customWorld"] == {"publishReady": True, "publishGate": {"ready": True}}
    published = await publish(gql, user.access_token, profile_id)
    assert published["errors"] == []
    work = published["work"]
    assert work["publicationStatus"] == "PUBLISHED"
    assert work["publicWorkCode"].startswith("CW") and len(work["publicWorkCode"]) == 10
    assert f"/assets/objects/{cover['assetObjectId']}?" in work["coverUrl"]
    # and both read models hold it, with the gallery's PUBLISHED change
    entry, gallery = await _read_models(profile_id)
    found = await session(gql, user.access_token, session_id)
    name = found["worldDraft"]["worldName"]
    assert entry == [
        {
            "world_name": name,
            "public_work_code": work["publicWorkCode"],
            "cover_image_src": f"/assets/objects/{cover['assetObjectId']}",
            "landmark_count": 3,
        }
    ]
    assert gallery == [
        {
            "title": name,
            "cover_image_src": f"/assets/objects/{cover['assetObjectId']}",
            "theme": found["worldDraft"]["themeMode"].lower(),
        }
    ]
    assert await _changes() == [("published", profile_id)]
    assert found["stage"] == "published"
    # and anyone finds it: by code, in the worlds' read model, in the gallery, by node id
    public = await gql.execute(PUBLIC, {"c": work["publicWorkCode"].lower()})
    shown = public["data"]["publicCustomWorld"]
    assert (shown["title"], shown["author"], shown["publishGate"], shown["agentSession"]) == (
        name,
        {"displayName": "maker"},
        None,
        None,
    )
    assert all(anchor["filled"] for anchor in shown["world"]["anchors"])
    listed = await gql.execute(PUBLIC_LIST, {"t": found["worldDraft"]["themeMode"]})
    assert listed["data"]["publicCustomWorlds"]["nodes"] == [{"workId": profile_id, "title": name}]
    feed = await gql.execute(GALLERY)
    assert [(n["workId"], n["title"]) for n in feed["data"]["gallery"]["nodes"]] == [
        (profile_id, name)
    ]
    assert "signature=" in feed["data"]["gallery"]["nodes"][0]["coverUrl"]
    image = await gql.http.get(feed["data"]["gallery"]["nodes"][0]["coverUrl"])
    assert (image.status_code, image.headers["content-type"]) == (200, "image/png")
    node = await gql.execute(NODE, {"id": created["work"]["id"]})
    assert node["data"]["node"] == {"workId": profile_id, "title": name}
    # and publishing again is refused without a second change
    again = await publish(gql, user.access_token, profile_id)
    assert [e["code"] for e in again["errors"]] == ["ALREADY_PUBLISHED"]
    assert await _changes() == [("published", profile_id)]


async def test_updates_keep_both_read_models_in_step(gql: GraphQLClient) -> None:
    user = await make_user()
    world = await ready_world(gql, user.access_token)
    profile_id = world["profile_id"]
    await publish(gql, user.access_token, profile_id)
    # when the published world is renamed (autosave) and a card is edited
    saved = await gql.execute(
        AUTOSAVE,
        {"i": {"sessionId": world["session_id"], "worldName": "Renamed", "themeMode": "HORROR"}},
        token=user.access_token,
    )
    assert saved["data"]["customWorldAgentSessionAutosave"]["errors"] == []
    # then both read models follow, with an UPDATED change
    entry, gallery = await _read_models(profile_id)
    assert (entry[0]["world_name"], gallery[0]["title"], gallery[0]["theme"]) == (
        "Renamed",
        "Renamed",
        "horror",
    )
    assert await _changes() == [("published", profile_id), ("updated", profile_id)]
    # when a change would leave the published world without a playable character
    found = await session(gql, user.access_token, world["session_id"])
    hero = next(c for c in found["worldDraft"]["characters"] if c["playable"])
    refused = await gql.execute(
        CARD_UPDATE, {"i": {"cardId": hero["id"], "playable": False}}, token=user.access_token
    )
    # then it is refused with the blocker and nothing changed
    payload = refused["data"]["draftCardUpdate"]
    assert [e["code"] for e in payload["errors"]] == ["NO_PLAYABLE_CHARACTER"]
    assert "unpublish it first" in payload["errors"][0]["message"]
    after = await session(gql, user.access_token, world["session_id"])
    assert after["worldDraft"] == found["worldDraft"]
    assert len(await _changes()) == 2
    # when it is unpublished, both read models drop it (UNPUBLISHED) and it is a draft
    unpublished = await gql.execute(UNPUBLISH, {"p": profile_id}, token=user.access_token)
    assert unpublished["data"]["customWorldUnpublish"]["work"]["publicationStatus"] == "DRAFT"
    code = unpublished["data"]["customWorldUnpublish"]["work"]["publicWorkCode"]
    assert await _read_models(profile_id) == ([], [])
    assert (await _changes())[-1] == ("unpublished", profile_id)
    assert (await session(gql, user.access_token, world["session_id"]))["stage"] == (
        "ready_to_publish"
    )
    # and unpublishing again is refused; publishing again keeps the code
    again = await gql.execute(UNPUBLISH, {"p": profile_id}, token=user.access_token)
    assert again["data"]["customWorldUnpublish"]["errors"][0]["code"] == "NOT_PUBLISHED"
    republished = await publish(gql, user.access_token, profile_id)
    assert republished["work"]["publicWorkCode"] == code


async def test_a_deleted_world_vanishes_from_every_list(gql: GraphQLClient) -> None:
    user = await make_user()
    world = await ready_world(gql, user.access_token)
    profile_id = world["profile_id"]
    code = (await publish(gql, user.access_token, profile_id))["work"]["publicWorkCode"]
    other = await create_session(gql, user.access_token, "Another")
    # when the published world is deleted
    deleted = await gql.execute(DELETE, {"p": profile_id}, token=user.access_token)
    assert deleted["data"]["customWorldDelete"] == {"errors": [], "deletedWorkId": profile_id}
    # then it is soft-deleted, out of both read models and of every list and read
    row = await CustomWorldProfile.select(CustomWorldProfile.deleted_at).where(
        CustomWorldProfile.profile_id == profile_id
    )
    assert row[0]["deleted_at"] is not None
    assert await _read_models(profile_id) == ([], [])
    assert [w["workId"] for w in await my_worlds(gql, user.access_token)] == [
        other["session"]["profileId"]
    ]
    assert (await gql.execute(GALLERY))["data"]["gallery"]["nodes"] == []
    assert (await gql.execute(PUBLIC_LIST, {"t": None}))["data"]["publicCustomWorlds"][
        "nodes"
    ] == []
    public = await gql.execute(PUBLIC, {"c": code})
    assert public["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    sessions_list = await gql.execute(
        "{ viewer { customWorldAgentSessions { nodes { sessionId } } } }", token=user.access_token
    )
    assert sessions_list["data"]["viewer"]["customWorldAgentSessions"]["nodes"] == [
        {"sessionId": other["session"]["sessionId"]}
    ]
    lookup = await gql.execute(
        "query($s: ID!) { customWorldAgentSession(sessionId: $s) { sessionId } }",
        {"s": world["session_id"]},
        token=user.access_token,
    )
    assert lookup["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # and it takes no more writes
    again = await gql.execute(DELETE, {"p": profile_id}, token=user.access_token)
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_two_concurrent_publishes_publish_once(gql: GraphQLClient) -> None:
    user = await make_user()
    world = await ready_world(gql, user.access_token)
    # when the world is published twice at once
    outcomes = await asyncio.gather(
        *(works.publish(viewer=user.principal, profile_id=world["profile_id"]) for _ in range(2)),
        return_exceptions=True,
    )
    # then one publish wins, the other is ALREADY_PUBLISHED, and there is one PUBLISHED change
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], WorldError)
    assert failures[0].code == "ALREADY_PUBLISHED"
    assert await _changes() == [("published", world["profile_id"])]
    assert await CustomWorldGalleryEntry.count() == 1


async def test_a_card_update_racing_a_publish_leaves_a_consistent_state(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    for attempt in range(3):
        world = await ready_world(gql, user.access_token, seed=f"race {attempt}")
        found = await session(gql, user.access_token, world["session_id"])
        hero = next(c for c in found["worldDraft"]["characters"] if c["playable"])["id"]
        place = found["worldDraft"]["places"][0]["id"]
        # when the only playable character loses that, a place is renamed, and the world
        # is published, all at once
        outcomes = await asyncio.gather(
            works.publish(viewer=user.principal, profile_id=world["profile_id"]),
            update_card(viewer=user.principal, card_id=hero, edit=CardEdit(playable=False)),
            update_card(
                viewer=user.principal,
                card_id=place,
                edit=CardEdit(title=f"Renamed {attempt}"),
            ),
            return_exceptions=True,
        )
        # then either the world was published with its playable character (the update was
        # refused) or the update won and the publish was refused: never a published world
        # that fails its gate
        published, demoted, renamed = outcomes
        profile = (
            await CustomWorldProfile.select().where(
                CustomWorldProfile.profile_id == world["profile_id"]
            )
        )[0]
        if isinstance(published, BaseException):
            assert isinstance(published, PublishBlocked)
            assert not isinstance(demoted, BaseException)
            assert profile["publication_status"] == "draft"
            assert profile["playable_npc_count"] == 0
        else:
            assert isinstance(demoted, PublishBlocked)
            assert profile["publication_status"] == "published"
            assert profile["playable_npc_count"] == 1
        assert not isinstance(renamed, BaseException)
        # and the read models show exactly what the profile shows
        entry, gallery = await _read_models(world["profile_id"])
        if profile["publication_status"] == "published":
            assert entry[0]["landmark_count"] == profile["landmark_count"]
            assert gallery[0]["title"] == profile["world_name"]
        else:
            assert (entry, gallery) == ([], [])
        cards = (await session(gql, user.access_token, world["session_id"]))["cards"]
        assert next(c for c in cards if c["cardId"] == place)["title"] == f"Renamed {attempt}"
