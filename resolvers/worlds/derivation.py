"""The built-in draft generator (`derive_draft`, `GENERATION_BACKEND=embedded`).

Deterministic in the seed text and the creator's messages. Its first turn names the world,
picks a theme, fills every anchor the creator has not given and creates characters (the
first one playable), places and chapters; every later turn adds a chapter. Directives in
the latest message always win: lines such as `tone: bleak and rainy`, `name: Ashfall`,
`theme: scifi`, `character: Mira - a smuggler`, `player: Kael - an exiled knight`,
`place: The Drowned Market - stalls on stilts`, `chapter: The Flood - the dam breaks`.
Cards the creator edited (status EDITED) are never replaced.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resolvers.worlds.drafts import (
    CustomWorldDraft,
    DraftChapter,
    DraftCharacter,
    DraftPlace,
)
from resolvers.worlds.model import (
    MAX_ANCHOR_LENGTH,
    MAX_ELEMENTS,
    MAX_NAME_LENGTH,
    MAX_SUMMARY_LENGTH,
    AnchorKey,
    CardStatus,
    ThemeMode,
)
from resolvers.worlds.word_banks import (
    ANCHOR_BANK,
    ANCHOR_NAMES,
    CHAPTER_TITLES,
    CHARACTER_NAMES,
    DIRECTIVE,
    NAME_FIRST,
    NAME_SECOND,
    PLACE_NAMES,
    REGIONS,
    ROLES,
    SPLIT,
    SUBTITLES,
    TAGS,
)

NewId = Callable[[], str]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def conversation_random(seed_text: str, user_messages: Sequence[str]) -> random.Random:
    """The generator's randomness: a function of the seed and the creator's messages."""
    material = "\x1e".join([seed_text, *user_messages]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def _name_and_summary(value: str) -> tuple[str, str]:
    parts = SPLIT.split(value, maxsplit=1)
    name = _clip(parts[0], MAX_NAME_LENGTH)
    summary = _clip(parts[1], MAX_SUMMARY_LENGTH) if len(parts) > 1 else ""
    return name, summary


def _directives(message: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in message.splitlines():
        match = DIRECTIVE.match(line)
        if match:
            found.append((match.group(1).strip().lower(), match.group(2)))
    return found


def _seed_premise(seed_text: str) -> str | None:
    text = " ".join(seed_text.split())
    return _clip(text, MAX_ANCHOR_LENGTH) if text else None


@dataclass(slots=True)
class _Working:
    """The draft as the generator's steps build it (a copy of the previous one)."""

    anchors: dict[AnchorKey, str]
    world_name: str
    subtitle: str
    theme: ThemeMode
    characters: list[DraftCharacter]
    places: list[DraftPlace]
    chapters: list[DraftChapter]
    named_theme: bool = False


def derive_draft(
    *,
    seed_text: str,
    user_messages: Sequence[str],
    previous: CustomWorldDraft,
    new_id: NewId,
) -> CustomWorldDraft:
    """The built-in generator's draft after the latest message (see the module doc). The
    steps draw from one random generator in a fixed order: reordering them changes every
    draft the generator has ever made."""
    rng = conversation_random(seed_text, user_messages)
    first_turn = not previous.world_name and not previous.elements()
    draft = _Working(
        anchors=dict(previous.anchors),
        world_name=previous.world_name,
        subtitle=previous.subtitle,
        theme=previous.theme_mode,
        characters=list(previous.characters),
        places=list(previous.places),
        chapters=list(previous.chapters),
    )
    _apply_directives(draft, user_messages[-1] if user_messages else "", new_id)
    _fill_anchors(draft, seed_text, rng)
    if first_turn:
        _name_world(draft, rng)
    _generate_characters(draft, rng, new_id)
    _generate_places(draft, rng, new_id)
    _place_characters(draft, rng)
    _add_chapters(draft, rng, new_id)
    summary = previous.summary
    if not summary or summary == _composed_summary(previous.anchors):
        summary = _composed_summary(draft.anchors)
    return CustomWorldDraft(
        world_name=draft.world_name,
        subtitle=draft.subtitle,
        summary=summary,
        theme_mode=draft.theme,
        tags=list(previous.tags) or [TAGS[draft.theme]],
        anchors=draft.anchors,
        characters=draft.characters,
        places=draft.places,
        chapters=draft.chapters,
    )


def _apply_directives(draft: _Working, latest: str, new_id: NewId) -> None:
    """The latest message's `name: value` lines, as cards the creator wrote (EDITED)."""
    for name, value in _directives(latest):
        if name in ANCHOR_NAMES:
            draft.anchors[ANCHOR_NAMES[name]] = _clip(value, MAX_ANCHOR_LENGTH)
        elif name in ("name", "world name", "名字", "世界名"):
            draft.world_name = _clip(value, MAX_NAME_LENGTH)
        elif name in ("theme", "题材"):
            try:
                draft.theme, draft.named_theme = ThemeMode(value.strip().lower()), True
            except ValueError:
                continue
        else:
            _add_card(draft, name, value, new_id)


