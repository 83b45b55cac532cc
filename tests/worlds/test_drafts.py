"""The typed draft, the built-in derivation, a model's JSON draft and the gate (pure)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pydantic import ValidationError

from resolvers.creation.replies import ReplyUnusable
from resolvers.worlds.derivation import derive_draft
from resolvers.worlds.drafts import CustomWorldDraft, DraftCharacter, DraftPlace
from resolvers.worlds.errors import WorldError
from resolvers.worlds.gate import Cover, evaluate, progress_percent
from resolvers.worlds.json_drafts import draft_from_json
from resolvers.worlds.model import AnchorKey, BlockerCode, CardStatus


def _ids(prefix: str = "e") -> Any:
    numbers = itertools.count(1)
    return lambda: f"{prefix}{next(numbers)}"


def _content(draft: CustomWorldDraft) -> dict[str, Any]:
    """The draft without element ids (fresh ids are not part of the derivation)."""
    data = draft.as_json()
    return {
        **data,
        "characters": [c["name"] for c in data["characters"]],
        "places": [p["name"] for p in data["places"]],
        "chapters": [c["title"] for c in data["chapters"]],
    }


def _derive(seed: str, *messages: str) -> CustomWorldDraft:
    draft, ids = CustomWorldDraft(), _ids()
    for turn in range(1, len(messages) + 1):
        draft = derive_draft(
            seed_text=seed, user_messages=messages[:turn], previous=draft, new_id=ids
        )
    return draft


def test_the_same_conversation_gives_the_same_draft() -> None:
    assert _content(_derive("Salt towns", "Hi", "More")) == _content(
        _derive("Salt towns", "Hi", "More")
    )


def test_different_seeds_give_different_drafts() -> None:
    drafts = [_content(_derive(f"seed {n}", "Build it.")) for n in range(6)]
    assert len({repr(d) for d in drafts}) == 6
    # and each is complete: eight anchors, a playable character, places and chapters
    for seed in ("seed 0", "seed 1"):
        draft = _derive(seed, "Build it.")
        assert draft.missing_anchors() == []
        assert (draft.playable_count(), len(draft.places), len(draft.chapters)) == (1, 3, 3)
        assert draft.anchors[AnchorKey.PREMISE] == seed


def test_directives_in_the_latest_message_win() -> None:
    draft = _derive(
        "x",
        "Hello",
        "tone: bleak and rainy\n基调：ignored by the later line\ntone: grey\nname: Ashfall\n"
        "theme: scifi\nplayer: Kael - an exiled knight\nplace: The Dam - it holds the sea",
    )
    assert draft.anchors[AnchorKey.TONE] == "grey"
    assert (draft.world_name, draft.theme_mode.value) == ("Ashfall", "scifi")
    kael = next(c for c in draft.characters if c.name == "Kael")
    assert (kael.playable, kael.summary, kael.status) == (True, "an exiled knight", "edited")
    assert any(p.name == "The Dam" and p.status is CardStatus.EDITED for p in draft.places)
    assert len(draft.chapters) == 4  # three on the first turn, one more on the second


def test_the_draft_refuses_broken_links_duplicate_ids_and_long_fields() -> None:
    place = DraftPlace(id="p1", name="Dock")
    with pytest.raises(ValidationError, match="unknown home place"):
        CustomWorldDraft(characters=[DraftCharacter(id="c1", name="A", home_place_id="p9")])
    with pytest.raises(ValidationError, match="unique"):
        CustomWorldDraft(places=[place, place])
    with pytest.raises(ValidationError, match="at most 40"):
        CustomWorldDraft(world_name="x" * 41)
    with pytest.raises(ValidationError, match="Extra inputs"):
        CustomWorldDraft.model_validate({"worldName": "A", "secret": 1})
    from resolvers.worlds.drafts import parse_draft

    with pytest.raises(WorldError) as refused:
        parse_draft({"tags": ["a"] * 9})
    assert (refused.value.code, refused.value.field) == ("DRAFT_INVALID", "draft")


def test_a_model_json_draft_keeps_ids_by_name_and_edited_cards() -> None:
    previous = _derive("seed", "Build it.")
    kept = previous.characters[1].model_copy(update={"status": CardStatus.EDITED})
    previous = previous.model_copy(
        update={"characters": [previous.characters[0], kept, *previous.characters[2:]]}
    )
    hero = previous.characters[0]
    data = {
        "worldName": "Tidegate",
        "anchors": {"tone": "Hopeful"},
        "places": [{"name": "Harbour", "region": "south"}],
        "characters": [
            {"name": hero.name, "playable": True, "homePlace": "Harbour"},
            {"name": kept.name, "summary": "model's version"},
        ],
        "chapters": [{"title": "One", "characters": [hero.name], "places": ["Harbour"]}],
    }
    draft = draft_from_json(data, previous=previous, new_id=_ids("new"))
    assert draft.world_name == "Tidegate"
    assert draft.anchors[AnchorKey.TONE] == "Hopeful"
    assert draft.anchors[AnchorKey.STAKES] == previous.anchors[AnchorKey.STAKES]
    assert draft.characters[0].id == hero.id
    assert draft.characters[1] == kept  # the creator's card, not the model's version
    assert draft.chapters[0].place_ids == [draft.places[0].id]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"characters": "nobody"}, ReplyUnusable),
        ({"chapters": [{"title": "A", "characters": [1]}]}, ReplyUnusable),
        ({"anchors": ["tone"]}, ReplyUnusable),
        ({"themeMode": "opera"}, ValidationError),
        ({"chapters": [{"title": "A", "characters": ["Ghost"]}]}, ValidationError),
    ],
)
def test_a_model_json_draft_of_the_wrong_shape_is_refused(
    data: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        draft_from_json(data, previous=CustomWorldDraft(), new_id=_ids())


def test_the_gate_and_progress() -> None:
    draft = _derive("seed", "Build it.")
    assert [b.code for b in evaluate(draft, None)] == [BlockerCode.COVER_MISSING]
    audio = Cover(asset_object_id="a", content_type="audio/wav", access_policy="public_read")
    assert [b.code for b in evaluate(draft, audio)] == [BlockerCode.COVER_NOT_IMAGE]
    image = Cover(asset_object_id="a", content_type="image/png", access_policy="public_read")
    assert evaluate(draft, image) == []
    assert (progress_percent(draft, None), progress_percent(draft, image)) == (92, 100)
    assert progress_percent(CustomWorldDraft(), None) == 0
