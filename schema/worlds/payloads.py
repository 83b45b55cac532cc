"""Mutation payloads of the worlds domain: the changed objects on success, `errors`
otherwise (and then nothing was written)."""

from __future__ import annotations

import strawberry

from schema.worlds.types import (
    CustomWorldAgentSession,
    CustomWorldDraftCard,
    CustomWorldPublishBlocker,
    CustomWorldPublishGate,
    CustomWorldSession,
    CustomWorldWork,
    WorldErrorType,
)

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.type(
    description="Result of `customWorldSessionStart` (and its deprecated alias "
    "`customWorldAgentSessionCreate`)."
)
class CustomWorldAgentSessionCreatePayload:
    errors: list[WorldErrorType] = strawberry.field(description=ERRORS)
    session: CustomWorldAgentSession | None = strawberry.field(description="The new session.")
    work: CustomWorldWork | None = strawberry.field(
        description="Its draft work (no cover, not publish-ready), already in your works."
    )


@strawberry.type(
    description="Result of `customWorldSessionAutosave` (and its deprecated alias "
    "`customWorldAgentSessionAutosave`)."
)
class CustomWorldAgentSessionAutosavePayload:
    errors: list[WorldErrorType] = strawberry.field(
        description=ERRORS + " On a published world, a change that would leave blockers is "
        "refused with one error per blocker."
    )
    session: CustomWorldAgentSession | None = strawberry.field(description="The session now.")
    publish_gate: CustomWorldPublishGate | None = strawberry.field(
        description="The publish gate after the save."
    )


@strawberry.type(description="Result of `draftCardUpdate`.")
class DraftCardUpdatePayload:
    errors: list[WorldErrorType] = strawberry.field(
        description=ERRORS + " On a published world, a change that would leave blockers is "
        "refused with one error per blocker."
    )
    card: CustomWorldDraftCard | None = strawberry.field(description="The card now.")
    session: CustomWorldAgentSession | None = strawberry.field(description="Its session now.")
    publish_gate: CustomWorldPublishGate | None = strawberry.field(
        description="The publish gate, run again after the change."
    )


@strawberry.type(
    description="Result of `customWorldWorkPublish` (and its deprecated alias "
    "`customWorldPublish`)."
)
class CustomWorldPublishPayload:
    errors: list[WorldErrorType] = strawberry.field(
        description=ERRORS + " A blocked publish lists one error per blocker (codes "
        "ANCHOR_MISSING, NO_PLAYABLE_CHARACTER, NO_LANDMARK, COVER_MISSING, …)."
    )
    blockers: list[CustomWorldPublishBlocker] = strawberry.field(
        description="Why it was not published (empty on success or other errors)."
    )
    work: CustomWorldWork | None = strawberry.field(description="The published work.")


@strawberry.type(description="Result of `customWorldWorkUpdate`.")
class CustomWorldWorkUpdatePayload:
    errors: list[WorldErrorType] = strawberry.field(
        description=ERRORS + " A blocked update lists one error per blocker."
    )
    blockers: list[CustomWorldPublishBlocker] = strawberry.field(
        description="Why it was not updated (empty on success or other errors)."
    )
    work: CustomWorldWork | None = strawberry.field(description="The published work.")


@strawberry.type(
    description="Result of `customWorldWorkUnpublish` (and its deprecated alias "
    "`customWorldUnpublish`)."
)
class CustomWorldUnpublishPayload:
    errors: list[WorldErrorType] = strawberry.field(description=ERRORS)
    work: CustomWorldWork | None = strawberry.field(description="The work, a draft again.")


@strawberry.type(description="Result of `customWorldDelete`.")
class CustomWorldDeletePayload:
    errors: list[WorldErrorType] = strawberry.field(description=ERRORS)
    deleted_work_id: strawberry.ID | None = strawberry.field(
        description="The deleted world's id (it no longer appears anywhere)."
    )


@strawberry.type(description="Result of the Q&A session mutations.")
class CustomWorldSessionPayload:
    errors: list[WorldErrorType] = strawberry.field(description=ERRORS)
    session: CustomWorldSession | None = strawberry.field(description="The session now.")
