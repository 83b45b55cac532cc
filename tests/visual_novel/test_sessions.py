"""Visual-novel sessions and the gate: a start from source assets takes only the creator's
own confirmed assets; autosave validates the draft; the gate reports every blocker."""

from __future__ import annotations

import pytest

from db.tables.assets import AssetObject
from db.tables.visual_novel import VisualNovelAgentSession, VisualNovelWorkProfile
from resolvers.visual_novel import sessions
from resolvers.visual_novel.errors import VisualNovelError
from resolvers.visual_novel.plugin import EXAMPLE_DRAFT, VISUAL_NOVEL
from tests.factories.auth import make_user
from tests.factories.runs import every_table


async def _asset(owner: str, asset_id: str) -> str:
    await AssetObject.insert(
        AssetObject(
            asset_object_id=asset_id,
            bucket="b",
            object_key=f"k/{asset_id}",
            access_policy="private",
            content_type="image/png",
            owner_user_id=owner,
            asset_kind="upload",
        )
    )
    return asset_id


async def test_a_start_from_source_assets_keeps_them_on_the_session_and_the_work() -> None:
    # given a creator's confirmed asset
    user = await make_user()
    asset = await _asset(user.user_id, "a1")
    # when they start from it
    started = await sessions.start_session(viewer=user.principal, source_asset_ids=[asset])
    # then the session is in ASSETS mode and both rows keep the ids
    assert (started.session.source_mode, started.session.source_asset_ids_json) == (
        "assets",
        ["a1"],
    )
    assert started.work.source_asset_ids_json == ["a1"]
    assert started.session.pending_action_json == {"kind": "add_scenes"}


@pytest.mark.parametrize("which", ["another user's", "missing", "none"])
async def test_a_start_from_assets_that_are_not_yours_writes_nothing(which: str) -> None:
    # given someone else's asset
    user, other = await make_user(), await make_user()
    theirs = await _asset(other.user_id, "b1")
    ids = {"another user's": [theirs], "missing": ["nope"], "none": []}[which]
    before = await every_table()
    # when a start names it / then SOURCE_ASSETS_INVALID, nothing written
    with pytest.raises(VisualNovelError) as refused:
        await sessions.start_session(viewer=user.principal, source_asset_ids=ids)
    assert (refused.value.code.value, refused.value.field) == (
        "SOURCE_ASSETS_INVALID",
        "sourceAssetIds",
    )
    assert await every_table() == before
    assert await VisualNovelAgentSession.count() == 0


async def test_an_invalid_draft_is_refused_and_nothing_written() -> None:
    # given a session
    user = await make_user()
    started = await VISUAL_NOVEL.start_session(viewer=user.principal, seed_text="")
    before = await every_table()
    # when the form saves two scenes with one id / then DRAFT_INVALID, nothing written
    scene = {"sceneId": "same"}
    with pytest.raises(VisualNovelError) as refused:
        await VISUAL_NOVEL.autosave(
            viewer=user.principal,
            session_id=started.session_id,
            seed_text=None,
            draft={"scenes": [scene, scene]},
        )
    assert refused.value.code.value == "DRAFT_INVALID"
    assert await every_table() == before


async def test_the_gate_reports_every_story_blocker() -> None:
    # given a story with a choice to a missing scene and an ending nothing leads to
    user = await make_user()
    started = await VISUAL_NOVEL.start_session(viewer=user.principal, seed_text="")
    broken = {
        **EXAMPLE_DRAFT,
        "scenes": [
            {
                "sceneId": "platform",
                "choices": [
                    {"choiceId": "go", "nextSceneId": "nowhere"},
                    {"choiceId": "end", "endingId": "truth"},
                ],
            }
        ],
    }
    await VISUAL_NOVEL.autosave(
        viewer=user.principal, session_id=started.session_id, seed_text=None, draft=broken
    )
    # when the gate runs / then each problem is a blocker with its code
    found = await VISUAL_NOVEL.blockers(viewer=user.principal, work_id=started.work_id)
    assert [(b.code.value, b.field, b.part_id) for b in found] == [
        ("COVER_MISSING", "cover", None),
        ("CHOICE_TARGET_MISSING", "scenes.0.choices.0", "go"),
        ("ENDING_UNREACHABLE", "endings.1", "missed"),
        ("SCENE_IMAGE_MISSING", "scenes.0.image", "platform"),
    ]
    # and an empty story has neither scenes nor endings
    await VISUAL_NOVEL.autosave(
        viewer=user.principal,
        session_id=started.session_id,
        seed_text=None,
        draft={"title": "Empty"},
    )
    empty = await VISUAL_NOVEL.blockers(viewer=user.principal, work_id=started.work_id)
    assert [b.code.value for b in empty] == ["COVER_MISSING", "NO_SCENES", "NO_ENDINGS"]
    work = await VisualNovelWorkProfile.select(VisualNovelWorkProfile.work_title).first()
    assert work == {"work_title": "Empty"}
