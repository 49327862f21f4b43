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

from builders.scoring.acceptability import BUNDLED_CLASSIFIER
from builders.scoring.formula import ScoreFormula
from builders.scoring.lexicon import lexicon_version
from builders.scoring.sequence_model import BUNDLED_MODEL
from saga.versions import file_sha256, source_fingerprint

# 1.1.0: the tag-sequence improbability term (`builders.scoring.sequence_model`) joined the formula.
# 1.2.0: the acceptability classifier's unacceptability term (`builders.scoring.acceptability`) joined the formula.
# 1.3.0: a soft floor below -0.5 instead of the hard clip at -1 (`ScoreFormula.soft_floor`).
# 1.4.0: the bundled acceptability classifier retrained with the token-level loss on where the corruption is
# (`AcceptabilityTrainingConfig.token_loss_weight`); same network shape, new weights.
# 1.5.0: the agreement rules read an adjective's weak or strong inflection from its form (Ordbank), not from the
# tagger, which reads it from the phrase: "et uutforskete område", "farlige inneluft", "de lang periodene", "lang
# perioder", "jeg er sosialt", "det er lure å ..." are now caught.
# 1.6.0: an indefinite singular noun's gender comes from the lexicon (Ordbank's definite forms, vetoed by the NDT
# counts of `builders.scoring.genders`), not from the tagger: "god verktøy", "en nytt operasjon" are now caught;
# "ny"/"nytt" have a gender; adjectives in a definite phrase are no longer gender-checked, but still strength-checked
# after a double-definiteness violation ("den stor verden"); "et nye hjerte"; "det var vond å oppleve".
# 1.6.1: an adjective directly before another adjective is checked against the noun when its form is common
# gender ("et stor demokratisk underskudd"): only a neuter form can be the next adjective's adverb.
# 1.7.0: a noun's definiteness after an indefinite article is read from its form too (`Lexicon.is_definite_noun`):
# "en mindretallsregjeringen" (tagged indefinite), "et intervjuet", "et ordtaket" (tagged as participles) are caught.
# 1.7.1: a singular noun tagged definite whose form is not a definite noun form takes the lexicon's gender
# ("petroleumsaktivitet"), and a noun the lexicon lists in both genders is not checked ("et felt", "mathall" by
# "hall"): only nouns the lexicon lacks fall back to the tagger's gender.
# 1.8.0: a singular noun tagged definite that is a noun lemma counts as indefinite (`Lexicon.is_indefinite_noun`:
# "en ørken", "et dekret"); fixed names keep single definiteness ("den franske revolusjon", "den moderne verden");
# after a determiner, an indeclinable ending is never strong by its tag ("det partioverskridende flertallet").
# 1.8.1: an adjective form NDT mostly uses as an adverbial (`Lexicon.adverbial_adjectives`, counted into the gender
# table) is not strength-checked before a definite noun when nothing determines the phrase ("særlig guttene").
# 1.8.2: before a definite noun, such an adverbial is not the noun's adjective for the number check either ("Det
# er særlig guttene som ...").
# 1.8.3: the gender check reads a noun as indefinite exactly when the definiteness check does (`_noun_definiteness`)
# instead of by a test of its own: "planet" tagged as the definite of "plan" keeps its neuter tag ("Begrepet planet
# er gammelt"); the same hits on 9,409 correct sentences and the same held-out tables.
# 1.8.4: the noun-phrase checks share one test of what determines an adjective (`_determined_before`), so a
# possessive the parser reads as a pronoun counts for the indeclinable-ending exception too ("for sitt fremragende
# bidrag"); the same hits on correct text and held-out tables, one demo sentence changes.
# 1.9.0: V2 reads a focus particle with the phrase it opens ("Også staten slutter", "Heller ikke teorien har") and a
# PP between a nominal subject and the finite verb as the subject's ("Risikoen for flom er"); the lexicon accepts
# abbreviations without their period ("jf", "nr"), first parts Ordbank has only in compounds (`Lexicon.bound_parts`:
# "hovedmeldingen") and a consonant written once for three ("nettjenester").
# 1.9.1: the rules read no lemmas, so the scorer skips the lemmatizer (`scorer.unread_components`): modals by form,
# without "tørre" and "gidde", which take "å" or not; a genitive noun's gender and definiteness are read from one
# form, without its "-s" unless only the form with it is a noun ("rikskrets").
SCORER_VERSION = "1.9.1"

CODE_ROOT = Path(__file__).parents[1]
# Modules of `builders.scoring` that build, train or evaluate the scorer's assets but never run while scoring.
OFFLINE_MODULES = frozenset(
    {"acceptability_data.py", "acceptability_training.py", "evaluation.py", "inflection_pairs.py", "minimal_pairs.py"}
)
# What the scorer reads outside `builders.scoring`: the language detector and the sentence splitter.
TEXT_MODULES = ("text/language.py", "text/splitting.py")


def scoring_code_files() -> list[Path]:
    """The source files a score is computed by: `builders.scoring` (rules included) but its offline tools, and
    `TEXT_MODULES`, in a fixed order."""
    scoring = sorted(p for p in (CODE_ROOT / "scoring").rglob("*.py") if p.name not in OFFLINE_MODULES)
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

    The digest hashes the weights, formula, length limit, models, lexicon, language detector and scoring code.

    Args:
        rule_set (`str`): registry name of the rule set, e.g. `"saga.rules.v1"`.
        weights (`dict[str, float]`): the effective weight of every rule (defaults merged with overrides).
        formula (`ScoreFormula`): the formula parameters.
        max_chars (`int`): the input length limit (longer texts are rejected, which changes their score).
        pipeline (`str`): `builders.nlp.pipeline_fingerprint` of the parsing pipeline (name, version, weights).
        sequence_model (`str`, *optional*): sha256 of the tag n-gram model file; defaults to that of the bundled
            `assets/scorer/tag_ngram_v1.json`.
        acceptability_model (`str`, *optional*): sha256 of the acceptability classifier file; defaults to that of
            the bundled `assets/scorer/acceptability_v1.safetensors`.

    Example:
        ```python
        >>> fp = scorer_fingerprint("saga.rules.v1", {"missing_finite_verb": 1.5}, ScoreFormula(), 100_000, "nb_x")
        >>> fp.startswith(f"saga-scorer-{SCORER_VERSION}+saga.rules.v1+")
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
        "language_detector": f"lingua-language-detector-{version('lingua-language-detector')}",
        "spacy": version("spacy"),
        "code": source_fingerprint(CODE_ROOT, scoring_code_files()),
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    return f"saga-scorer-{SCORER_VERSION}+{rule_set}+{digest}+{pipeline}"
