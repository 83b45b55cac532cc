"""Custom worlds for tests: sessions, agent turns, covers and publishing through GraphQL."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from tests.factories.assets import BIND, png_bytes, upload
from tests.fixtures import GraphQLClient
from tests.waiting import eventually

CREATE = """
mutation($i: CustomWorldAgentSessionCreateInput!) {
  customWorldAgentSessionCreate(input: $i) {
    errors { code field message }
    session { sessionId profileId stage progress seedText }
    work { id workId title publicationStatus coverUrl publishReady }
  }
}
"""
SEND = """
mutation($i: CreationMessageSendInput!) {
  creationMessageSend(input: $i) {
    errors { code field message }
    userMessageId
    operation { operationId status taskId }
  }
}
"""
SESSION = """
query($s: ID!) {
  customWorldAgentSession(sessionId: $s) {
    sessionId profileId stage agentStage progress currentTurn seedText lastAssistantReply
    anchors { key text filled }
    worldDraft {
      worldName subtitle summary themeMode tags
      characters { id name role playable homePlaceId status }
      places { id name region status }
      chapters { id title characterIds placeIds status }
    }
    cards { cardId kind status title subtitle summary linkedIds warningCount assetStatus }
    publishGate { ready blockers { code anchor field message } }
    latestOperation { operationId status taskId warningMessage errorMessage }
    worldOperations { operationId status progress phaseLabel taskId errorMessage }
    messages(first: 100) { nodes { role kind text } }
  }
}
"""
AUTOSAVE = """
mutation($i: CustomWorldAgentSessionAutosaveInput!) {
  customWorldAgentSessionAutosave(input: $i) {
    errors { code field message }
    session { stage progress seedText worldDraft { worldName } anchors { key text } }
    publishGate { ready blockers { code anchor } }
  }
}
"""
CARD_UPDATE = """
mutation($i: DraftCardUpdateInput!) {
  draftCardUpdate(input: $i) {
    errors { code field message }
    card { cardId status title subtitle summary detail }
    publishGate { ready blockers { code anchor } }
  }
}
"""
PUBLISH = """
mutation($p: ID!) {
  customWorldPublish(profileId: $p) {
    errors { code field message }
    blockers { code anchor field }
    work { workId title publicationStatus publicWorkCode coverUrl publishedAt }
  }
}
"""
UNPUBLISH = """
mutation($p: ID!) {
  customWorldUnpublish(profileId: $p) {
    errors { code message }
    work { workId publicationStatus publicWorkCode }
  }
}
"""
DELETE = """
mutation($p: ID!) {
  customWorldDelete(profileId: $p) { errors { code message } deletedWorkId }
}
"""
MY_WORLDS = """
query { viewer { customWorlds(first: 50) { nodes {
  workId title publicationStatus coverUrl publicWorkCode playableNpcCount landmarkCount
} } } }
"""


async def create_session(gql: GraphQLClient, token: str, seed: str = "") -> dict[str, Any]:
    result = await gql.execute(CREATE, {"i": {"seedText": seed}}, token=token)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["customWorldAgentSessionCreate"]
    assert payload["errors"] == [], payload
    return payload


async def send(gql: GraphQLClient, token: str, session_id: str, text: str) -> dict[str, Any]:
    result = await gql.execute(
        SEND,
        {"i": {"playType": "CUSTOM_WORLD", "sessionId": session_id, "text": text}},
        token=token,
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["creationMessageSend"]
    return payload


async def session(gql: GraphQLClient, token: str, session_id: str) -> dict[str, Any]:
    result = await gql.execute(SESSION, {"s": session_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["customWorldAgentSession"]
    return found


async def finished_turn(
    gql: GraphQLClient, token: str, session_id: str, timeout: float = 15
) -> dict[str, Any]:
    """The session once its latest turn has finished (polled through GraphQL)."""

    def finished(found: dict[str, Any]) -> bool:
        latest = found["latestOperation"]
        return latest is not None and latest["status"] != "RUNNING"

    await eventually(lambda: session(gql, token, session_id), finished, timeout=timeout)
    # Read again: the response that first shows the turn finished may have read the session
    # row (its draft) before the turn was applied and its cards and operation after.
    return await session(gql, token, session_id)


async def talk(gql: GraphQLClient, token: str, session_id: str, text: str) -> dict[str, Any]:
    """Send a message and return the session after the agent's reply was applied."""
    sent = await send(gql, token, session_id, text)
    assert sent["errors"] == [], sent
    return await finished_turn(gql, token, session_id)


async def bind(
    gql: GraphQLClient,
    token: str,
    asset_object_id: str,
    *,
    entity_kind: str,
    entity_id: str,
    slot: str,
) -> dict[str, Any]:
    result = await gql.execute(
        BIND,
        {
            "i": {
                "assetObjectId": asset_object_id,
                "entityKind": entity_kind,
                "entityId": entity_id,
                "slot": slot,
            }
        },
        token=token,
    )
    payload: dict[str, Any] = result["data"]["assetObjectBind"]
    return payload


async def bind_cover(
    gql: GraphQLClient,
    token: str,
    profile_id: str,
    *,
    seed: int = 1,
    content: bytes | None = None,
    access_policy: str = "PUBLIC_READ",
) -> dict[str, Any]:
    """Upload a real PNG (or `content`) and bind it as the world's cover (PUBLIC_READ, as
    the gate asks, unless told otherwise)."""
    data = content if content is not None else png_bytes(seed)
    content_type = "image/png" if content is None else "audio/wav"
    asset = await upload(gql, token, data, content_type=content_type, access_policy=access_policy)
    asset["assetObjectId"] = relay.GlobalID.from_id(asset["id"]).node_id
    payload = await bind(
        gql,
        token,
        asset["assetObjectId"],
        entity_kind="custom_world",
        entity_id=profile_id,
        slot="cover",
    )
    assert payload["errors"] == [], payload
    return asset


async def publish(gql: GraphQLClient, token: str, profile_id: str) -> dict[str, Any]:
    result = await gql.execute(PUBLISH, {"p": profile_id}, token=token)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["customWorldPublish"]
    return payload


async def ready_world(
    gql: GraphQLClient, token: str, seed: str = "A sunken empire"
) -> dict[str, Any]:
    """A session whose world passes the gate: one agent turn and a bound cover."""
    created = await create_session(gql, token, seed)
    session_id = created["session"]["sessionId"]
    profile_id = created["session"]["profileId"]
    await talk(gql, token, session_id, "Let's build it.")
    await bind_cover(gql, token, profile_id)
    return {"session_id": session_id, "profile_id": profile_id}


async def my_worlds(gql: GraphQLClient, token: str) -> list[dict[str, Any]]:
    result = await gql.execute(MY_WORLDS, token=token)
    assert "errors" not in result, result
    nodes: list[dict[str, Any]] = result["data"]["viewer"]["customWorlds"]["nodes"]
    return nodes
