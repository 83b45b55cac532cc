"""The square hole's draft and game data on the graph: shapes, holes, rules, the default
rule, the config and the typed draft (output types), and the publish blocker."""

from __future__ import annotations

import strawberry

from resolvers.play_types.gates import Blocker
from resolvers.square_hole import drafts
from resolvers.square_hole.errors import SquareHoleErrorCode
from resolvers.square_hole.model import SquareHoleBlockerCode, SquareHoleStage

strawberry.enum(
    SquareHoleStage,
    description="COLLECTING_ANCHORS until the draft has shapes, holes and rules, "
    "DRAFT_READY once it has, PUBLISHED while its work is published.",
)
strawberry.enum(
    SquareHoleBlockerCode,
    description="Why a square-hole work cannot be published yet: TITLE_MISSING, "
    "COVER_MISSING, TWIST_RULE_MISSING, NO_RULES (empty rule list), NO_HOLES, "
    "SHAPE_COUNT_INVALID (not 2 to 30), TOO_FEW_SHAPES (fewer shapes than `shapeCount`), "
    "RULE_UNKNOWN_SHAPE / RULE_UNKNOWN_HOLE (a rule names one the work lacks), "
    "TARGET_UNREACHABLE (the rules cannot guarantee the target score), IMAGE_NOT_PUBLIC, "
    "IMAGE_NOT_AN_IMAGE.",
)
strawberry.enum(SquareHoleErrorCode, description="Why a square-hole mutation was refused.")

ID_RULE = "1 to 32 characters of a-z, 0-9, `_` and `-`."


@strawberry.type(description="A shape of the work (a run deals `shapeCount` of them).")
class SquareHoleShape:
    shape_id: str = strawberry.field(description="The shape's id (" + ID_RULE + ")")
    name: str = strawberry.field(description="Its name, up to 40 characters.")


@strawberry.type(description="A hole shapes are dropped into.")
class SquareHoleHole:
    hole_id: str = strawberry.field(description="The hole's id (" + ID_RULE + ")")
    name: str = strawberry.field(description="Its name, up to 40 characters.")


@strawberry.type(
    description="One rule: when a drop matches `shape` and `hole` (`*` matches any), the "
    "first matching rule decides whether the hole `accepts` it and its `points`."
)
class SquareHoleRule:
    shape: str = strawberry.field(description="A shape id, or `*` for any shape.")
    hole: str = strawberry.field(description="A hole id, or `*` for any hole.")
    accepts: bool = strawberry.field(
        description="True: the shape is placed and `points` are added. False: the shape is "
        "lost and `points` are taken off (never below 0)."
    )
    points: int = strawberry.field(description="0 to 1000.")


@strawberry.type(description="What a drop no rule matches does.")
class SquareHoleDefaultRule:
    accepts: bool = strawberry.field(description="Whether such a drop is accepted.")
    points: int = strawberry.field(description="Its points, 0 to 1000.")


@strawberry.type(
    description="The game as data (`config_json`): shapes, holes, the ordered rules and "
    "their default, evaluated by one rule interpreter for every work."
)
class SquareHoleConfig:
    shapes: list[SquareHoleShape] = strawberry.field(description="Up to 30 shapes.")
    holes: list[SquareHoleHole] = strawberry.field(description="Up to 8 holes.")
    rules: list[SquareHoleRule] = strawberry.field(
        description="Up to 50 rules in order: the first that matches a drop decides."
    )
    default_rule: SquareHoleDefaultRule = strawberry.field(
        description="What decides when no rule matches."
    )
    target_score: int = strawberry.field(
        description="A run is WON when its score reaches this after the last shape."
    )

    @classmethod
    def from_config(cls, config: drafts.SquareHoleConfig) -> SquareHoleConfig:
        return cls(
            shapes=[SquareHoleShape(shape_id=s.shape_id, name=s.name) for s in config.shapes],
            holes=[SquareHoleHole(hole_id=h.hole_id, name=h.name) for h in config.holes],
            rules=[
                SquareHoleRule(shape=r.shape, hole=r.hole, accepts=r.accepts, points=r.points)
                for r in config.rules
            ],
            default_rule=SquareHoleDefaultRule(
                accepts=config.default_rule.accepts, points=config.default_rule.points
            ),
            target_score=config.target_score,
        )


@strawberry.type(
    name="SquareHoleDraft",
    description="The typed draft of a square-hole work (validated on every write).",
)
class SquareHoleDraftType:
    title: str = strawberry.field(description="Title, up to 80 characters.")
    description: str = strawberry.field(description="Description, up to 1000 characters.")
    theme: str = strawberry.field(description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(description="Up to 8 tags of up to 24 characters.")
    twist_rule: str = strawberry.field(
        description="The twist in words (up to 200 characters): a rule that contradicts "
        "intuition, such as 'every shape fits the square hole'."
    )
    difficulty: int | None = strawberry.field(description="1 to 5; null until chosen.")
    shape_count: int | None = strawberry.field(
        description="Shapes a run deals, 2 to 30; null until chosen."
    )
    config: SquareHoleConfig = strawberry.field(description="The game as data.")

    @classmethod
    def from_draft(cls, draft: drafts.SquareHoleDraft) -> SquareHoleDraftType:
        return cls(
            title=draft.title,
            description=draft.description,
            theme=draft.theme,
            tags=list(draft.tags),
            twist_rule=draft.twist_rule,
            difficulty=draft.difficulty,
            shape_count=draft.shape_count,
            config=SquareHoleConfig.from_config(draft.config),
        )


@strawberry.type(description="Something that keeps a square-hole work from being published.")
class SquareHoleBlocker:
    code: SquareHoleBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `twistRule`, `shapeCount`, "
        "`config.shapes`, `config.holes`, `config.rules`, `config.rules.<i>.shape`, "
        "`config.rules.<i>.hole`, `config.targetScore` (i from 0)."
    )
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> SquareHoleBlocker:
        return cls(
            code=SquareHoleBlockerCode(blocker.code),
            field=blocker.field,
            message=blocker.message,
        )


@strawberry.type(name="SquareHoleError", description="Why a square-hole mutation did nothing.")
class SquareHoleErrorType:
    code: SquareHoleErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
