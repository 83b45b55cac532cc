"""The rule interpreter: first matching rule in order, the default, refusals, points."""

from __future__ import annotations

from resolvers.square_hole.rules import Rule, RuleBook, Verdict, scored

SQUARE_TAKES_ALL = Rule(shape="*", hole="square", accepts=True, points=10)


def test_the_first_matching_rule_decides() -> None:
    # given a specific refusal listed before a rule that would accept
    book = RuleBook(
        rules=(
            Rule(shape="square", hole="square", accepts=False, points=5),
            SQUARE_TAKES_ALL,
        )
    )
    # when a square and a star are dropped into the square hole
    square = book.judge("square", "square")
    star = book.judge("star", "square")
    # then the earlier rule decides for the square, the later one for the star
    assert square == Verdict(accepts=False, points=5, rule_index=0)
    assert star == Verdict(accepts=True, points=10, rule_index=1)


def test_order_matters_the_same_rules_reversed_decide_otherwise() -> None:
    # given the same two rules in the other order
    book = RuleBook(
        rules=(
            SQUARE_TAKES_ALL,
            Rule(shape="square", hole="square", accepts=False, points=5),
        )
    )
    # when a square is dropped into the square hole / then the wildcard rule wins
    assert book.judge("square", "square") == Verdict(accepts=True, points=10, rule_index=0)


def test_the_default_decides_when_no_rule_matches() -> None:
    # given a rule for the square hole and a default that refuses with a penalty of 3
    book = RuleBook(rules=(SQUARE_TAKES_ALL,), default_accepts=False, default_points=3)
    # when a star goes into the circle hole
    verdict = book.judge("star", "circle")
    # then the default decided
    assert verdict == Verdict(accepts=False, points=3, rule_index=None)


def test_an_accepting_default_places_every_unmatched_drop() -> None:
    book = RuleBook(rules=(), default_accepts=True, default_points=1)
    assert book.judge("moon", "anything") == Verdict(accepts=True, points=1, rule_index=None)


def test_accepted_drops_add_points_and_refused_ones_take_them_off_never_below_zero() -> None:
    # given a score of 12
    # when drops are accepted for 10, refused for 5, refused for 50
    after_accept = scored(12, Verdict(True, 10, 0))
    after_refusal = scored(after_accept, Verdict(False, 5, 1))
    after_big_refusal = scored(after_refusal, Verdict(False, 50, None))
    # then the score follows and stops at 0
    assert (after_accept, after_refusal, after_big_refusal) == (22, 17, 0)


def test_a_refusal_worth_zero_points_changes_nothing() -> None:
    assert scored(7, Verdict(False, 0, None)) == 7


def test_wildcards_match_any_shape_or_hole() -> None:
    # given one rule for any shape into any hole
    book = RuleBook(rules=(Rule(shape="*", hole="*", accepts=True, points=2),))
    # then every drop matches it
    assert {book.judge(s, h).rule_index for s in ("a", "b") for h in ("x", "y")} == {0}


def test_the_guaranteed_score_sums_the_smallest_best_scores() -> None:
    # given circles scoring 20 in the triangle hole and everything 10 in the square one,
    # and a star that no hole accepts
    book = RuleBook(
        rules=(
            Rule(shape="circle", hole="triangle", accepts=True, points=20),
            Rule(shape="star", hole="*", accepts=False, points=0),
            SQUARE_TAKES_ALL,
        )
    )
    shapes = ["circle", "square", "star"]
    holes = ["square", "triangle"]
    # when the best per shape is computed / then circle 20, square 10, star 0
    assert [book.best_points(shape, holes) for shape in shapes] == [20, 10, 0]
    # and a run of two shapes is guaranteed the two smallest: 0 + 10
    assert book.guaranteed_score(shapes, holes, 2) == 10
    assert book.guaranteed_score(shapes, holes, 3) == 30


def test_a_rule_book_reads_the_stored_config() -> None:
    # given a config as the draft stores it
    config = {
        "rules": [{"shape": "*", "hole": "square", "accepts": True, "points": 10}],
        "defaultRule": {"accepts": False, "points": 4},
    }
    # when it is read / then the rules and the default are those
    assert RuleBook.from_json(config) == RuleBook(
        rules=(SQUARE_TAKES_ALL,), default_accepts=False, default_points=4
    )
    # and a config without a default refuses for nothing
    assert RuleBook.from_json({"rules": []}) == RuleBook(rules=())
