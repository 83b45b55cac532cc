"""The square-hole form's draft as GraphQL input (the whole draft replaces the stored
one; the server validates it as a `SquareHoleDraft`)."""

from __future__ import annotations

from typing import Any

import strawberry

ID_RULE = "1 to 32 characters of a-z, 0-9, `_` and `-`"


@strawberry.input(description="A shape of the form's config.")
class SquareHoleShapeInput:
    shape_id: str = strawberry.field(description=f"The shape's id, {ID_RULE}; distinct.")
    name: str = strawberry.field(default="", description="Its name, up to 40 characters.")


@strawberry.input(description="A hole of the form's config.")
class SquareHoleHoleInput:
    hole_id: str = strawberry.field(description=f"The hole's id, {ID_RULE}; distinct.")
    name: str = strawberry.field(default="", description="Its name, up to 40 characters.")


@strawberry.input(description="One rule of the form's config (the first match decides).")
class SquareHoleRuleInput:
    shape: str = strawberry.field(description=f"A shape id ({ID_RULE}) or `*` for any.")
    hole: str = strawberry.field(description=f"A hole id ({ID_RULE}) or `*` for any.")
    accepts: bool = strawberry.field(description="Whether the hole accepts the shape.")
    points: int = strawberry.field(default=0, description="0 to 1000.")


@strawberry.input(description="What a drop no rule matches does.")
class SquareHoleDefaultRuleInput:
    accepts: bool = strawberry.field(default=False, description="Accepted or not.")
    points: int = strawberry.field(default=0, description="0 to 1000.")


@strawberry.input(description="The game as data: shapes, holes, rules, target score.")
class SquareHoleConfigInput:
    shapes: list[SquareHoleShapeInput] = strawberry.field(
        default_factory=list, description="Up to 30 shapes."
    )
    holes: list[SquareHoleHoleInput] = strawberry.field(
        default_factory=list, description="Up to 8 holes."
    )
    rules: list[SquareHoleRuleInput] = strawberry.field(
        default_factory=list, description="Up to 50 rules, in order."
    )
    default_rule: SquareHoleDefaultRuleInput | None = strawberry.field(
        default=None, description="The default (null: refused, 0 points)."
    )
    target_score: int = strawberry.field(
        default=0, description="The score that wins a run, 0 to 30000."
    )

    def as_data(self) -> dict[str, Any]:
        default = self.default_rule or SquareHoleDefaultRuleInput()
        return {
            "shapes": [{"shapeId": s.shape_id, "name": s.name} for s in self.shapes],
            "holes": [{"holeId": h.hole_id, "name": h.name} for h in self.holes],
            "rules": [
                {"shape": r.shape, "hole": r.hole, "accepts": r.accepts, "points": r.points}
                for r in self.rules
            ],
            "defaultRule": {"accepts": default.accepts, "points": default.points},
            "targetScore": self.target_score,
        }


@strawberry.input(description="The whole draft of the form (replaces the stored one).")
class SquareHoleDraftInput:
    title: str = strawberry.field(default="", description="Title, up to 80 characters.")
    description: str = strawberry.field(
        default="", description="Description, up to 1000 characters."
    )
    theme: str = strawberry.field(default="", description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(
        default_factory=list, description="Up to 8 distinct tags of 1 to 24 characters."
    )
    twist_rule: str = strawberry.field(
        default="", description="The twist in words, up to 200 characters."
    )
    difficulty: int | None = strawberry.field(default=None, description="1 to 5, or null.")
    shape_count: int | None = strawberry.field(
        default=None, description="Shapes a run deals, 2 to 30, or null."
    )
    config: SquareHoleConfigInput | None = strawberry.field(
        default=None, description="The game as data (null: empty)."
    )

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "theme": self.theme,
            "tags": list(self.tags),
            "twistRule": self.twist_rule,
            "difficulty": self.difficulty,
            "shapeCount": self.shape_count,
            "config": (self.config or SquareHoleConfigInput()).as_data(),
        }
