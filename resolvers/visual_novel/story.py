"""The story interpreter: a run's state, the choices it offers, what a choice does.

A state (the run's snapshot, hashed for its history) is `{"sceneId", "phaseId",
"visibleCharacterIds", "flags", "metrics", "availableChoiceIds", "narrative", "turn",
"endingId"}`. Only these functions change flags, metrics, scenes and endings, from the
draft's rules: the AI may add narrative and pick one of `availableChoiceIds`, nothing else.
Pure functions, deterministic.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Mapping
from typing import Any

import orjson

from resolvers.visual_novel.drafts import Choice, Condition, Scene, VisualNovelResultDraft

MAX_SEARCH_STATES = 5000  # bound of the winning-path search (tests, benchmarks)


def snapshot_hash(state: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the state's JSON with sorted keys: the history's before/after hash."""
    return hashlib.sha256(orjson.dumps(state, option=orjson.OPT_SORT_KEYS)).hexdigest()


def scene_of(draft: VisualNovelResultDraft, scene_id: str | None) -> Scene | None:
    return next((scene for scene in draft.scenes if scene.scene_id == scene_id), None)


def _holds(condition: Condition, flags: Mapping[str, bool], metrics: Mapping[str, int]) -> bool:
    if condition.flag is not None:
        return bool(flags.get(condition.flag, False)) == condition.flag_value
    value = int(metrics.get(condition.metric or "", 0))
    return (condition.at_least is None or value >= condition.at_least) and (
        condition.at_most is None or value <= condition.at_most
    )


def available(
    scene: Scene | None, flags: Mapping[str, bool], metrics: Mapping[str, int]
) -> list[Choice]:
    """The scene's choices whose conditions all hold."""
    if scene is None:
        return []
    return [
        choice
        for choice in scene.choices
        if all(_holds(condition, flags, metrics) for condition in choice.conditions)
    ]


def enter(draft: VisualNovelResultDraft, state: dict[str, Any], scene_id: str) -> dict[str, Any]:
    """The state in scene `scene_id`: its phase, characters, text and offered choices."""
    scene = scene_of(draft, scene_id)
    assert scene is not None
    return {
        **state,
        "sceneId": scene.scene_id,
        "phaseId": scene.phase_id or "",
        "visibleCharacterIds": list(scene.character_ids),
        "narrative": scene.text,
        "availableChoiceIds": [
            c.choice_id for c in available(scene, state["flags"], state["metrics"])
        ],
    }


def initial_state(draft: VisualNovelResultDraft) -> dict[str, Any]:
    opening = draft.opening_scene_id
    assert opening is not None
    base = {"flags": {}, "metrics": {}, "turn": 0, "endingId": None}
    return enter(draft, base, opening)


def apply_choice(
    draft: VisualNovelResultDraft, state: Mapping[str, Any], choice_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The state after choosing `choice_id`, and the steps taken; None when the choice is
    not offered now (ILLEGAL_MOVE)."""
    if state.get("endingId") or choice_id not in state.get("availableChoiceIds", []):
        return None
    scene = scene_of(draft, state["sceneId"])
    choice = next((c for c in (scene.choices if scene else []) if c.choice_id == choice_id), None)
    if choice is None:
        return None
    flags, metrics = dict(state["flags"]), dict(state["metrics"])
    steps: list[dict[str, Any]] = [{"kind": "choice", "choiceId": choice_id}]
    for effect in choice.effects:
        if effect.flag is not None:
            flags[effect.flag] = effect.flag_value
            steps.append({"kind": "flag", "flag": effect.flag, "value": effect.flag_value})
        else:
            key = effect.metric or ""
            metrics[key] = int(metrics.get(key, 0)) + effect.add
            steps.append({"kind": "metric", "metric": key, "add": effect.add})
    after: dict[str, Any] = {**state, "flags": flags, "metrics": metrics, "turn": state["turn"] + 1}
    if choice.ending_id is not None:
        ending = next(e for e in draft.endings if e.ending_id == choice.ending_id)
        after.update(endingId=ending.ending_id, narrative=ending.text, availableChoiceIds=[])
        steps.append({"kind": "ending", "endingId": ending.ending_id, "outcome": ending.outcome})
        return after, steps
    assert choice.next_scene_id is not None
    after = enter(draft, after, choice.next_scene_id)
    steps.append({"kind": "scene", "sceneId": choice.next_scene_id})
    return after, steps


def outcome_of(draft: VisualNovelResultDraft, state: Mapping[str, Any]) -> str | None:
    """`win` or `lose` once the state reached an ending, else None."""
    ending = next((e for e in draft.endings if e.ending_id == state.get("endingId")), None)
    return ending.outcome if ending else None


def reachable_endings(draft: VisualNovelResultDraft) -> set[str]:
    """Endings some path of choices leads to from the opening scene (conditions ignored:
    the gate asks whether the story links to an ending at all)."""
    scenes = {scene.scene_id: scene for scene in draft.scenes}
    seen: set[str] = set()
    found: set[str] = set()
    queue = deque([draft.opening_scene_id] if draft.opening_scene_id in scenes else [])
    while queue:
        scene_id = queue.popleft()
        if scene_id is None or scene_id in seen:
            continue
        seen.add(scene_id)
        for choice in scenes[scene_id].choices:
            if choice.ending_id is not None:
                found.add(choice.ending_id)
            elif choice.next_scene_id in scenes:
                queue.append(choice.next_scene_id)
    return found


def winning_choices(draft: VisualNovelResultDraft, state: Mapping[str, Any]) -> list[str] | None:
    """The shortest list of choices from `state` to a winning ending (None: there is none)."""
    start = dict(state)
    queue: deque[tuple[dict[str, Any], list[str]]] = deque([(start, [])])
    seen: set[str] = set()
    while queue and len(seen) < MAX_SEARCH_STATES:
        current, path = queue.popleft()
        key = snapshot_hash({**current, "narrative": "", "turn": 0})
        if key in seen:
            continue
        seen.add(key)
        if outcome_of(draft, current) == "win":
            return path
        for choice_id in current.get("availableChoiceIds", []):
            applied = apply_choice(draft, current, choice_id)
            if applied is not None:
                queue.append((applied[0], [*path, choice_id]))
    return None
