"""Building the one Schema of the process from the domain roots and the settings."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql.error import GraphQLError
from opentelemetry.sdk.trace import TracerProvider
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types.execution import ExecutionContext

from schema.ai_tasks.mutations import AiTaskMutation
from schema.ai_tasks.queries import AiTaskQuery
from schema.ai_tasks.subscriptions import AiTaskSubscription
from schema.analytics.mutations import AnalyticsMutation
from schema.analytics.queries import AnalyticsQuery
from schema.assets.mutations import AssetMutation
from schema.assets.queries import AssetQuery
from schema.assets.subscriptions import AssetSubscription
from schema.assets.types import AssetObject
from schema.auth.admin import AdminUserMutation, AdminUserQuery
from schema.auth.mutations import AuthMutation
from schema.auth.queries import AuthQuery
from schema.auth.user import User
from schema.auth.wechat import AuthWechatMutation
from schema.big_fish.events import BigFishEventSubscription
from schema.big_fish.mutations import BigFishMutation
from schema.big_fish.queries import BigFishQuery
from schema.big_fish.runs import BigFishRunMutation, BigFishRunSubscription
from schema.creation.mutations import CreationMutation
from schema.economy.roots import EconomyMutation, EconomyQuery
from schema.errors import ErrorPolicy, code_for
from schema.extension_runner import LeanExtensionsRunner
from schema.gallery.mutations import GalleryMutation
from schema.gallery.queries import GalleryQuery
from schema.gallery.subscriptions import GallerySubscription
from schema.gallery.work import Work, registered_work_types
from schema.guards import ValidationCacheWithNulGuard
from schema.images.mutations import ImageMutation
from schema.match3d.mutations import Match3dMutation
from schema.match3d.queries import Match3dQuery
from schema.match3d.runs import Match3dRunMutation
from schema.migration.mutations import MigrationMutation
from schema.node import NodeQuery
from schema.operation_metrics import OperationMetrics
from schema.play_types import RUN_TYPES, WORK_TYPES, install_run_types, install_work_types
from schema.profile.mutations import ProfileMutation
from schema.puzzle.leaderboard import PuzzleLeaderboardQuery, PuzzleLeaderboardSubscription
from schema.puzzle.mutations import PuzzleMutation
from schema.puzzle.queries import PuzzleQuery
from schema.puzzle.runs import PuzzleRunMutation
from schema.puzzle.subscriptions import PuzzleSubscription
from schema.rpg.mutations import RpgMutation
from schema.rpg.play_mutations import RpgPlayMutation
from schema.rpg.queries import RpgQuery
from schema.rpg.subscriptions import RpgSubscription
from schema.runs.mutations import RunMutation
from schema.runs.subscriptions import RunSubscription
from schema.runs.types import Run, registered_run_types
from schema.shared_events import SharedEventExecutor
from schema.square_hole.mutations import SquareHoleMutation
from schema.square_hole.queries import SquareHoleQuery
from schema.square_hole.runs import SquareHoleRunMutation
from schema.tracing import GraphQLTracing
from schema.visual_novel.mutations import VisualNovelMutation
from schema.visual_novel.queries import VisualNovelQuery
from schema.visual_novel.runs import VisualNovelRunMutation
from schema.visual_novel.subscriptions import VisualNovelSubscription
from schema.worlds.mutations import WorldMutation
from schema.worlds.queries import WorldQuery
from settings import Settings


# The roots inherit every domain's root class: add yours to the bases.
@strawberry.type(description="Everything that can be read: the viewer, public users, nodes.")
class Query(
    NodeQuery,
    AuthQuery,
    AssetQuery,
    AdminUserQuery,
    EconomyQuery,
    AnalyticsQuery,
    AiTaskQuery,
    GalleryQuery,
    PuzzleQuery,
    PuzzleLeaderboardQuery,
    WorldQuery,
    Match3dQuery,
    SquareHoleQuery,
    VisualNovelQuery,
    BigFishQuery,
    RpgQuery,
):
    pass


@strawberry.type(
    description="Every write, named entity first (`authLogin`, `workLike`, `redeemCodeUse`)."
)
class Mutation(
    AuthMutation,
    AuthWechatMutation,
    AssetMutation,
    AdminUserMutation,
    ProfileMutation,
    EconomyMutation,
    AnalyticsMutation,
    AiTaskMutation,
    ImageMutation,
    GalleryMutation,
    CreationMutation,
    PuzzleMutation,
    PuzzleRunMutation,
    RunMutation,
    WorldMutation,
    Match3dMutation,
    Match3dRunMutation,
    SquareHoleMutation,
    SquareHoleRunMutation,
    VisualNovelMutation,
    VisualNovelRunMutation,
    BigFishMutation,
    BigFishRunMutation,
    RpgMutation,
    RpgPlayMutation,
    MigrationMutation,
):
    pass


@strawberry.type(
    description="Live streams over WebSocket (graphql-transport-ws): events with "
    "per-stream sequences, replayed after an `after` cursor, then delivered live."
)
class Subscription(
    AiTaskSubscription,
    AssetSubscription,
    GallerySubscription,
    PuzzleSubscription,
    PuzzleLeaderboardSubscription,
    RunSubscription,
    VisualNovelSubscription,
    BigFishEventSubscription,
    BigFishRunSubscription,
    RpgSubscription,
):
    pass


class Schema(strawberry.Schema):
    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        # Only the per-result hooks some extension defines (schema/extension_runner.py).
        return LeanExtensionsRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Give every showable error its code; this also sees parse errors, which happen
        before extensions can shape the result. Logging happens in `ErrorPolicy`."""
        for error in errors:
            if not (error.extensions or {}).get("code"):
                code = code_for(error)
                if code is not None:
                    error.extensions = {**(error.extensions or {}), "code": code}


def build_schema(
    settings: Settings,
    *,
    only_play_types: bool = False,
    tracer_provider: TracerProvider | None = None,
) -> Schema:
    """The schema. `only_play_types`: its `Work` types are exactly the registered play
    types' (the contract's SDL), without work types a test registered for itself."""
    # The depth and alias rules are built once: each limiter instance makes a new rule
    # class, and ValidationCache keys on the rule classes, so per-request limiters made
    # every validation a cache miss (a fifth of a 50-item gallery page's time).
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list[Any] = [
        OperationMetrics,  # first: it times and counts everything the others do
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: AddValidationRules(limit_rules),
        ParserCache,
        # Strawberry's ValidationCache, then the refusal of NUL in string inputs.
        ValidationCacheWithNulGuard,
        ErrorPolicy,
    ]
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    if tracer_provider is not None:
        # Opt-in (TRACING_ENABLED): a span per operation and per resolver (schema/tracing.py).
        extensions.append(lambda: GraphQLTracing(tracer_provider=tracer_provider))
    install_work_types()
    install_run_types()
    work_types = list(WORK_TYPES.values()) if only_play_types else registered_work_types()
    run_types = list(RUN_TYPES.values()) if only_play_types else registered_run_types()
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        # Every registered play type's Work and Run types (schema/play_types.py installs
        # them).
        types=[User, AssetObject, Work, *work_types, Run, *run_types],
        extensions=extensions,
        execution_context_class=SharedEventExecutor,
    )