def _add_card(draft: _Working, directive: str, value: str, new_id: NewId) -> None:
    """A `character:`, `player:`, `place:` or `chapter:` line, while there is room."""
    title, summary = _name_and_summary(value)
    if directive in ("character", "player", "角色", "主角"):
        if len(draft.characters) < MAX_ELEMENTS:
            draft.characters.append(
                DraftCharacter(
                    id=new_id(),
                    name=title,
                    summary=summary,
                    playable=directive in ("player", "主角"),
                    status=CardStatus.EDITED,
                )
            )
    elif directive in ("place", "地点"):
        if len(draft.places) < MAX_ELEMENTS:
            draft.places.append(
                DraftPlace(id=new_id(), name=title, summary=summary, status=CardStatus.EDITED)
            )
    elif directive in ("chapter", "章节") and len(draft.chapters) < MAX_ELEMENTS:
        draft.chapters.append(
            DraftChapter(id=new_id(), title=title, summary=summary, status=CardStatus.EDITED)
        )


def _fill_anchors(draft: _Working, seed_text: str, rng: random.Random) -> None:
    """The premise from the seed text when the creator gave none, then a bank's pick for
    every anchor still empty."""
    if AnchorKey.PREMISE not in draft.anchors:
        premise = _seed_premise(seed_text)
        if premise:
            draft.anchors[AnchorKey.PREMISE] = premise
    for key in AnchorKey:
        if key not in draft.anchors:
            draft.anchors[key] = rng.choice(ANCHOR_BANK[key])


def _name_world(draft: _Working, rng: random.Random) -> None:
    if not draft.world_name:
        draft.world_name = rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND)
    draft.subtitle = draft.subtitle or rng.choice(SUBTITLES)
    if not draft.named_theme:
        draft.theme = rng.choice(list(ThemeMode))


def _generate_characters(draft: _Working, rng: random.Random, new_id: NewId) -> None:
    """Three characters (a protagonist, playable unless the creator named a player) until
    the world has generated ones."""
    if any(c.status is CardStatus.GENERATED for c in draft.characters):
        return
    names = rng.sample(CHARACTER_NAMES, 3)
    generated = [
        DraftCharacter(
            id=new_id(),
            name=names[0],
            role="protagonist",
            summary=_clip(draft.anchors[AnchorKey.PLAYER_ROLE], MAX_SUMMARY_LENGTH),
            playable=not any(c.playable for c in draft.characters),
        ),
        *(
            DraftCharacter(
                id=new_id(),
                name=name,
                role=rng.choice(ROLES),
                summary=f"Tied to {rng.choice(PLACE_NAMES).lower()} and to the conflict.",
            )
            for name in names[1:]
        ),
    ]
    draft.characters = (draft.characters + generated)[:MAX_ELEMENTS]


def _generate_places(draft: _Working, rng: random.Random, new_id: NewId) -> None:
    if any(p.status is CardStatus.GENERATED for p in draft.places):
        return
    generated = [
        DraftPlace(
            id=new_id(),
            name=name,
            region=rng.choice(REGIONS),
            summary=f"{name}: {rng.choice(ANCHOR_BANK[AnchorKey.SETTING]).lower()}",
        )
        for name in rng.sample(PLACE_NAMES, 3)
    ]
    draft.places = (draft.places + generated)[:MAX_ELEMENTS]


def _place_characters(draft: _Working, rng: random.Random) -> None:
    """A home place for each generated character without one."""
    homes = [p.id for p in draft.places]
    draft.characters = [
        c.model_copy(update={"home_place_id": rng.choice(homes)})
        if c.home_place_id is None and c.status is CardStatus.GENERATED and homes
        else c
        for c in draft.characters
    ]


def _add_chapters(draft: _Working, rng: random.Random, new_id: NewId) -> None:
    """Three chapters on the first generated turn, one on every later one."""
    count = 3 if not any(c.status is CardStatus.GENERATED for c in draft.chapters) else 1
    for _ in range(count):
        if len(draft.chapters) >= MAX_ELEMENTS:
            break
        taken = {c.title for c in draft.chapters}
        titles = [t for t in CHAPTER_TITLES if t not in taken] or CHAPTER_TITLES
        title = rng.choice(titles)
        cast = rng.sample(draft.characters, min(2, len(draft.characters)))
        stage = rng.sample(draft.places, min(1, len(draft.places)))
        draft.chapters.append(
            DraftChapter(
                id=new_id(),
                title=title,
                summary=f"{title}: "
                + _clip(draft.anchors[AnchorKey.CONFLICT], MAX_SUMMARY_LENGTH - 60),
                character_ids=[c.id for c in cast],
                place_ids=[p.id for p in stage],
            )
        )


def _composed_summary(anchors: dict[AnchorKey, str]) -> str:
    parts = [anchors.get(AnchorKey.PREMISE, ""), anchors.get(AnchorKey.CONFLICT, "")]
    return _clip(" ".join(part for part in parts if part), MAX_SUMMARY_LENGTH)
