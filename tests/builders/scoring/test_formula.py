"""The score formula: grammar term, diversity term, repetition penalty, the soft floor, validation."""

import pytest

from saga.builders.scoring.formula import ScoreFormula


def test_diversity_credit_saturates_at_ordinary_prose_and_goes_negative_below():
    prose = ScoreFormula().combine(0.0, 1, ["a", "b", "c", "a", "d", "e", "f", "g", "h", "i"])  # MATTR 0.9
    assert prose.score == 1.0
    stutter = ScoreFormula(repetition_weight=0.0).combine(0.0, 1, ["bil"] * 6 + ["hus"])  # MATTR 2/7
    assert stutter.score == pytest.approx(0.8 + 0.2 * ((2 / 7 - 0.40) / 0.25), abs=1e-6)


def test_clean_sentence_scores_one():
    terms = ScoreFormula().combine(0.0, 1, ["den", "store", "bilen", "står", "i", "garasjen"])
    assert (terms.score, terms.grammar, terms.mattr, terms.repetition) == (1.0, 1.0, 1.0, 0.0)


def test_penalty_is_per_sentence_and_not_clipped_below():
    words = ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert ScoreFormula().combine(1.0, 1, words).grammar == 0.0
    assert ScoreFormula().combine(1.0, 4, words).grammar == 0.75
    # Nine sentences' worth of violations stay apart from two: the floor, not a clip of G, bounds the score.
    assert ScoreFormula().combine(9.0, 1, words).grammar == -8.0
    assert ScoreFormula().combine(9.0, 1, words).score < ScoreFormula().combine(3.0, 1, words).score
    assert ScoreFormula(soft_floor=-1.0).combine(9.0, 1, ["a"] * 30).score == -1.0


def test_soft_floor_keeps_the_order_of_bad_texts_and_stays_above_minus_one():
    words = ["a", "b", "c", "d", "e", "f", "g", "h"]
    formula = ScoreFormula()
    # Above the floor f = -0.5 the score is the linear sum: 0.8 * (1 - 1.5) + 0.2 = -0.2.
    assert formula.combine(1.5, 1, words).score == pytest.approx(-0.2)
    # Below it the sum bends towards -1 as f - (1 + f) d / (d + 1 + f), d = f - s: G = -1 and I = 0.4 give the sum
    # s = 0.8 * -1 + 0.2 - 0.2 = -0.8, d = 0.3, hence -0.5 - 0.5 * 0.3 / 0.8.
    assert formula.combine(2.0, 1, words, improbability=0.4).score == pytest.approx(-0.5 - 0.5 * 0.3 / 0.8)
    # Sums from -0.2 down to -2.95 (improbability costs 0.5 per unit, unacceptability 1.5 at κ = 3): order kept.
    formula = ScoreFormula(acceptability_weight=3.0)
    grid = [(i, u) for i in (0.0, 0.5, 1.0) for u in (0.0, 0.5, 1.0)]
    grid.sort(key=lambda iu: 0.5 * iu[0] + 1.5 * iu[1])
    scores = [formula.combine(1.5, 1, words, improbability=i, unacceptability=u).score for i, u in grid]
    assert all(a > b for a, b in zip(scores, scores[1:], strict=False)), scores
    assert min(scores) > -1.0 and -0.99 < formula.combine(9.0, 1, ["a"] * 30).score < -0.95
    # Continuous at the floor: just above and just below it differ by about as much as the sums do.
    above, below = (
        formula.combine(1.5, 1, words, improbability=0.6),
        formula.combine(1.5, 1, words, improbability=0.62),
    )
    assert above.score - below.score == pytest.approx(0.01, abs=1e-3)


def test_diversity_and_repetition_terms():
    words = ["huset", "er", "stort", "huset", "er", "stort"]
    terms = ScoreFormula().combine(0.0, 2, words)
    # MATTR 0.5 earns (0.5 - 0.40) / (0.65 - 0.40) = 0.4 of the diversity credit: 0.8 * 1 + 0.2 * 0.4 - 2.0 * 0.5
    assert terms.score == pytest.approx(-0.12)
    assert ScoreFormula(diversity_weight=0.0, repetition_weight=0.0).combine(0.0, 2, words).score == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"diversity_weight": 1.5}, "diversity_weight must be in"),
        ({"mattr_window": 0}, "must be >= 1"),
        ({"repetition_weight": -1}, "repetition_weight must be >= 0"),
        ({"mattr_zero": 0.7}, "need 0 <= mattr_zero < mattr_full <= 1"),
        ({"soft_floor": 0.5}, "soft_floor must be in"),
    ],
)
def test_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ScoreFormula(**kwargs)


def test_improbability_term_is_linear_and_only_lowers_the_score():
    words = ["den", "store", "bilen", "står", "i", "garasjen"]
    assert ScoreFormula().combine(0.0, 1, words, improbability=0.0).score == 1.0
    assert ScoreFormula().combine(0.0, 1, words, improbability=0.4).score == pytest.approx(0.8)
    terms = ScoreFormula(sequence_weight=1.0).combine(0.0, 1, words, improbability=1.0)
    assert (terms.score, terms.improbability) == (0.0, 1.0)
    assert ScoreFormula().combine(1.5, 1, words, improbability=0.5).score == pytest.approx(0.8 * -0.5 + 0.2 - 0.25)
    with pytest.raises(ValueError, match="sequence_weight"):
        ScoreFormula(sequence_span=0.0)
