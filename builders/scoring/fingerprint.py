"""One string that identifies everything a score depends on, recorded in every dataset that carries scores.

`SCORER_VERSION` is bumped with every change to the rules' logic, the formula or the input handling, exactly as a
datasets builder bumps `VERSION`: a stored score is only comparable with scores of the same fingerprint, and the
score cache is keyed by it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib.metadata import version

from builders.scoring.formula import ScoreFormula
from builders.scoring.lexicon import lexicon_version

SCORER_VERSION = "1.0.0"


def scorer_fingerprint(
    rule_set: str, weights: dict[str, float], formula: ScoreFormula, max_chars: int, pipeline: str
) -> str:
    """`saga-scorer-<version>+<rule set>+<hash of weights, formula, limits, lexicon and detector>+<pipeline>`.

    Args:
        rule_set (`str`): registry name of the rule set, e.g. `"saga.rules.v1"`.
        weights (`dict[str, float]`): the effective weight of every rule (defaults merged with overrides).
        formula (`ScoreFormula`): the formula parameters.
        max_chars (`int`): the input length limit (longer texts are rejected, which changes their score).
        pipeline (`str`): `builders.nlp.pipeline_fingerprint` of the parsing pipeline (name, version, weights).

    Example:
        ```python
        >>> fp = scorer_fingerprint("saga.rules.v1", {"missing_finite_verb": 1.5}, ScoreFormula(), 100_000, "nb_x")
        >>> fp.startswith("saga-scorer-1.0.0+saga.rules.v1+")
        True
        ```
    """
    payload = {
        "weights": dict(sorted(weights.items())),
        "formula": asdict(formula),
        "max_chars": max_chars,
        "lexicon": lexicon_version(),
        "language_detector": f"lingua-language-detector-{version('lingua-language-detector')}",
        "spacy": version("spacy"),
        "sentence_splitter": "builders.text.splitting.split_sentences",
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return f"saga-scorer-{SCORER_VERSION}+{rule_set}+{digest}+{pipeline}"
