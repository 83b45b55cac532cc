"""Feedback: description and phone checks, images checked by their bytes, data kept private."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from db.tables.profile import ProfileFeedbackSubmission
from tests.factories.auth import make_user
from tests.factories.profile import (
    GIF_BYTES,
    JPEG_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    data_url,
    png_of_size,
)
from tests.fixtures import GraphQLClient

SUBMIT = """
mutation($i: FeedbackSubmissionCreateInput!) { feedbackSubmissionCreate(input: $i) {
    errors { code field }
    feedbackSubmission { id description contactPhoneMasked status
        evidence { index contentType byteSize sha256 } }
} }
"""
LIST = """
{ viewer { feedbackSubmissions(first: 10) { nodes {
    description evidence { index contentType byteSize }
} } } }
"""
MIB = 1024 * 1024


async def _submit(
    gql: GraphQLClient, token: str, images: list[str], **fields: Any
) -> dict[str, Any]:
    variables = {"description": "The map does not load", "images": images, **fields}
    result = await gql.execute(SUBMIT, {"i": variables}, token=token)
    payload: dict[str, Any] = result["data"]["feedbackSubmissionCreate"]
    return payload


async def test_images_are_typed_by_their_bytes_and_only_metadata_comes_back(
    gql: GraphQLClient,
) -> None:
    import hashlib

    user = await make_user()
    # given a PNG, a JPEG claiming to be PNG, and a WebP
    images = [
        data_url(PNG_BYTES),
        data_url(JPEG_BYTES, claimed="image/png"),
        data_url(WEBP_BYTES, claimed="application/octet-stream"),
    ]
    response = await gql.http.post(
        "/graphql",
        json={
            "query": SUBMIT,
            "variables": {
                "i": {"description": "  Broken  ", "contactPhone": "13812345678", "images": images}
            },
        },
        headers={"Authorization": f"Bearer {user.access_token}"},
    )
    payload = response.json()["data"]["feedbackSubmissionCreate"]
    # then the detected types, sizes and hashes come back, and never the data
    assert payload["errors"] == []
    submission = payload["feedbackSubmission"]
    assert (submission["description"], submission["contactPhoneMasked"], submission["status"]) == (
        "Broken",
        "+86 138****5678",
        "SUBMITTED",
    )
    assert submission["evidence"] == [
        {
            "index": index,
            "contentType": content_type,
            "byteSize": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        for index, (content_type, data) in enumerate(
            [("image/png", PNG_BYTES), ("image/jpeg", JPEG_BYTES), ("image/webp", WEBP_BYTES)]
        )
    ]
    assert base64.b64encode(PNG_BYTES).decode() not in response.text
    listed = await gql.http.post(
        "/graphql", json={"query": LIST}, headers={"Authorization": f"Bearer {user.access_token}"}
    )
    assert base64.b64encode(JPEG_BYTES).decode() not in listed.text
    assert [
        e["contentType"]
        for e in listed.json()["data"]["viewer"]["feedbackSubmissions"]["nodes"][0]["evidence"]
    ] == ["image/png", "image/jpeg", "image/webp"]
    # and the data is kept, privately, with the detected type
    row = await ProfileFeedbackSubmission.select().output(load_json=True).first()
    assert row is not None
    assert row["contact_phone"] == "+8613812345678"
    assert row["evidence_json"]["data"][1].startswith("data:image/jpeg;base64,")


BAD_FEEDBACK: list[tuple[dict[str, Any], list[str], dict[str, str]]] = [
    ({"description": " "}, [], {"code": "DESCRIPTION_INVALID", "field": "description"}),
    ({"description": "x" * 2001}, [], {"code": "DESCRIPTION_INVALID", "field": "description"}),
    ({"contactPhone": "12345"}, [], {"code": "PHONE_INVALID", "field": "contactPhone"}),
    ({}, [data_url(PNG_BYTES)] * 5, {"code": "TOO_MANY_IMAGES", "field": "images"}),
    ({}, [data_url(GIF_BYTES)], {"code": "IMAGE_TYPE_UNSUPPORTED", "field": "images.0"}),
    (
        {},
        [data_url(b"<svg/>", "image/png")],
        {"code": "IMAGE_TYPE_UNSUPPORTED", "field": "images.0"},
    ),
    ({}, ["https://example.com/a.png"], {"code": "IMAGE_INVALID", "field": "images.0"}),
    ({}, ["data:image/png;base64,@@@@"], {"code": "IMAGE_INVALID", "field": "images.0"}),
]


async def test_bad_feedback_is_refused_and_writes_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    for fields, images, error in BAD_FEEDBACK:
        payload = await _submit(gql, user.access_token, images, **fields)
        assert payload == {"errors": [error], "feedbackSubmission": None}, error
    assert await ProfileFeedbackSubmission.count() == 0


async def test_with_the_default_body_limit_large_evidence_is_refused_before_it_runs(
    gql: GraphQLClient,
) -> None:
    # 1 MiB bodies by default: one 900 KiB image (1.2 MiB in base64) does not fit
    user = await make_user()
    result = await gql.execute(
        SUBMIT,
        {"i": {"description": "big", "images": [data_url(png_of_size(900 * 1024))]}},
        token=user.access_token,
        expect_status=413,
    )
    assert result["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert await ProfileFeedbackSubmission.count() == 0


@pytest.fixture
def large_bodies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """MAX_BODY_BYTES raised to 12 MiB, as docs/profile.md says full evidence needs."""
    from settings import get_settings

    monkeypatch.setenv("MAX_BODY_BYTES", str(12 * MIB))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def test_with_max_body_bytes_raised_four_full_size_images_are_accepted(
    large_bodies: None, gql: GraphQLClient
) -> None:
    user = await make_user()
    full = data_url(png_of_size(2 * MIB))
    accepted = await _submit(gql, user.access_token, [full] * 4)
    assert accepted["errors"] == []
    assert [e["byteSize"] for e in accepted["feedbackSubmission"]["evidence"]] == [2 * MIB] * 4
    # one byte more than 2 MiB is refused even though the body fits
    too_big = await _submit(gql, user.access_token, [data_url(png_of_size(2 * MIB + 1))])
    assert too_big["errors"] == [{"code": "IMAGE_TOO_LARGE", "field": "images.0"}]
    assert await ProfileFeedbackSubmission.count() == 1
