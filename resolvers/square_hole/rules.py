"""The rule interpreter: what a shape dropped into a hole scores, for every work.

A work's rules are data (`config_json.rules`), never code: an ordered list of
`{shape, hole, accepts, points}` and a default `{accepts, points}`. The first rule whose
`shape` and `hole` match (a shape or hole id, or `*` for any) decides; when none matches,
the default does. An accepted drop places the shape and adds `points` to the score; a
refused one loses the shape and takes `points` off (never below 0). That is how a work
states its twist ("every shape fits the square hole": `{shape: "*", hole: "square",
accepts: true, points: 10}` first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from resolvers.square_hole.model import ANY


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: `shape` and `hole` are ids or `*`."""

    shape: str
    hole: str
    accepts: bool
    points: int

    def matches(self, shape: str, hole: str) -> bool:
        return self.shape in (ANY, shape) and self.hole in (ANY, hole)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a drop does: accepted or not, the points, and the deciding rule's position
    (None: the default decided)."""

    accepts: bool
    points: int
    rule_index: int | None


@dataclass(frozen=True, slots=True)
class RuleBook:
    """A work's rules in order, and the default."""

    rules: tuple[Rule, ...]
    default_accepts: bool = False
    default_points: int = 0

    def judge(self, shape: str, hole: str) -> Verdict:
        """The verdict of the first matching rule, else of the default."""
        for index, rule in enumerate(self.rules):
            if rule.matches(shape, hole):
                return Verdict(rule.accepts, rule.points, index)
        return Verdict(self.default_accepts, self.default_points, None)

    def best_points(self, shape: str, holes: Iterable[str]) -> int:
        """The most a shape can score in one of the holes (0 when no hole accepts it)."""
        return max(
            (verdict.points for hole in holes if (verdict := self.judge(shape, hole)).accepts),
            default=0,
        )

    def guaranteed_score(self, shapes: Sequence[str], holes: Sequence[str], count: int) -> int:
        """The best score a run of `count` of these shapes reaches whichever ones it deals:
        the sum of the `count` smallest best scores."""
        bests = sorted(self.best_points(shape, holes) for shape in shapes)
        return sum(bests[:count])

    @classmethod
    def from_json(cls, config: Mapping[str, Any]) -> RuleBook:
        """The rule book of a config (`rules`, `defaultRule`), as the draft stores it."""
        default = config.get("defaultRule") or {}
        return cls(
            rules=tuple(
                Rule(
                    shape=str(rule["shape"]),
                    hole=str(rule["hole"]),
                    accepts=bool(rule["accepts"]),
                    points=int(rule["points"]),
                )
                for rule in config.get("rules") or []
            ),
            default_accepts=bool(default.get("accepts", False)),
            default_points=int(default.get("points", 0)),
        )


def scored(score: int, verdict: Verdict) -> int:
    """The score after a drop: plus the points when accepted, minus them (not below 0)
    when refused."""
    if verdict.accepts:
        return score + verdict.points
    return max(0, score - verdict.points)
