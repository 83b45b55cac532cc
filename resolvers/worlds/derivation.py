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
    _ANCHOR_BANK,
    _ANCHOR_NAMES,
    _CHAPTER_TITLES,
    _CHARACTER_NAMES,
    _DIRECTIVE,
    _NAME_FIRST,
    _NAME_SECOND,
    _PLACE_NAMES,
    _REGIONS,
    _ROLES,
    _SPLIT,
    _SUBTITLES,
    _TAGS,
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
    parts = _SPLIT.split(value, maxsplit=1)
    name = _clip(parts[0], MAX_NAME_LENGTH)
    summary = _clip(parts[1], MAX_SUMMARY_LENGTH) if len(parts) > 1 else ""
    return name, summary


def _directives(message: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in message.splitlines():
        match = _DIRECTIVE.match(line)
        if match:
            found.append((match.group(1).strip().lower(), match.group(2)))
    return found


def _seed_premise(seed_text: str) -> str | None:
    text = " ".join(seed_text.split())
    return _clip(text, MAX_ANCHOR_LENGTH) if text else None


def derive_draft(
    *,
    seed_text: str,
    user_messages: Sequence[str],
    previous: CustomWorldDraft,
    new_id: NewId,
) -> CustomWorldDraft:
    """The built-in generator's draft after the latest message (see the module doc)."""
    rng = conversation_random(seed_text, user_messages)
    first_turn = not previous.world_name and not previous.elements()
    anchors = dict(previous.anchors)
    world_name = previous.world_name
    subtitle = previous.subtitle
    theme = previous.theme_mode
    characters = list(previous.characters)
    places = list(previous.places)
    chapters = list(previous.chapters)
    latest = user_messages[-1] if user_messages else ""
    named_theme = False
    for name, value in _directives(latest):
        if name in _ANCHOR_NAMES:
            anchors[_ANCHOR_NAMES[name]] = _clip(value, MAX_ANCHOR_LENGTH)
        elif name in ("name", "world name", "名字", "世界名"):
            world_name = _clip(value, MAX_NAME_LENGTH)
        elif name in ("theme", "题材"):
            try:
                theme, named_theme = ThemeMode(value.strip().lower()), True
            except ValueError:
                continue
        elif name in ("character", "player", "角色", "主角") and len(characters) < MAX_ELEMENTS:
            title, summary = _name_and_summary(value)
            characters.append(
                DraftCharacter(
                    id=new_id(),
                    name=title,
                    summary=summary,
                    playable=name in ("player", "主角"),
                    status=CardStatus.EDITED,
                )
            )
        elif name in ("place", "地点") and len(places) < MAX_ELEMENTS:
            title, summary = _name_and_summary(value)
            places.append(
                DraftPlace(id=new_id(), name=title, summary=summary, status=CardStatus.EDITED)
            )
        elif name in ("chapter", "章节") and len(chapters) < MAX_ELEMENTS:
            title, summary = _name_and_summary(value)
            chapters.append(
                DraftChapter(id=new_id(), title=title, summary=summary, status=CardStatus.EDITED)
            )
    if AnchorKey.PREMISE not in anchors:
        premise = _seed_premise(seed_text)
        if premise:
            anchors[AnchorKey.PREMISE] = premise
    for key in AnchorKey:
        if key not in anchors:
            anchors[key] = rng.choice(_ANCHOR_BANK[key])
    if first_turn:
        if not world_name:
            world_name = rng.choice(_NAME_FIRST) + rng.choice(_NAME_SECOND)
        subtitle = subtitle or rng.choice(_SUBTITLES)
        if not named_theme:
            theme = rng.choice(list(ThemeMode))
    if not any(c.status is CardStatus.GENERATED for c in characters):
        names = rng.sample(_CHARACTER_NAMES, 3)
        role_of_player = anchors[AnchorKey.PLAYER_ROLE]
        generated = [
            DraftCharacter(
                id=new_id(),
                name=names[0],
                role="protagonist",
                summary=_clip(role_of_player, MAX_SUMMARY_LENGTH),
                playable=not any(c.playable for c in characters),
            ),
            *(
                DraftCharacter(
                    id=new_id(),
                    name=name,
                    role=rng.choice(_ROLES),
                    summary=f"Tied to {rng.choice(_PLACE_NAMES).lower()} and to the conflict.",
                )
                for name in names[1:]
            ),
        ]
        characters = (characters + generated)[:MAX_ELEMENTS]
    if not any(p.status is CardStatus.GENERATED for p in places):
        generated_places = [
            DraftPlace(
                id=new_id(),
                name=name,
                region=rng.choice(_REGIONS),
                summary=f"{name}: {rng.choice(_ANCHOR_BANK[AnchorKey.SETTING]).lower()}",
            )
            for name in rng.sample(_PLACE_NAMES, 3)
        ]
        places = (places + generated_places)[:MAX_ELEMENTS]
    homes = [p.id for p in places]
    characters = [
        c.model_copy(update={"home_place_id": rng.choice(homes)})
        if c.home_place_id is None and c.status is CardStatus.GENERATED and homes
        else c
        for c in characters
    ]
    new_chapters = 3 if not any(c.status is CardStatus.GENERATED for c in chapters) else 1
    for _ in range(new_chapters):
        if len(chapters) >= MAX_ELEMENTS:
            break
        taken = {c.title for c in chapters}
        titles = [t for t in _CHAPTER_TITLES if t not in taken] or _CHAPTER_TITLES
        title = rng.choice(titles)
        cast = rng.sample(characters, min(2, len(characters)))
        stage = rng.sample(places, min(1, len(places)))
        chapters.append(
            DraftChapter(
                id=new_id(),
                title=title,
                summary=f"{title}: " + _clip(anchors[AnchorKey.CONFLICT], MAX_SUMMARY_LENGTH - 60),
                character_ids=[c.id for c in cast],
                place_ids=[p.id for p in stage],
            )
        )
    summary = previous.summary
    if not summary or summary == _composed_summary(previous.anchors):
        summary = _composed_summary(anchors)
    tags = list(previous.tags) or [_TAGS[theme]]
    return CustomWorldDraft(
        world_name=world_name,
        subtitle=subtitle,
        summary=summary,
        theme_mode=theme,
        tags=tags,
        anchors=anchors,
        characters=characters,
        places=places,
        chapters=chapters,
    )


def _composed_summary(anchors: dict[AnchorKey, str]) -> str:
    parts = [anchors.get(AnchorKey.PREMISE, ""), anchors.get(AnchorKey.CONFLICT, "")]
    return _clip(" ".join(part for part in parts if part), MAX_SUMMARY_LENGTH)
