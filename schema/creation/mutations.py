"""Creation mutations shared by every play type: talk to the creation agent."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.creation import turns
from resolvers.gallery.play_types import PlayType
from schema.context import Info
from schema.creation.loaders import CreationLoaders
from schema.creation.types import CreationAgentOperation, CreationErrorType
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated


@strawberry.input(description="A message for the creation agent of one of your sessions.")
class CreationMessageSendInput:
    play_type: PlayType = strawberry.field(description="The session's play type (PUZZLE, …).")
    session_id: strawberry.ID = strawberry.field(description="Your creation session.")
    text: str = strawberry.field(description="What you say, 1 to 4000 characters.")


@strawberry.type(description="Result of `creationMessageSend`.")
class CreationMessageSendPayload:
    errors: list[CreationErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written (MESSAGE_INVALID, "
        "TURN_IN_PROGRESS, PLAY_TYPE_UNSUPPORTED, …)."
    )
    operation: CreationAgentOperation | None = strawberry.field(
        description="The new turn (RUNNING); its `taskId` streams the reply."
    )
    user_message_id: strawberry.ID | None = strawberry.field(
        description="Your message's id in the session's conversation."
    )


@strawberry.type
class CreationMutation:
    @strawberry.mutation(
        description="Send a message to the creation agent of your session: appends it to the "
        "conversation and starts a turn whose AI task (kind CREATION_AGENT_REPLY) streams the "
        "reply; once it completes, the reply is added to the conversation and the session's "
        "stage, progress and draft are updated. One turn at a time per session. NOT_FOUND "
        "for a session that is not yours.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def creation_message_send(
        self,
        info: Info,
        input: Annotated[CreationMessageSendInput, strawberry.argument(description="The message.")],
    ) -> CreationMessageSendPayload:
        started = await turns.send_message(
            viewer=info.context.principal,
            play_type=input.play_type,
            session_id=str(input.session_id),
            text=input.text,
        )
        return CreationMessageSendPayload(
            errors=[],
            operation=CreationAgentOperation.from_row(started.operation, CreationLoaders()),
            user_message_id=strawberry.ID(started.message_id),
        )
