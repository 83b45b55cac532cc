"""Every private field and write of the profile side refuses anonymous callers and service
workers, and a refused write leaves no row."""

from __future__ import annotations

from db.tables.analytics import TrackingEvent
from db.tables.economy import ProfileRechargeOrder, ProfileRedeemCodeUsage, ProfileTaskRewardClaim
from db.tables.profile import (
    ProfileFeedbackSubmission,
    ProfileSaveArchive,
    RuntimeSetting,
    RuntimeSnapshot,
    UserBrowseHistory,
)
from tests.factories.economy import service_token
from tests.fixtures import GraphQLClient

PRIVATE_FIELDS = [
    "{ viewer { runtimeSetting { musicVolume } } }",
    "{ viewer { runtimeSnapshot { version } } }",
    "{ viewer { browseHistory { nodes { worldName } } } }",
    "{ viewer { saveArchives { nodes { worldKey } } } }",
    "{ viewer { feedbackSubmissions { nodes { description } } } }",
    "{ viewer { tasks { taskId } } }",
    "{ viewer { inviteCode { inviteCode } } }",
    "{ viewer { referrals { nodes { inviteCode } } } }",
    "{ viewer { membership { status } } }",
    "{ viewer { rechargeOrders { nodes { id } } } }",
]
PRIVATE_WRITES = [
    "mutation { runtimeSettingUpdate(input: {musicVolume: 0.2}) { errors { code } } }",
    'mutation { runtimeSnapshotSave(input: {bottomTab: "a", gameState: {}}) { errors { code } } }',
    'mutation { browseHistoryRecord(input: {ownerUserId: "o", profileId: "p", worldName: "w"}) '
    "{ errors { code } } }",
    "mutation { browseHistoryClear { deletedCount } }",
    'mutation { saveArchiveUpsert(input: {worldKey: "k", worldName: "w", bottomTab: "a", '
    "gameState: {}}) { errors { code } } }",
    'mutation { saveArchiveResume(archiveId: "x") { errors { code } } }',
    'mutation { saveArchiveDelete(archiveId: "x") { errors { code } } }',
    'mutation { feedbackSubmissionCreate(input: {description: "d"}) { errors { code } } }',
    'mutation { trackingEventRecord(input: {eventKey: "tap", scopeKind: SITE}) '
    "{ errors { code } } }",
    'mutation { taskRewardClaim(taskId: "daily_login") { errors { code } } }',
    'mutation { redeemCodeUse(code: "ANY1") { errors { code } } }',
    'mutation { rechargeOrderCreate(productId: "points_60", paymentChannel: "mock") '
    "{ errors { code } } }",
]
TABLES = [
    RuntimeSetting,
    RuntimeSnapshot,
    UserBrowseHistory,
    ProfileSaveArchive,
    ProfileFeedbackSubmission,
    TrackingEvent,
    ProfileTaskRewardClaim,
    ProfileRedeemCodeUsage,
    ProfileRechargeOrder,
]


async def test_anonymous_callers_and_service_workers_are_refused_and_nothing_is_written(
    gql: GraphQLClient,
) -> None:
    service = await service_token()
    for operation in PRIVATE_FIELDS + PRIVATE_WRITES:
        anonymous = await gql.execute(operation)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", operation
        refused = await gql.execute(operation, token=service)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", operation
    for table in TABLES:
        assert await table.count() == 0, table
