"""The inputs of the custom-world mutations (schema/worlds/mutations.py): agent sessions,
autosave, card edits and the Q&A flow."""

from __future__ import annotations

import strawberry

from resolvers.worlds.model import AnchorKey, GenerationMode, ThemeMode


@strawberry.input(description="A new agent session.")
class CustomWorldAgentSessionCreateInput:
    seed_text: str = strawberry.field(
        default="",
        description="The idea to start from, up to 2000 characters (may be empty; it becomes "
        "the PREMISE anchor).",
    )


@strawberry.input(description="One anchor's new text.")
class CustomWorldAnchorInput:
    key: AnchorKey = strawberry.field(description="Which anchor.")
    text: str = strawberry.field(description="Up to 500 characters; empty clears the anchor.")


@strawberry.input(
    description="Form fields to autosave into a session's seed and draft; omitted fields "
    "stay as they are."
)
class CustomWorldAgentSessionAutosaveInput:
    session_id: strawberry.ID = strawberry.field(description="Your agent session.")
    seed_text: str | None = strawberry.field(default=None, description="Up to 2000 characters.")
    world_name: str | None = strawberry.field(
        default=None, description="Up to 40 characters (empty: unnamed, a publish blocker)."
    )
    subtitle: str | None = strawberry.field(default=None, description="Up to 80 characters.")
    summary: str | None = strawberry.field(default=None, description="Up to 1000 characters.")
    theme_mode: ThemeMode | None = strawberry.field(default=None, description="The genre.")
    tags: list[str] | None = strawberry.field(
        default=None, description="At most 8 tags of up to 20 characters (replaces the list)."
    )
    anchors: list[CustomWorldAnchorInput] | None = strawberry.field(
        default=None, description="Anchors to set or clear (others stay)."
    )
    focus_card_id: strawberry.ID | None = strawberry.field(
        default=None, description="The card in focus (empty string: none)."
    )


@strawberry.input(
    description="New values for a draft card; omitted fields stay. The card becomes EDITED "
    "(agent turns keep it) and the publish gate runs again."
)
class DraftCardUpdateInput:
    card_id: strawberry.ID = strawberry.field(description="Your card.")
    title: str | None = strawberry.field(default=None, description="1 to 40 characters.")
    subtitle: str | None = strawberry.field(
        default=None, description="A character's role or a place's region, up to 80."
    )
    summary: str | None = strawberry.field(default=None, description="Up to 1000 characters.")
    playable: bool | None = strawberry.field(
        default=None, description="Characters only: whether players may play as them."
    )


@strawberry.input(description="A new question-and-answer session.")
class CustomWorldSessionCreateInput:
    setting_text: str = strawberry.field(description="The setting, 1 to 4000 characters.")
    generation_mode: GenerationMode = strawberry.field(
        default=GenerationMode.GUIDED, description="QUICK or GUIDED (default)."
    )


@strawberry.input(description="One answer.")
class CustomWorldAnswerInput:
    question_id: strawberry.ID = strawberry.field(description="The question's id.")
    answer: str = strawberry.field(description="1 to 500 characters.")


@strawberry.input(description="Answers for a Q&A session (a later answer replaces one).")
class CustomWorldSessionAnswerInput:
    session_id: strawberry.ID = strawberry.field(description="Your Q&A session.")
    answers: list[CustomWorldAnswerInput] = strawberry.field(description="1 to 20 answers.")
