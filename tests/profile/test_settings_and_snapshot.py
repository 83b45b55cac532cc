"""Runtime settings (defaults, volume bounds) and the current snapshot."""

from __future__ import annotations

from db.tables.profile import RuntimeSetting, RuntimeSnapshot
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

SETTINGS = "{ viewer { runtimeSetting { musicVolume platformTheme isDefault } } }"
UPDATE = """
mutation($i: RuntimeSettingUpdateInput!) { runtimeSettingUpdate(input: $i) {
    errors { code field } runtimeSetting { musicVolume platformTheme isDefault }
} }
"""
SNAPSHOT = "{ viewer { runtimeSnapshot { version bottomTab gameState currentStory } } }"
SAVE = """
mutation($i: RuntimeSnapshotSaveInput!) { runtimeSnapshotSave(input: $i) {
    errors { code field } runtimeSnapshot { version bottomTab gameState currentStory }
} }
"""


async def test_settings_have_defaults_and_partial_updates(gql: GraphQLClient) -> None:
    user = await make_user()
    shown = await gql.execute(SETTINGS, token=user.access_token)
    assert shown["data"]["viewer"]["runtimeSetting"] == {
        "musicVolume": 0.5,
        "platformTheme": "LIGHT",
        "isDefault": True,
    }
    volume = await gql.execute(UPDATE, {"i": {"musicVolume": 0.7}}, token=user.access_token)
    assert volume["data"]["runtimeSettingUpdate"]["runtimeSetting"] == {
        "musicVolume": 0.7,
        "platformTheme": "LIGHT",
        "isDefault": False,
    }
    theme = await gql.execute(UPDATE, {"i": {"platformTheme": "DARK"}}, token=user.access_token)
    assert theme["data"]["runtimeSettingUpdate"]["runtimeSetting"]["musicVolume"] == 0.7
    shown = await gql.execute(SETTINGS, token=user.access_token)
    assert shown["data"]["viewer"]["runtimeSetting"] == {
        "musicVolume": 0.7,
        "platformTheme": "DARK",
        "isDefault": False,
    }
    for edge in (0.0, 1.0):
        result = await gql.execute(UPDATE, {"i": {"musicVolume": edge}}, token=user.access_token)
        assert result["data"]["runtimeSettingUpdate"]["runtimeSetting"]["musicVolume"] == edge


async def test_a_volume_outside_zero_to_one_is_refused_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    for volume in (-0.01, 1.01):
        result = await gql.execute(UPDATE, {"i": {"musicVolume": volume}}, token=user.access_token)
        assert result["data"]["runtimeSettingUpdate"] == {
            "errors": [{"code": "VOLUME_OUT_OF_RANGE", "field": "musicVolume"}],
            "runtimeSetting": None,
        }
    assert await RuntimeSetting.count() == 0


async def test_snapshots_are_saved_with_a_counting_version(gql: GraphQLClient) -> None:
    user = await make_user()
    assert (await gql.execute(SNAPSHOT, token=user.access_token))["data"]["viewer"][
        "runtimeSnapshot"
    ] is None
    first = await gql.execute(
        SAVE,
        {"i": {"bottomTab": "play", "gameState": {"hp": 3, "items": ["key"]}}},
        token=user.access_token,
    )
    assert first["data"]["runtimeSnapshotSave"]["runtimeSnapshot"] == {
        "version": 1,
        "bottomTab": "play",
        "gameState": {"hp": 3, "items": ["key"]},
        "currentStory": None,
    }
    await gql.execute(
        SAVE,
        {"i": {"bottomTab": "story", "gameState": [1, 2], "currentStory": {"chapter": 2}}},
        token=user.access_token,
    )
    shown = await gql.execute(SNAPSHOT, token=user.access_token)
    assert shown["data"]["viewer"]["runtimeSnapshot"] == {
        "version": 2,
        "bottomTab": "story",
        "gameState": [1, 2],
        "currentStory": {"chapter": 2},
    }


async def test_a_scalar_or_oversized_state_is_refused(gql: GraphQLClient) -> None:
    user = await make_user()
    scalar = await gql.execute(
        SAVE, {"i": {"bottomTab": "play", "gameState": 5}}, token=user.access_token
    )
    assert scalar["data"]["runtimeSnapshotSave"]["errors"] == [
        {"code": "STATE_INVALID", "field": "gameState"}
    ]
    huge = await gql.execute(
        SAVE,
        {"i": {"bottomTab": "play", "gameState": {"blob": "x" * 270_000}}},
        token=user.access_token,
    )
    assert huge["data"]["runtimeSnapshotSave"]["errors"] == [
        {"code": "STATE_TOO_LARGE", "field": "gameState"}
    ]
    assert await RuntimeSnapshot.count() == 0
