"""One string that identifies everything a score depends on, recorded in every dataset that carries scores.

`SCORER_VERSION` is bumped with every change to the rules' logic, the formula or the input handling, exactly as a
datasets builder bumps `VERSION`: a stored score is only comparable with scores of the same fingerprint, and the
score cache is keyed by it. The digest also covers the source of the modules that compute a score
(`scoring_code_files`), so an edit that forgot the bump still misses the cache instead of reusing older scores.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from saga.builders.scoring.acceptability import BUNDLED_CLASSIFIER
from saga.builders.scoring.capitals import BUNDLED_CAPITALS
from saga.builders.scoring.formula import ScoreFormula
from saga.builders.scoring.lexicon import lexicon_version
from saga.builders.scoring.sequence_model import BUNDLED_MODEL
from saga.builders.scoring.spelling import speller_version
from saga.versions import file_sha256, source_fingerprint

# What each version changed: CHANGELOG.md.
SCORER_VERSION = "2.0.0"

CODE_ROOT = Path(__file__).parents[1]
# The scorer's offline tools (training and evaluating its assets): never run while scoring.
OFFLINE_FOLDER = CODE_ROOT / "scoring" / "training"
# What the scorer reads outside `saga.builders.scoring`: the language detector and the sentence splitter.
TEXT_MODULES = ("text/language.py", "text/splitting.py")


def scoring_code_files() -> list[Path]:
    """The source files a score is computed by: `saga.builders.scoring` (rules included) but its offline tools
    (`builders/scoring/training/`), and `TEXT_MODULES`, in a fixed order."""
    scoring = sorted(p for p in (CODE_ROOT / "scoring").rglob("*.py") if OFFLINE_FOLDER not in p.parents)
    return scoring + [CODE_ROOT / name for name in TEXT_MODULES]


def scorer_fingerprint(
    rule_set: str,
    weights: dict[str, float],
    formula: ScoreFormula,
    max_chars: int,
    pipeline: str,
    sequence_model: str | None = None,
    acceptability_model: str | None = None,
) -> str:
    """`saga-scorer-<version>+<rule set>+<digest>+<pipeline>`.

    The digest hashes the weights, formula, length limit, models, lexicon, word frequencies, capitals table,
    language detector and scoring code.

    Args:
        rule_set (`str`): registry name of the rule set, e.g. `"saga.rules.v2"`.
        weights (`dict[str, float]`): the effective weight of every rule (defaults merged with overrides).
        formula (`ScoreFormula`): the formula parameters.
        max_chars (`int`): the input length limit (longer texts are rejected, which changes their score).
        pipeline (`str`): `saga.builders.nlp.pipeline_fingerprint` of the parsing pipeline (name, version, weights).
        sequence_model (`str`, *optional*): sha256 of the tag n-gram model file; defaults to that of the bundled
            `assets/scorer/tag_ngram_v1.json`.
        acceptability_model (`str`, *optional*): sha256 of the acceptability classifier file; defaults to that of
            the bundled `assets/scorer/acceptability_v1.safetensors`.

    Example:
        ```python
        >>> fp = scorer_fingerprint("saga.rules.v2", {"missing_finite_verb": 1.5}, ScoreFormula(), 100_000, "nb_x")
        >>> fp.startswith(f"saga-scorer-{SCORER_VERSION}+saga.rules.v2+")
        True
        ```
    """
    payload = {
        "weights": dict(sorted(weights.items())),
        "formula": asdict(formula),
        "max_chars": max_chars,
        "sequence_model": sequence_model or file_sha256(BUNDLED_MODEL),
        "acceptability_model": acceptability_model or file_sha256(BUNDLED_CLASSIFIER),
        "lexicon": lexicon_version(),
        "speller": speller_version(),
        "capitals": file_sha256(BUNDLED_CAPITALS),
        "language_detector": f"lingua-language-detector-{version('lingua-language-detector')}",
        "spacy": version("spacy"),
        "code": source_fingerprint(CODE_ROOT, scoring_code_files()),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return f"saga-scorer-{SCORER_VERSION}+{rule_set}+{digest}+{pipeline}"
