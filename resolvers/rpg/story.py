"""Story turns (docs/rpg.md, "Story"): the opening, the choice functions and their rules.

The choice functions offered after every turn, in this order:
- `explore:<placeId>`: the first place not explored yet; its rule puts the place's find
  into the backpack (source `exploration`) and marks the place explored;
- `meet:<npcId>`: the first NPC not met yet; its rule reveals the NPC's first fact;
- `chapter:<chapterId>`: the next chapter; its rule marks it seen for every NPC of its cast;
- `rest`: always; changes nothing but the story.
A turn on typed text never applies any rule: the AI writes narrative only, whatever it was
asked or answers. The text a model returns is read as JSON `{"narrative"}` or as plain
narrative (the embedded generator); every other key is ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from resolvers.rpg import inventory, npcs
from resolvers.rpg.model import MAX_NARRATIVE_LENGTH, InventoryItemSourceKind
from resolvers.rpg.records import ChoiceFunction, Progress, WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.store import story as store
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.worlds.drafts import CustomWorldDraft
from resolvers.worlds.model import AnchorKey

REST = "rest"


def opening(draft: CustomWorldDraft, content: WorldContent) -> str:
    """The opening narrative, from the world (deterministic)."""
    anchors = draft.anchors
    parts = [
        f"{draft.world_name or 'An untitled world'}.",
        anchors.get(AnchorKey.PREMISE, ""),
        anchors.get(AnchorKey.SETTING, ""),
        f"You are {content.player_name}. {anchors.get(AnchorKey.PLAYER_ROLE, '')}",
    ]
    return " ".join(part.strip() for part in parts if part.strip())[:MAX_NARRATIVE_LENGTH]


def initial_prompt(draft: CustomWorldDraft) -> str:
    anchors = "\n".join(f"{key.value}: {text}" for key, text in draft.anchors.items())
    return f"You narrate the world {draft.world_name!r}.\n{draft.summary}\n{anchors}"[:4000]


def offered(content: WorldContent, progress: Progress) -> list[ChoiceFunction]:
    found: list[ChoiceFunction] = []
    place = next((p for p in content.places if p.place_id not in progress.explored_place_ids), None)
    if place is not None:
        found.append(
            ChoiceFunction(function_id=f"explore:{place.place_id}", label=f"Explore {place.name}")
        )
    npc = next((n for n in content.npcs if n.npc_id not in progress.met_npc_ids), None)
    if npc is not None:
        found.append(ChoiceFunction(function_id=f"meet:{npc.npc_id}", label=f"Seek out {npc.name}"))
    if progress.chapter_index < len(content.chapter_ids):
        chapter_id = content.chapter_ids[progress.chapter_index]
        found.append(ChoiceFunction(function_id=f"chapter:{chapter_id}", label="Follow the story"))
    found.append(ChoiceFunction(function_id=REST, label="Rest a while"))
    return found


def check_offered(session: StorySessionRow, function_id: str) -> None:
    if function_id not in {c.function_id for c in session.offered_choices}:
        raise RunError(
            RunErrorCode.ILLEGAL_MOVE, "That choice is not offered now.", field="choiceFunctionId"
        )


async def apply_choice(
    session: StorySessionRow, content: WorldContent, function_id: str, now: datetime
) -> tuple[Progress, list[dict[str, Any]]]:
    """The server's rule of an offered choice function: the progress after and the changes."""
    progress = Progress.model_validate(session.progress_json)
    kind, _, target = function_id.partition(":")
    changes: list[dict[str, Any]] = []
    if kind == "explore":
        place = content.place(target)
        if place is not None:
            changes = await inventory.add_items(
                session,
                [place.find],
                source_kind=InventoryItemSourceKind.EXPLORATION,
                source_reference_id=place.place_id,
                now=now,
            )
            progress = progress.model_copy(
                update={"explored_place_ids": [*progress.explored_place_ids, target]}
            )
    elif kind == "meet":
        spec = content.npc(target)
        row = await store.npc_row(session.runtime_session_id, target)
        if spec is not None and row is not None:
            changes = await npcs.reveal(row, spec, now)
        progress = progress.model_copy(update={"met_npc_ids": [*progress.met_npc_ids, target]})
    elif kind == "chapter":
        for spec in content.npcs:
            if target in spec.backstory_chapter_ids:
                row = await store.npc_row(session.runtime_session_id, spec.npc_id)
                if row is not None:
                    changes += await npcs.reveal(row, spec, now, chapter_id=target)
        progress = progress.model_copy(update={"chapter_index": progress.chapter_index + 1})
    return progress, changes


def prompt(session: StorySessionRow, choice: str | None, text: str | None) -> str:
    """The turn's prompt: the world, the latest narrative, the move or the player's words."""
    move = f"The player chose: {choice}" if choice else f"The player says: {text}"
    return (
        f"{session.initial_prompt}\n\nSo far: {session.latest_narrative_text[-1500:]}\n"
        f"{move}\n"
        'Answer with JSON {"narrative": string}. You write narrative only: you cannot give '
        "items, change affinity, quests or battles."
    )


def read_reply(reply: str) -> str:
    """The narrative of a reply: JSON's `narrative` or the text itself."""
    text = reply.strip()
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text[:MAX_NARRATIVE_LENGTH]
    if isinstance(data, dict):
        return str(data.get("narrative") or "")[:MAX_NARRATIVE_LENGTH]
    return text[:MAX_NARRATIVE_LENGTH]
