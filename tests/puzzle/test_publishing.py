"""Publishing puzzles: the gate names every blocker, real uploaded assets fix them, a
publication assigns a public work code and writes `puzzle_event` and the gallery's read
model; updates keep the gallery in step; unpublish removes the work; concurrent
publications publish once; only the owner binds images."""

from __future__ import annotations

import asyncio
from typing import Any

import schema.build  # noqa: F401
from db.tables.gallery import GalleryChangeEvent, GalleryPublicWork
from db.tables.puzzle import PuzzleEvent, PuzzleWorkProfile
from resolvers.puzzle import publishing
from resolvers.puzzle.errors import PuzzleError
from tests.factories import puzzle
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

GALLERY = """
{ gallery(playType: PUZZLE, order: NEWEST) { nodes { workId title summary coverUrl theme tags
  publicationStatus likeCount ... on PuzzleWork { publicWorkCode levels { name gridSize imageUrl } } } } }
"""
PUBLIC = """
query($c: String!) { publicPuzzleWork(publicWorkCode: $c) { workId title sessionId publishReady
  publishBlockers { code } levels { name } } }
"""
BINDINGS = """
query($k: String!, $e: String!) { assetBindings(entityKind: $k, entityId: $e) { slot assetObjectId } }
"""


async def _draft(gql: GraphQLClient, token: str, draft: dict[str, Any]) -> dict[str, Any]:
    started = await puzzle.start(gql, token, "Autumn maples")
    saved = await puzzle.autosave(gql, token, started["session"]["sessionId"], draft=draft)
    assert saved["errors"] == [], saved
    return dict(saved["work"])


async def _gallery_rows() -> list[dict[str, Any]]:
    return list(await GalleryPublicWork.select(GalleryPublicWork.work_id, GalleryPublicWork.title))


async def _events() -> list[str]:
    rows = await PuzzleEvent.select(PuzzleEvent.event_kind).order_by(PuzzleEvent.event_id)
    return [row["event_kind"] for row in rows]


