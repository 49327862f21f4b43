"""Δ-pairing rules: thresholds, strategies, the cap, identical texts, and the reason a prompt gets no pair."""

import pytest

from saga.builders.pairing import Candidate, pair_prompt


def c(text, score, temperature=0.7, sample_idx=0):
    return Candidate(text, score, temperature, sample_idx)


def texts(result):
    return [(p.chosen.text, p.rejected.text) for p in result.pairs]


def test_best_worst_pairs_the_best_with_the_worst():
    result = pair_prompt([c("b", 0.5, 0.9), c("a", 0.9), c("d", -0.6, 1.1), c("c", 0.1, 0.7, 1)])
    assert texts(result) == [("a", "d")] and result.reason is None
    assert result.pairs[0].delta == pytest.approx(1.5)


def test_all_keeps_every_passing_pair_largest_delta_first_and_caps():
    candidates = [c("a", 0.9), c("b", 0.5, 0.9), c("c", 0.3, 0.9, 1), c("d", -0.6, 1.1)]
    result = pair_prompt(candidates, "all", min_delta=0.25, min_chosen=0.2)
    assert texts(result) == [("a", "d"), ("b", "d"), ("c", "d"), ("a", "c"), ("a", "b")]
    assert all(p.delta >= 0.25 and p.chosen.score >= 0.2 for p in result.pairs)
    capped = pair_prompt(candidates, "all", max_pairs=2)
    assert texts(capped) == [("a", "d"), ("b", "d")] and capped.over_cap == 3


def test_identical_texts_are_never_paired():
    same = [c("Huset er stort.", 0.9), c("Huset er stort.", 0.9, 1.1, 3)]
    assert pair_prompt(same).reason == "identical"
    result = pair_prompt([*same, c("Huset stort.", 0.1, 0.9)], "all")
    assert texts(result) == [("Huset er stort.", "Huset stort.")]
    assert (result.pairs[0].chosen.temperature, result.pairs[0].chosen.sample_idx) == (0.7, 0), "first kept"


@pytest.mark.parametrize("strategy", ["best_worst", "all"])
@pytest.mark.parametrize(
    ("candidates", "reason"),
    [
        ([], "no_candidates"),
        ([c("a", 0.9)], "no_candidates"),
        ([c("a", 0.9), c("a", 0.9, 1.1)], "identical"),
        ([c("a", 0.19), c("b", -0.9)], "chosen_too_low"),
        ([c("a", 0.5), c("b", 0.26)], "delta_too_small"),
    ],
)
def test_reason_for_a_prompt_without_pair(candidates, reason, strategy):
    result = pair_prompt(candidates, strategy)
    assert result.pairs == [] and result.reason == reason


def test_thresholds_are_inclusive_and_ties_break_by_temperature_then_sample():
    result = pair_prompt([c("x", 0.2, 1.1), c("y", 0.2, 0.7, 1), c("z", -0.05, 0.9)], min_delta=0.25, min_chosen=0.2)
    assert texts(result) == [("y", "z")]
    assert result.pairs[0].delta >= 0.25


def test_unknown_strategy_is_refused():
    with pytest.raises(ValueError, match="strategy must be one of"):
        pair_prompt([c("a", 0.9), c("b", 0.1)], "random")


def test_max_length_ratio_pairs_texts_of_similar_length():
    long_good = Candidate("Huset er stort og gammelt og ligger ved sjøen.", 0.9, 0.7, 0)
    short_good = Candidate("Huset er stort.", 0.8, 0.7, 1)
    long_bad = Candidate("Huset stort gammelt og ligger sjøen ved og.", -0.6, 1.1, 0)
    short_bad = Candidate("Huset stort.", -0.9, 1.1, 1)
    candidates = [long_good, short_good, long_bad, short_bad]
    [free] = pair_prompt(candidates).pairs
    assert (free.chosen, free.rejected) == (long_good, short_bad) and free.length_ratio == 4.5
    [bounded] = pair_prompt(candidates, max_length_ratio=1.5).pairs
    assert (bounded.chosen, bounded.rejected) == (short_good, short_bad)  # delta 1.7 beats 1.5 of the long pair
    assert all(p.within_length_ratio(1.5) for p in pair_prompt(candidates, "all", max_length_ratio=1.5).pairs)
    assert pair_prompt([long_good, short_bad], max_length_ratio=2.0).reason == "length_mismatch"
