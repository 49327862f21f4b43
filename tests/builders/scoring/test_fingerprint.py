"""The scorer fingerprint: deterministic, and different whenever anything a score depends on changes."""

from builders.scoring import SCORER_VERSION, GrammarScorer, GrammarScorerConfig, ScoreFormula, scorer_fingerprint

WEIGHTS = {"missing_finite_verb": 1.5, "unknown_word": 0.3}


def test_fingerprint_parts_and_determinism():
    fingerprint = scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(), 100_000, "nb_saga_sm-0.1.0-abc")
    assert fingerprint.startswith(f"saga-scorer-{SCORER_VERSION}+saga.rules.v1+")
    assert fingerprint.endswith("+nb_saga_sm-0.1.0-abc")
    assert fingerprint == scorer_fingerprint(
        "saga.rules.v1", dict(reversed(WEIGHTS.items())), ScoreFormula(), 100_000, "nb_saga_sm-0.1.0-abc"
    )


def test_fingerprint_changes_with_weights_formula_limit_and_pipeline():
    base = scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(), 100_000, "p1")
    variants = [
        scorer_fingerprint("saga.rules.v1", {**WEIGHTS, "unknown_word": 0.2}, ScoreFormula(), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(diversity_weight=0.3), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(), 50_000, "p1"),
        scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(), 100_000, "p2"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(sequence_weight=0.25), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v1", WEIGHTS, ScoreFormula(), 100_000, "p1", "0" * 64),
    ]
    assert len({base, *variants}) == 8


def test_scorer_fingerprint_covers_the_pipeline_and_overrides(scorer):
    assert "+nb_saga_sm-" in scorer.fingerprint
    assert GrammarScorer().fingerprint == scorer.fingerprint
    reweighted = GrammarScorer(GrammarScorerConfig(weights={"unknown_word": 0.1}))
    assert reweighted.fingerprint != scorer.fingerprint