async def test_the_gate_names_each_blocker_and_real_uploads_fix_them(gql: GraphQLClient) -> None:
    user = await make_user()
    token = user.access_token
    # given a draft with an unnamed level, a level without grid size and no images
    work = await _draft(gql, token, {"levels": puzzle.levels(4, None, names=["", "Lake"])})
    work_id = work["workId"]
    # when the creator tries to publish it
    refused = await puzzle.publish(gql, token, work_id)
    # then every blocker is listed with its code, and nothing was published
    assert refused["errors"][0]["code"] == "PUBLISH_BLOCKED"
    assert refused["work"] is None
    level_ids = [level["levelId"] for level in work["levels"]]
    assert [(b["code"], b["field"], b["levelId"]) for b in refused["blockers"]] == [
        ("TITLE_MISSING", "title", None),
        ("COVER_MISSING", "cover", None),
        ("LEVEL_NAME_MISSING", "levels.0.name", level_ids[0]),
        ("LEVEL_IMAGE_MISSING", "levels.0.image", level_ids[0]),
        ("GRID_SIZE_INVALID", "levels.1.gridSize", level_ids[1]),
        ("LEVEL_IMAGE_MISSING", "levels.1.image", level_ids[1]),
    ]
    assert await _events() == [] and await _gallery_rows() == []
    # when a private cover and a level image that is no image are bound
    private = await puzzle.bind_image(
        gql,
        token,
        entity_kind="puzzle_work",
        entity_id=work_id,
        slot="cover",
        access_policy="PRIVATE",
    )
    assert private["errors"] == []
    model = await puzzle.bind_image(
        gql,
        token,
        entity_kind="puzzle_level",
        entity_id=f"{work_id}.{level_ids[1]}",
        slot="image",
        data=b"glTF\x02\x00\x00\x00" + bytes(24),
        content_type="model/gltf-binary",
    )
    assert model["errors"] == []
    blocked = (await puzzle.work(gql, token, work_id))["publishBlockers"]
    assert ("IMAGE_NOT_PUBLIC", "cover") in [(b["code"], b["field"]) for b in blocked]
    assert ("IMAGE_NOT_AN_IMAGE", "levels.1.image") in [(b["code"], b["field"]) for b in blocked]
    # when the form is completed and public images are bound (replacing the others)
    await puzzle.autosave(
        gql,
        token,
        work["sessionId"],
        draft={
            "title": "Maples",
            "theme": "seasons",
            "tags": ["autumn"],
            "levels": [
                {"levelId": level_ids[0], "name": "Red", "gridSize": 4},
                {"levelId": level_ids[1], "name": "Lake", "gridSize": 6},
            ],
        },
    )
    ready = await puzzle.work(gql, token, work_id)
    assert [b["code"] for b in ready["publishBlockers"]] == [
        "IMAGE_NOT_PUBLIC",
        "LEVEL_IMAGE_MISSING",
        "IMAGE_NOT_AN_IMAGE",
    ]
    await puzzle.bind_everything(gql, token, ready)
    await puzzle.bind_image(
        gql,
        token,
        entity_kind="puzzle_level",
        entity_id=f"{work_id}.{level_ids[1]}",
        slot="image",
    )
    assert (await puzzle.work(gql, token, work_id))["publishReady"] is True
    # then publishing succeeds: public code, published, cover readable by anyone
    published = await puzzle.publish(gql, token, work_id)
    assert published["errors"] == [] and published["blockers"] == []
    done = published["work"]
    code = done["publicWorkCode"]
    assert code.startswith("PZ") and len(code) == 12
    assert (done["publicationStatus"], done["publishReady"], done["title"]) == (
        "PUBLISHED",
        True,
        "Maples",
    )
    cover = await gql.http.get(done["coverUrl"])
    assert (cover.status_code, cover.headers["content-type"]) == (200, "image/png")
    assert [(lv["name"], lv["gridSize"]) for lv in done["levels"]] == [("Red", 4), ("Lake", 6)]
    assert all(level["imageAssetId"] for level in done["levels"])
    # and the event, the gallery read model, the feed and the public code all show it
    assert await _events() == ["published"]
    assert await _gallery_rows() == [{"work_id": work_id, "title": "Maples"}]
    feed = (await gql.execute(GALLERY))["data"]["gallery"]["nodes"]
    assert len(feed) == 1
    assert (feed[0]["workId"], feed[0]["publicWorkCode"], feed[0]["theme"], feed[0]["tags"]) == (
        work_id,
        code,
        "seasons",
        ["autumn"],
    )
    assert feed[0]["coverUrl"].startswith("/assets/objects/")
    assert (await gql.http.get(feed[0]["coverUrl"])).status_code == 200
    public = (await gql.execute(PUBLIC, {"c": code.lower()}))["data"]["publicPuzzleWork"]
    assert public == {
        "workId": work_id,
        "title": "Maples",
        "sessionId": None,
        "publishReady": True,
        "publishBlockers": [],
        "levels": [{"name": "Red"}, {"name": "Lake"}],
    }
    session = await puzzle.session(gql, token, work["sessionId"])
    assert (session["puzzleStage"], session["progress"]) == ("PUBLISHED", 100)


async def _published(gql: GraphQLClient, token: str) -> dict[str, Any]:
    work = await _draft(gql, token, {"title": "Maples", "levels": puzzle.levels(4)})
    await puzzle.bind_everything(gql, token, await puzzle.work(gql, token, work["workId"]))
    published = await puzzle.publish(gql, token, work["workId"])
    assert published["errors"] == [], published
    return dict(published["work"])


