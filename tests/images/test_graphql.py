"""Image generation through the real ASGI app: covers and images for every play type with
the embedded backend, stored, bound and published; the fake provider's success and error
shapes; refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from db.tables.ai_tasks import AiResultReference
from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from resolvers.gallery.play_types import PlayType
from resolvers.images.drawing import draw_png
from resolvers.play_types.contract import PlaySession, PlayTypePlugin
from resolvers.play_types.registry import PLUGINS, plugin_for
from resolvers.puzzle.plugin import PUZZLE
from resolvers.worlds.plugin import CUSTOM_WORLD
from tests.factories.auth import TestUser, make_user
from tests.factories.images import (
    cover,
    fake_images_provider,
    finish,
    generate,
    image_rows,
    png,
    read_bytes,
    sha256,
    size_of,
    stored_object,
    task,
)
from tests.fixtures import GraphQLClient

PROMPT = "a lighthouse over a winter harbour"
PUBLISH = {
    "PUZZLE": "mutation($w: ID!) { puzzleWorkPublish(workId: $w) { errors { code } "
    "work { publicationStatus coverUrl } } }",
    "CUSTOM_WORLD": "mutation($w: ID!) { customWorldWorkPublish(profileId: $w) { "
    "errors { code } work { publicationStatus coverUrl } } }",
    "MATCH3D": "mutation($w: ID!) { match3dWorkPublish(workId: $w) { errors { code } "
    "work { publicationStatus coverUrl } } }",
    "SQUARE_HOLE": "mutation($w: ID!) { squareHoleWorkPublish(workId: $w) { errors { code } "
    "work { publicationStatus coverUrl } } }",
    "VISUAL_NOVEL": "mutation($w: ID!) { visualNovelWorkPublish(workId: $w) { errors { code } "
    "work { publicationStatus coverUrl } } }",
    "BIG_FISH": "mutation($w: ID!) { bigFishWorkPublish(sessionId: $w) { errors { code } "
    "work { publicationStatus coverUrl } } }",
}
EXPECTED_EVENTS = [
    ("CREATED", None),
    ("STARTED", None),
    ("STAGE_STARTED", "REQUEST_MODEL"),
    ("STAGE_COMPLETED", "REQUEST_MODEL"),
    ("STAGE_STARTED", "PERSIST_RESULT"),
    ("RESULT_ATTACHED", None),
    ("STAGE_COMPLETED", "PERSIST_RESULT"),
    ("COMPLETED", None),
]


def _name(plugin: PlayTypePlugin) -> str:
    return plugin.play_type.name


async def _drafted(plugin: PlayTypePlugin, owner: TestUser) -> PlaySession:
    """A work whose draft passes the gate once its images are bound."""
    started = await plugin.start_session(viewer=owner.principal, seed_text="a seed")
    await plugin.autosave(
        viewer=owner.principal,
        session_id=started.session_id,
        seed_text=None,
        draft=plugin.example_draft(),
    )
    return started


async def _generated(
    client: httpx.AsyncClient, gql: GraphQLClient, owner: TestUser, result: dict[str, Any]
) -> dict[str, Any]:
    """The object a generation request bound, once its task completed."""
    assert "errors" not in result, result
    payload = next(iter(result["data"].values()))
    assert payload["errors"] == []
    events = await finish(client, owner.access_token, payload["task"]["taskId"])
    assert [(event["kind"], event["stageKind"]) for event in events] == EXPECTED_EVENTS
    found = await task(gql, owner.access_token, payload["task"]["taskId"])
    assert found["status"] == "COMPLETED"
    (reference,) = found["results"]
    assert reference["kind"] == "ASSET_OBJECT" and reference["resultRefId"] == "image"
    return await stored_object(gql, owner.access_token, reference["referenceId"])


@pytest.mark.parametrize("plugin", PLUGINS, ids=_name)
async def test_a_generated_cover_is_stored_bound_and_publishes_the_work(
    plugin: PlayTypePlugin, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a work whose draft is ready but has no images
    owner = await make_user()
    work = await _drafted(plugin, owner)
    # when its owner generates the cover and every other image the draft needs
    generated = await _generated(
        client,
        gql,
        owner,
        await cover(gql, owner.access_token, _name(plugin), work.work_id, PROMPT),
    )
    for slot in plugin.example_images(work_id=work.work_id, draft=plugin.example_draft()):
        await _generated(
            client,
            gql,
            owner,
            await generate(
                gql,
                owner.access_token,
                prompt=f"{PROMPT}, {slot.entity_id}",
                entityKind=slot.entity_kind,
                entityId=slot.entity_id,
                slot=slot.slot,
            ),
        )
    # then the cover is a public PNG of the cover size, readable at its signed URL
    width, height = plugin.cover_size
    data = await read_bytes(client, generated["readUrl"])
    assert data == draw_png(PROMPT, width, height)
    assert size_of(data) == (width, height)
    assert generated["accessPolicy"] == "PUBLIC_READ"
    assert generated["contentType"] == "image/png"
    assert generated["contentHash"] == sha256(data)
    assert generated["contentLength"] == len(data)
    assert generated["assetKind"] == "generated_image"
    # and it is bound to the cover slot, with its CONFIRMED and BOUND events
    target = plugin.cover_slot(work.work_id)
    binding = await AssetEntityBinding.select().where(
        (AssetEntityBinding.entity_kind == target.entity_kind)
        & (AssetEntityBinding.entity_id == target.entity_id)
        & (AssetEntityBinding.slot == "cover")
    )
    assert [row["asset_object_id"] for row in binding] == [generated["assetObjectId"]]
    events = await AssetEvent.select(AssetEvent.event_kind).where(
        AssetEvent.asset_object_id == generated["assetObjectId"]
    )
    assert sorted(row["event_kind"] for row in events) == ["bound", "confirmed"]
    # and the gate passes: the work publishes with the generated cover
    published = await gql.execute(
        PUBLISH[_name(plugin)], {"w": work.work_id}, token=owner.access_token
    )
    payload = next(iter(published["data"].values()))
    assert payload["errors"] == []
    assert payload["work"]["publicationStatus"] == "PUBLISHED"
    assert payload["work"]["coverUrl"]


async def test_the_same_prompt_gives_the_same_bytes_and_a_new_one_replaces_the_binding(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a puzzle work with a generated cover
    plugin = PUZZLE
    owner = await make_user()
    work = await _drafted(plugin, owner)
    first = await _generated(
        client, gql, owner, await cover(gql, owner.access_token, "PUZZLE", work.work_id, PROMPT)
    )
    # when the same prompt is generated again for the same slot
    second = await _generated(
        client, gql, owner, await cover(gql, owner.access_token, "PUZZLE", work.work_id, PROMPT)
    )
    # then the bytes are identical, and the slot holds the newer object
    assert second["contentHash"] == first["contentHash"]
    assert await read_bytes(client, second["readUrl"]) == await read_bytes(client, first["readUrl"])
    rows = await AssetEntityBinding.select(AssetEntityBinding.asset_object_id).where(
        AssetEntityBinding.entity_id == work.work_id
    )
    assert rows == [{"asset_object_id": second["assetObjectId"]}]
    assert await AiResultReference.count() == 2


async def test_the_fake_provider_s_image_is_stored(
    client: httpx.AsyncClient, gql: GraphQLClient, use_settings: Callable[..., None]
) -> None:
    async with fake_images_provider() as provider:
        # given the OpenAI-compatible backend pointed at the fake provider
        use_settings(
            IMAGE_BACKEND="openai", OPENAI_BASE_URL=provider.base_url, OPENAI_API_KEY="sk-fake"
        )
        provider.image = png(40, 30)
        owner = await make_user()
        work = await _drafted(CUSTOM_WORLD, owner)
        # when a cover is generated
        generated = await _generated(
            client,
            gql,
            owner,
            await cover(gql, owner.access_token, "CUSTOM_WORLD", work.work_id, PROMPT),
        )
        # then the provider's bytes are stored as the cover
        assert await read_bytes(client, generated["readUrl"]) == png(40, 30)
        assert provider.requests[0]["body"]["response_format"] == "b64_json"
        assert provider.requests[0]["body"]["size"] == "512x512"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "refusal",
            "The image generator failed: the image provider refused the prompt: Your request "
            "was rejected by the safety system.",
        ),
        (
            "server_error",
            "The image generator failed: the image provider failed (HTTP 500 server_error): "
            "The server had an error.",
        ),
        (
            "hang",
            "The image generator failed: the image provider did not answer within 0.5 s",
        ),
        (
            "url_only",
            "The image generator failed: the image provider returned a URL; only b64_json "
            "images are accepted",
        ),
    ],
)
async def test_provider_failures_fail_the_task_with_their_message(
    answer: str,
    message: str,
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    use_settings: Callable[..., None],
) -> None:
    async with fake_images_provider() as provider:
        # given the fake provider answering with an error shape (or not at all)
        use_settings(
            IMAGE_BACKEND="openai",
            OPENAI_BASE_URL=provider.base_url,
            OPENAI_API_KEY="sk-fake",
            # only the unanswered request waits out a short timeout; the others get a long one
            # so a loaded machine cannot turn their answer into a timeout
            OPENAI_IMAGE_TIMEOUT_SECONDS="0.5" if answer == "hang" else "30",
        )
        provider.answer = answer
        owner = await make_user()
        work = await _drafted(PUZZLE, owner)
        # when a cover is asked for
        result = await cover(gql, owner.access_token, "PUZZLE", work.work_id, PROMPT)
        task_id = result["data"]["workCoverGenerate"]["task"]["taskId"]
        events = await finish(client, owner.access_token, task_id)
        # then the task failed with the provider's reason, and nothing was stored
        assert events[-1]["kind"] == "FAILED"
        found = await task(gql, owner.access_token, task_id)
        assert found["failureMessage"] == message
        assert found["results"] == []
        assert await AssetObject.count() == 0
        assert await AssetEntityBinding.count() == 0


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"prompt": "   "}, "PROMPT_INVALID", "prompt"),
        ({"prompt": "x" * 1001}, "PROMPT_INVALID", "prompt"),
        ({"width": 63}, "SIZE_INVALID", "width"),
        ({"height": 1025}, "SIZE_INVALID", "height"),
        ({"entityKind": "user"}, "ENTITY_KIND_UNKNOWN", "entityKind"),
        ({"entityKind": "nonsense"}, "ENTITY_KIND_UNKNOWN", "entityKind"),
        ({"slot": "banner"}, "SLOT_NOT_ALLOWED", "slot"),
    ],
)
async def test_invalid_requests_are_refused_and_write_nothing(
    fields: dict[str, Any], code: str, field: str, gql: GraphQLClient
) -> None:
    # given a puzzle work of the caller
    owner = await make_user()
    work = await _drafted(PUZZLE, owner)
    before = await image_rows()
    # when the request breaks a rule
    request = {
        "prompt": PROMPT,
        "entityKind": "puzzle_work",
        "entityId": work.work_id,
        "slot": "cover",
        **fields,
    }
    result = await generate(gql, owner.access_token, **request)
    # then it is refused with the rule's code, no task is queued and no quota used
    payload = result["data"]["imageGenerate"]
    assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)]
    assert payload["task"] is None and payload["remainingToday"] is None
    assert await image_rows() == before


async def test_a_play_type_without_works_is_refused(gql: GraphQLClient) -> None:
    unbuilt = [kind for kind in PlayType if plugin_for(kind) is None]
    if not unbuilt:
        pytest.skip("every play type has works now")
    owner = await make_user()
    result = await cover(gql, owner.access_token, unbuilt[0].name, "w1", PROMPT)
    payload = result["data"]["workCoverGenerate"]
    assert [error["code"] for error in payload["errors"]] == ["PLAY_TYPE_UNSUPPORTED"]
    assert await image_rows() == {name: 0 for name in await image_rows()}
