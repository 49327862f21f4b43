"""The scorer fingerprint: deterministic, and different whenever anything a score depends on changes."""

import subprocess
import sys
from pathlib import Path

from saga.builders.scoring import SCORER_VERSION, GrammarScorer, GrammarScorerConfig, ScoreFormula, scorer_fingerprint
from saga.builders.scoring import fingerprint as fingerprint_module

WEIGHTS = {"missing_finite_verb": 1.5, "unknown_word": 0.3}


def test_fingerprint_parts_and_determinism():
    fingerprint = scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "nb_saga_sm-0.1.0-abc")
    assert fingerprint.startswith(f"saga-scorer-{SCORER_VERSION}+saga.rules.v2+")
    assert fingerprint.endswith("+nb_saga_sm-0.1.0-abc")
    assert fingerprint == scorer_fingerprint(
        "saga.rules.v2", dict(reversed(WEIGHTS.items())), ScoreFormula(), 100_000, "nb_saga_sm-0.1.0-abc"
    )


def test_fingerprint_changes_with_weights_formula_limit_and_pipeline():
    base = scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1")
    variants = [
        scorer_fingerprint("saga.rules.v2", {**WEIGHTS, "unknown_word": 0.2}, ScoreFormula(), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(diversity_weight=0.3), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 50_000, "p1"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p2"),
        scorer_fingerprint("saga.rules.v3", WEIGHTS, ScoreFormula(), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(sequence_weight=0.25), 100_000, "p1"),
        scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1", "0" * 64),
    ]
    assert len({base, *variants}) == 8


def test_scorer_fingerprint_covers_the_pipeline_and_overrides(scorer):
    assert "+nb_saga_sm-" in scorer.fingerprint
    assert GrammarScorer().fingerprint == scorer.fingerprint
    reweighted = GrammarScorer(GrammarScorerConfig(weights={"unknown_word": 0.1}))
    assert reweighted.fingerprint != scorer.fingerprint


def test_fingerprint_changes_with_the_scoring_code(tmp_path, monkeypatch):
    """A rule edit without a `SCORER_VERSION` bump must still miss the score cache."""
    base = scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1")
    for path in fingerprint_module.scoring_code_files():
        copy = tmp_path / path.relative_to(fingerprint_module.CODE_ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
    monkeypatch.setattr(fingerprint_module, "CODE_ROOT", tmp_path)
    assert scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1") == base
    rule = tmp_path / "scoring" / "rules" / "agreement.py"
    rule.write_bytes(rule.read_bytes() + b"# edited\n")
    assert scorer_fingerprint("saga.rules.v2", WEIGHTS, ScoreFormula(), 100_000, "p1") != base


def test_scoring_code_covers_every_module_a_score_runs():
    """Scoring in a fresh interpreter loads no `saga.builders` module outside `scoring_code_files` but package
    `__init__`s and the pipeline loader (the pipeline fingerprint covers the pipeline), and none of the offline
    tools."""
    probe = (
        "import sys\n"
        "from saga.builders.scoring import GrammarScorer\n"
        "list(GrammarScorer().score_batch(['Huset er stort.', 'Det var en fin dag og vi gikk en tur.']))\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('saga.builders.')))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    root = fingerprint_module.CODE_ROOT
    loaded = {Path(line).relative_to(root).as_posix() for line in run.stdout.split()}
    covered = {p.relative_to(root).as_posix() for p in fingerprint_module.scoring_code_files()}
    assert {"scoring/rules/agreement.py", "scoring/lexicon.py", "text/splitting.py"} <= loaded & covered
    assert {n for n in loaded - covered if not n.startswith("nlp/")} == {"text/__init__.py"}
    assert not {n for n in loaded if n.startswith("scoring/training/")}  # the offline tools: never while scoring
