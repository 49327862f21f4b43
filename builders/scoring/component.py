"""The `saga_grammar_scorer` pipeline component: runs a rule set on each parsed `Doc` and stores the score.

In `nlp.pipe` it scores a batch at a time, so the acceptability classifier reads the sentences of a whole batch in
one forward pass. The result is stored as a plain dict (`doc._.saga_result`, the `ScoreResult.to_dict` form): that
is what the scorer's worker processes send back (`saga.builders.scoring.pool`), and the only kind of user data that
survives spaCy's own `n_process` transfer of docs as bytes.

Example:
    ```python
    >>> from saga.builders import nlp
    >>> pipeline = nlp.load.__wrapped__("nb_saga_sm")  # a private copy: add_pipe changes the pipeline
    >>> _ = pipeline.add_pipe("saga_grammar_scorer")
    >>> doc = pipeline("Huset er stort.")
    >>> doc._.saga_score > 0.9, doc._.saga_result["parse_success"]
    (True, True)
    ```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from saga.builders.scoring.acceptability import AcceptabilityClassifier, load_classifier
from saga.builders.scoring.errors import ScorerConfigError
from saga.builders.scoring.formula import ScoreFormula
from saga.builders.scoring.results import ScoreResult
from saga.builders.scoring.rules import PARSE_SUCCESS_RULES, RuleSet
from saga.builders.scoring.rules.annotation import Sentence, sentences, tokens
from saga.builders.scoring.sequence_model import TagNgramModel, load_model, sentence_symbols
from saga.builders.scoring.violations import Violation
from saga.threads import torch_threads

COMPONENT_NAME = "saga_grammar_scorer"
DEFAULT_RULES = "saga.rules.v2"

if not Doc.has_extension("saga_result"):
    Doc.set_extension("saga_result", default=None)
if not Doc.has_extension("saga_score"):
    Doc.set_extension("saga_score", getter=lambda doc: doc._.saga_result["score"] if doc._.saga_result else None)


class GrammarScorerComponent:
    """Apply every rule of a rule set to a `Doc` and combine the violations with the score formula.

    Args:
        rules (`RuleSet`): the rules and their default weights (resolved from a registry name).
        weights (`dict[str, float]`): per-rule weight overrides; keys must be rule ids of `rules`.
        formula (`ScoreFormula`): the parameters mapping violations to a score.
        sequence_model (`TagNgramModel`): the tag n-gram model behind the improbability term.
        acceptability (`AcceptabilityClassifier`): the classifier behind the unacceptability term (not run when
            the formula's `acceptability_weight` is 0).
    """

    def __init__(
        self,
        rules: RuleSet,
        weights: dict[str, float],
        formula: ScoreFormula,
        sequence_model: TagNgramModel,
        acceptability: AcceptabilityClassifier,
    ):
        unknown = sorted(set(weights) - set(rules.rules))
        if unknown:
            raise ScorerConfigError(
                f"weights for unknown rules {unknown} in rule set {rules.name}",
                hint=f"known rules: {', '.join(rules.rules)}",
            )
        negative = {rule: w for rule, w in weights.items() if w < 0}
        if negative:
            raise ScorerConfigError(f"rule weights must be >= 0, got {negative}")
        self.rules = rules
        self.weights = {**rules.weights, **weights}
        self.formula = formula
        self.sequence_model = sequence_model
        self.acceptability = acceptability

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Score docs a batch at a time (spaCy's `nlp.pipe` calls this), setting `doc._.saga_result`.

        The rules run doc by doc first, while each doc's `annotation.tables` (a cache of a few docs) are fresh;
        the classifier then reads the sentences of the whole batch in one forward pass. Reading every doc's
        sentences before any rule ran built each doc's tables twice.

        Args:
            docs (`Iterable[Doc]`): parsed docs.
            batch_size (`int`, *optional*, defaults to 64): docs per classifier forward pass.
        """
        for batch in minibatch(docs, batch_size):
            analyses = [self.analyse(doc) for doc in batch]
            probabilities = self.sentence_acceptability(batch, [a.worded if a else [] for a in analyses])
            for doc, analysis, sentence_probabilities in zip(batch, analyses, probabilities, strict=True):
                doc._.saga_result = self.result(analysis, sentence_probabilities).to_dict()
                yield doc

    def sentence_acceptability(self, docs: list[Doc], worded: list[list[Sentence]] | None = None) -> list[list[float]]:
        """P(corrupted) of each worded sentence of each doc, from one classifier call; zeros when its weight is 0.

        Args:
            docs (`list[Doc]`): parsed docs.
            worded (`list[list[Sentence]]`, *optional*): the worded sentences of each doc, when already known.
        """
        per_doc = worded if worded is not None else [_worded(doc) for doc in docs]
        if not self.formula.acceptability_weight:
            return [[0.0] * len(sents) for sents in per_doc]
        rows = [row for doc, sents in zip(docs, per_doc, strict=True) for row in self.classifier_rows(doc, sents)]
        # One thread: between forward passes torch's idle OpenMP workers keep spinning on the core that spaCy parses
        # the next batch on; on 2 cores one thread scored 1,000 sentences about 10% faster in wall time, with the
        # same probabilities to the last bit, and it is the thread count of the scorer's worker processes (`pool`).
        with torch_threads(1):
            flat = self.acceptability.predict_rows(rows)
        result, start = [], 0
        for sents in per_doc:
            result.append(flat[start : start + len(sents)])
            start += len(sents)
        return result

    def classifier_rows(self, doc: Doc, worded: list[Sentence] | None = None) -> list[np.ndarray]:
        """The classifier's input ids for each worded sentence of `doc`, shape `(tokens, fields)` (`TokenIds.rows`).

        Args:
            doc (`Doc`): a parsed doc.
            worded (`list[Sentence]`, *optional*): its worded sentences, when already known.
        """
        return self.acceptability.token_ids.rows(doc, _bounds(worded if worded is not None else _worded(doc)))

    def analyse(self, doc: Doc) -> DocAnalysis | None:
        """Everything the score of `doc` needs except the classifier's probabilities; `None` for a doc without words.

        Args:
            doc (`Doc`): a `Doc` with POS, MORPH and DEP annotation.
        """
        words = [t.lower_ for t in tokens(doc) if not t.is_punct and not t.is_space]
        if not words:
            return None
        violations = [
            replace(violation, weight=self.weights[rule_id])
            for rule_id, rule in self.rules.rules.items()
            for violation in rule(doc)
        ]
        worded = _worded(doc)
        improbability = sum(
            self.sequence_model.improbability(sentence_symbols(sent), self.formula.sequence_span) for sent in worded
        ) / max(1, len(worded))
        return DocAnalysis(words, violations, worded, improbability)

    def result(self, analysis: DocAnalysis | None, acceptability: list[float]) -> ScoreResult:
        """Combine a doc's analysis and the P(corrupted) of its worded sentences with the score formula.

        Args:
            analysis (`DocAnalysis`, *optional*): from `analyse`; `None` (a doc without words) is rejected.
            acceptability (`list[float]`): P(corrupted) of each worded sentence.
        """
        if analysis is None:
            return ScoreResult.rejected("no_words")
        violations, worded = analysis.violations, analysis.worded
        unacceptability = self.acceptability.unacceptability(acceptability)
        terms = self.formula.combine(
            sum(v.weight for v in violations), len(worded), analysis.words, analysis.improbability, unacceptability
        )
        return ScoreResult(
            score=terms.score,
            parse_success=not any(v.rule_id in PARSE_SUCCESS_RULES for v in violations),
            violations=violations,
            grammar=terms.grammar,
            mattr=terms.mattr,
            repetition=terms.repetition,
            improbability=terms.improbability,
            unacceptability=terms.unacceptability,
            n_sentences=len(worded),
            n_words=len(analysis.words),
        )


@dataclass(frozen=True)
class DocAnalysis:
    """What the rules and the n-gram model found in one doc, before the classifier's term is added.

    Args:
        words (`list[str]`): its lower-cased words (no punctuation or whitespace).
        violations (`list[Violation]`): the rules' violations, weighted.
        worded (`list[Sentence]`): its sentences with at least one word.
        improbability (`float`): the formula's I term.
    """

    words: list[str]
    violations: list[Violation]
    worded: list[Sentence]
    improbability: float


def _bounds(sents: list[Sentence]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sents]


def _worded(doc: Doc) -> list[Sentence]:
    """The sentences of `doc` with at least one word (punctuation and whitespace are not words)."""
    return [sent for sent in sentences(doc) if any(not t.is_punct and not t.is_space for t in sent)]


DEFAULT_CONFIG: dict[str, Any] = {
    "rules": {"@misc": DEFAULT_RULES},
    "weights": {},
    "sequence_model": None,
    "acceptability_model": None,
    **asdict(ScoreFormula()),
}


@Language.factory(COMPONENT_NAME, default_config=DEFAULT_CONFIG)
def make_grammar_scorer(
    nlp: Language,
    name: str,
    rules: RuleSet,
    weights: dict[str, float],
    diversity_weight: float,
    mattr_window: int,
    mattr_full: float,
    mattr_zero: float,
    repetition_weight: float,
    repetition_ngram: int,
    sequence_weight: float,
    sequence_span: float,
    acceptability_weight: float,
    soft_floor: float,
    sequence_model: str | None,
    acceptability_model: str | None,
) -> GrammarScorerComponent:
    """spaCy factory of `GrammarScorerComponent`; the rule set is referenced by registry name in the config.

    Args:
        nlp (`Language`): the pipeline (unused; spaCy passes it to every factory).
        name (`str`): the component name in the pipeline.
        rules (`RuleSet`): resolved from `{"@misc": "saga.rules.v2"}`.
        weights (`dict[str, float]`): per-rule weight overrides.
        diversity_weight (`float`): see `ScoreFormula`.
        mattr_window (`int`): see `ScoreFormula`.
        mattr_full (`float`): see `ScoreFormula`.
        mattr_zero (`float`): see `ScoreFormula`.
        repetition_weight (`float`): see `ScoreFormula`.
        repetition_ngram (`int`): see `ScoreFormula`.
        sequence_weight (`float`): see `ScoreFormula`.
        sequence_span (`float`): see `ScoreFormula`.
        acceptability_weight (`float`): see `ScoreFormula`.
        soft_floor (`float`): see `ScoreFormula`.
        sequence_model (`str`, *optional*): a tag n-gram model file (`saga scorer train-lm`); `None` for the bundled
            `assets/scorer/tag_ngram_v1.json`.
        acceptability_model (`str`, *optional*): an acceptability classifier file (`saga scorer
            train-acceptability`); `None` for the bundled `assets/scorer/acceptability_v1.safetensors`.
    """
    try:
        formula = ScoreFormula(
            diversity_weight,
            mattr_window,
            mattr_full,
            mattr_zero,
            repetition_weight,
            repetition_ngram,
            sequence_weight,
            sequence_span,
            acceptability_weight,
            soft_floor,
        )
    except ValueError as err:
        raise ScorerConfigError(f"invalid {name} config: {err}") from err
    return GrammarScorerComponent(
        rules, dict(weights), formula, load_model(sequence_model), load_classifier(acceptability_model)
    )