async def test_updates_keep_the_gallery_in_step_and_unpublish_removes_the_work(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    token = user.access_token
    work = await _published(gql, token)
    work_id, code = work["workId"], work["publicWorkCode"]
    # when the session's draft changes, the published work stays as published
    await puzzle.autosave(
        gql,
        token,
        work["sessionId"],
        draft={
            "title": "Maples II",
            "levels": [{"levelId": work["levels"][0]["levelId"], "name": "Red", "gridSize": 5}],
        },
    )
    assert (await puzzle.work(gql, token, work_id))["title"] == "Maples"
    assert await _gallery_rows() == [{"work_id": work_id, "title": "Maples"}]
    # and publishing it again is refused: it is already published
    again = await puzzle.publish(gql, token, work_id)
    assert again["errors"][0]["code"] == "ALREADY_PUBLISHED"
    # when the owner updates the work, the work and the gallery follow
    updated = await puzzle.publish(gql, token, work_id, update=True)
    assert updated["errors"] == []
    assert (updated["work"]["title"], updated["work"]["publicWorkCode"]) == ("Maples II", code)
    assert updated["work"]["levels"][0]["gridSize"] == 5
    assert await _gallery_rows() == [{"work_id": work_id, "title": "Maples II"}]
    assert await _events() == ["published", "updated"]
    # an update that would break the gate is refused and changes nothing
    await puzzle.autosave(
        gql, token, work["sessionId"], draft={"title": "Maples III", "levels": puzzle.levels(3)}
    )
    blocked = await puzzle.publish(gql, token, work_id, update=True)
    assert blocked["errors"][0]["code"] == "PUBLISH_BLOCKED"
    assert [b["code"] for b in blocked["blockers"]] == ["LEVEL_IMAGE_MISSING"]
    assert await _gallery_rows() == [{"work_id": work_id, "title": "Maples II"}]
    # when the owner unpublishes it, it leaves the gallery and becomes a draft again
    result = await gql.execute(puzzle.UNPUBLISH, {"w": work_id}, token=token)
    unpublished = result["data"]["puzzleWorkUnpublish"]
    assert unpublished["errors"] == []
    assert (unpublished["work"]["publicationStatus"], unpublished["work"]["title"]) == (
        "DRAFT",
        "Maples III",
    )
    assert await _gallery_rows() == []
    assert await _events() == ["published", "updated", "unpublished"]
    assert (await gql.execute(GALLERY))["data"]["gallery"]["nodes"] == []
    twice = await gql.execute(puzzle.UNPUBLISH, {"w": work_id}, token=token)
    assert twice["data"]["puzzleWorkUnpublish"]["errors"][0]["code"] == "NOT_PUBLISHED"
    not_published = await puzzle.publish(gql, token, work_id, update=True)
    assert not_published["errors"][0]["code"] == "NOT_PUBLISHED"
    kinds = [
        row["event_kind"]
        for row in await GalleryChangeEvent.select().order_by(GalleryChangeEvent.event_id)
    ]
    assert kinds == ["published", "updated", "unpublished"]


async def test_publishing_the_same_work_concurrently_publishes_once(gql: GraphQLClient) -> None:
    # given a work that passes the gate
    user = await make_user()
    token = user.access_token
    work = await _draft(gql, token, {"title": "Race", "levels": puzzle.levels(3)})
    await puzzle.bind_everything(gql, token, await puzzle.work(gql, token, work["workId"]))

    async def attempt() -> str:
        try:
            await publishing.publish_work(viewer=user.principal, work_id=work["workId"])
        except PuzzleError as error:
            return str(error.code)
        return "published"

    # when six publications race
    outcomes = await asyncio.gather(*(attempt() for _ in range(6)))
    # then one published, the others were told it already is: one event, one code
    assert sorted(outcomes) == ["ALREADY_PUBLISHED"] * 5 + ["published"]
    assert await _events() == ["published"]
    assert await GalleryChangeEvent.count() == 1
    codes = await PuzzleWorkProfile.select(PuzzleWorkProfile.public_work_code)
    assert len(codes) == 1 and codes[0]["public_work_code"].startswith("PZ")


async def test_only_the_owner_binds_images_and_others_see_them_once_published(
    gql: GraphQLClient,
) -> None:
    owner = await make_user()
    intruder = await make_user()
    work = await _draft(gql, owner.access_token, {"title": "Mine", "levels": puzzle.levels(3)})
    work_id = work["workId"]
    level_entity = f"{work_id}.{work['levels'][0]['levelId']}"
    # someone else cannot bind to the work or its levels, nor see their bindings
    for kind, entity, slot in [
        ("puzzle_work", work_id, "cover"),
        ("puzzle_level", level_entity, "image"),
    ]:
        refused = await puzzle.bind_image(
            gql, intruder.access_token, entity_kind=kind, entity_id=entity, slot=slot
        )
        assert refused["errors"][0]["code"] == "ENTITY_NOT_ALLOWED"
        hidden = await gql.execute(BINDINGS, {"k": kind, "e": entity}, token=intruder.access_token)
        assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # the owner cannot bind to a level the work does not have
    unknown = await puzzle.bind_image(
        gql,
        owner.access_token,
        entity_kind="puzzle_level",
        entity_id=f"{work_id}.nope",
        slot="image",
    )
    assert unknown["errors"][0]["code"] == "ENTITY_NOT_ALLOWED"
    # once published, anyone sees the bindings
    await puzzle.bind_everything(
        gql, owner.access_token, await puzzle.work(gql, owner.access_token, work_id)
    )
    assert (await puzzle.publish(gql, owner.access_token, work_id))["errors"] == []
    shown = await gql.execute(BINDINGS, {"k": "puzzle_work", "e": work_id})
    assert [binding["slot"] for binding in shown["data"]["assetBindings"]] == ["cover"]
