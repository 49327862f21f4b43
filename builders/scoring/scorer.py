"""`GrammarScorer`: text → grammatical quality in [-1, 1] from a spaCy parse, in batches, with a cache.

The score formula is documented in `saga.builders.scoring.formula`, the rules in `saga.builders.scoring.rules`. Input
that cannot be parsed gets a defined result instead of an exception deep in spaCy: a non-string, an empty or
whitespace-only string, or a text longer than `max_chars` scores -1 with `reason` set (`ScoreResult.rejected`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch, registry

from saga.builders import nlp as nlp_loader
from saga.builders.scoring import segmentation
from saga.builders.scoring.acceptability import BUNDLED_CLASSIFIER
from saga.builders.scoring.cache import ScoreCache, text_key
from saga.builders.scoring.component import COMPONENT_NAME, DEFAULT_RULES
from saga.builders.scoring.errors import ScorerConfigError
from saga.builders.scoring.fingerprint import scorer_fingerprint
from saga.builders.scoring.formula import ScoreFormula
from saga.builders.scoring.pool import ScoreActor, ScorerPool
from saga.builders.scoring.results import ScoreResult
from saga.builders.scoring.rules import RuleSet
from saga.builders.scoring.sequence_model import BUNDLED_MODEL
from saga.versions import file_sha256

if TYPE_CHECKING:  # where to score decides how, not what: the executor is no part of the scoring code
    from saga.builders.executor import RayExecutor

logger = logging.getLogger(__name__)

# What no rule, n-gram term or classifier reads: lemmas, entities, text categories, span groups. A component that
# sets nothing else (a lemmatizer, an entity recogniser) is disabled in the scorer's copy of the pipeline.
UNREAD_ATTRIBUTES = frozenset(
    {"token.lemma", "doc.ents", "token.ent_iob", "token.ent_type", "token.ent_kb_id", "doc.cats", "doc.spans"}
)


def unread_components(nlp: Language) -> list[str]:
    """The enabled components whose declared output (`assigns`) the scorer never reads.

    Why: on `nb_saga_sm` the lemmatizer is about 5% of the parse, and `nb_core_news_lg` also runs an entity
    recogniser; a component that declares nothing (a custom one, `attribute_ruler`) may set anything and stays on.

    Args:
        nlp (`Language`): the scorer's own copy of the pipeline.
    """
    return [
        name
        for name in nlp.pipe_names
        if (assigns := set(nlp.get_pipe_meta(name).assigns)) and assigns <= UNREAD_ATTRIBUTES
    ]


def plain(item: tuple[object, object]) -> tuple[object, str | None]:
    """A (text, prompt) pair as the scorer handles it: a prompt that is not a string counts as none (checked once,
    where pairs enter `score_batch`)."""
    text, prompt = item
    return text, prompt if isinstance(prompt, str) else None


@dataclass
class GrammarScorerConfig:
    """What a score depends on, besides the text.

    Args:
        pipeline (`str`, *optional*, defaults to `"nb_saga_sm"`): spaCy pipeline (bundled name, package, folder).
        rules (`str`, *optional*, defaults to `"saga.rules.v2"`): registry name of the rule set.
        weights (`dict[str, float]`, *optional*): per-rule weight overrides (rule id → weight ≥ 0); rules not
            named keep the rule set's default weight.
        formula (`ScoreFormula`, *optional*): the formula parameters (α = 0.2, MATTR window 50, γ = 2.0, n = 3,
            λ = 0.5, k = 6).
        sequence_model (`str`, *optional*): tag n-gram model file for the improbability term (written by
            `saga scorer train-lm`); defaults to the bundled `assets/scorer/tag_ngram_v1.json`.
        acceptability_model (`str`, *optional*): acceptability classifier file for the unacceptability term
            (written by `saga scorer train-acceptability`); defaults to the bundled
            `assets/scorer/acceptability_v1.safetensors`.
        max_chars (`int`, *optional*, defaults to 100000): longer texts are rejected (score -1, reason
            `too_long`) rather than parsed; a reward model sees short completions, and spaCy's memory grows with
            document length.

    Example:
        ```python
        >>> config = GrammarScorerConfig(weights={"unknown_word": 0.2})
        >>> config.rule_set().weights["missing_finite_verb"]
        1.5
        ```
    """

    pipeline: str = "nb_saga_sm"
    rules: str = DEFAULT_RULES
    weights: dict[str, float] = field(default_factory=dict)
    formula: ScoreFormula = field(default_factory=ScoreFormula)
    sequence_model: str | None = None
    acceptability_model: str | None = None
    max_chars: int = 100_000

    def __post_init__(self):
        if self.max_chars < 1:
            raise ScorerConfigError(f"max_chars must be >= 1, got {self.max_chars}")
        if self.sequence_model is not None and not Path(self.sequence_model).is_file():
            raise ScorerConfigError(
                f"sequence model {self.sequence_model}: no such file", hint="build one with `saga scorer train-lm`"
            )
        if self.acceptability_model is not None and not Path(self.acceptability_model).is_file():
            raise ScorerConfigError(
                f"acceptability model {self.acceptability_model}: no such file",
                hint="build one with `saga scorer train-acceptability`",
            )
        rule_set = self.rule_set()
        unknown = sorted(set(self.weights) - set(rule_set.rules))
        if unknown:
            raise ScorerConfigError(f"weights name rules that {self.rules} does not have: {unknown}")
        negative = {rule: w for rule, w in self.weights.items() if w < 0}
        if negative:
            raise ScorerConfigError(f"rule weights must be >= 0, got {negative}")

    def rule_set(self) -> RuleSet:
        """The `RuleSet` registered under `rules`.

        Raises:
            `ScorerConfigError`: when no rule set has that registry name.
        """
        if not registry.has("misc", self.rules):
            raise ScorerConfigError(f"no rule set registered as {self.rules!r}", hint=f"use {DEFAULT_RULES}")
        return registry.misc.get(self.rules)()

    def component_config(self) -> dict:
        """The `saga_grammar_scorer` component config: rule set by registry name, never the rules themselves."""
        return {
            "rules": {"@misc": self.rules},
            "weights": dict(self.weights),
            "sequence_model": self.sequence_model,
            "acceptability_model": self.acceptability_model,
            **asdict(self.formula),
        }


class GrammarScorer:
    """Score texts for Bokmål grammatical quality.

    The scorer loads its own copy of the pipeline (the cached one from `saga.builders.nlp.load` is shared and must not
    get the scoring components), puts `saga_sentence_starts` before the parser (`saga.builders.scoring.segmentation`)
    and `saga_grammar_scorer` last, disables the components whose output it never reads (`unread_components`: the
    lemmatizer), and computes its fingerprint once, from every component, disabled or not.

    Args:
        config (`GrammarScorerConfig`, *optional*): defaults to `GrammarScorerConfig()`.
        cache (`ScoreCache`, *optional*): persistent cache; known texts skip spaCy.

    Example:
        ```python
        >>> scorer = GrammarScorer()
        >>> scorer.score("Huset er stort.").score > 0.9
        True
        >>> [r.parse_success for r in scorer.score_batch(["Huset er stort.", "Huset stort."])]
        [True, False]
        ```
    """

    def __init__(self, config: GrammarScorerConfig | None = None, cache: ScoreCache | None = None):
        self.config = config or GrammarScorerConfig()
        self.cache = cache
        self._pool: ScorerPool | None = None
        self.nlp = nlp_loader.load.__wrapped__(self.config.pipeline)
        pipeline_fingerprint = nlp_loader.pipeline_fingerprint(self.nlp)
        for name in unread_components(self.nlp):
            self.nlp.disable_pipe(name)
        segmentation.add_sentence_starts(self.nlp)
        component = self.nlp.add_pipe(COMPONENT_NAME, config=self.config.component_config())
        self.nlp.max_length = max(self.nlp.max_length, self.config.max_chars + 1)
        trained_on = component.acceptability.training.get("pipeline")
        if self.config.formula.acceptability_weight and trained_on and trained_on != pipeline_fingerprint:
            # The classifier reads the parser's tags and relations; another pipeline's parses are not what it learned.
            logger.warning(
                "the acceptability classifier was trained on parses of %s, but this scorer parses with %s: its "
                "unacceptability term is less reliable; retrain it with "
                "`saga scorer train-acceptability --pipeline %s`",
                trained_on,
                pipeline_fingerprint,
                self.config.pipeline,
            )
        self.fingerprint = scorer_fingerprint(
            self.config.rules,
            component.weights,
            self.config.formula,
            self.config.max_chars,
            pipeline_fingerprint,
            file_sha256(self.config.sequence_model or BUNDLED_MODEL),
            file_sha256(self.config.acceptability_model or BUNDLED_CLASSIFIER),
        )

    def check_input(self, text: object) -> str | None:
        """The reject reason for `text`, or `None` when it can be parsed.

        Args:
            text (`object`): anything a caller passed as a text.
        """
        if not isinstance(text, str):
            return "not_a_string"
        if not text.strip():
            return "empty"
        if len(text) > self.config.max_chars:
            return "too_long"
        return None

    def score(self, text: str, prompt: str | None = None) -> ScoreResult:
        """Score one text (a sentence or a multi-sentence completion), against the prompt it answers if given.

        Args:
            text (`str`): the text; other types are rejected with score -1 (see `check_input`).
            prompt (`str`, *optional*): the prompt the text answers; copying or restating it then costs score
                (`saga.builders.scoring.rules.completion`).
        """
        return next(self.score_batch([text], prompts=[prompt]))

    def score_batch(
        self,
        texts: Iterable[object],
        batch_size: int = 64,
        n_process: int = 1,
        chunk_size: int = 4096,
        prompts: Iterable[str | None] | None = None,
        executor: RayExecutor | None = None,
    ) -> Iterator[ScoreResult]:
        """Score texts with `nlp.pipe`, yielding one result per input, in input order.

        Input is read in chunks of `chunk_size` texts: each chunk is looked up in the cache in one query, its
        misses are parsed in batches of `batch_size`, and results are written back to the cache every
        `batch_size` texts, so an interrupted run loses at most one batch.

        With `n_process > 1` the batches go to a `ScorerPool` of that many worker processes, started on the first
        such call and kept for later ones (until `close()`); the results are the same as in one process.

        Args:
            texts (`Iterable[object]`): the texts; may be a generator of any length.
            batch_size (`int`, *optional*, defaults to 64): `nlp.pipe` batch size and cache commit interval.
            n_process (`int`, *optional*, defaults to 1): worker processes; 1 parses in this process.
            chunk_size (`int`, *optional*, defaults to 4096): texts per cache lookup.
            prompts (`Iterable[str | None]`, *optional*): the prompt each text answers (`None` for none), in the
                same order; without it no text is scored against a prompt.
            executor (`RayExecutor`, *optional*): score on a Ray cluster instead (`n_process` and `chunk_size`
                are then unused): all texts are looked up in the cache first, the misses go to the cluster in
                shards of `executor.shard_size`, and each shard is cached as it comes back.
        """
        if batch_size < 1 or n_process < 1 or chunk_size < 1:
            raise ValueError(
                f"batch_size, n_process and chunk_size must be >= 1, got {batch_size}, {n_process}, {chunk_size}"
            )
        pairs = map(plain, zip(texts, prompts, strict=True)) if prompts is not None else ((t, None) for t in texts)
        if executor is not None:
            yield from self._score_on_cluster(list(pairs), batch_size, executor)
            return
        for chunk in minibatch(pairs, chunk_size):
            yield from self._score_chunk(chunk, batch_size, n_process)

    def _look_up(
        self, items: list[tuple[object, str | None]]
    ) -> tuple[list[ScoreResult | None], dict[int, str], list[int]]:
        """Rejects and cached results in place (`None` elsewhere), the cache key of each parsable text by index,
        and the indexes left to parse."""
        results: list[ScoreResult | None] = [None] * len(items)
        keys: dict[int, str] = {}
        for index, (text, prompt) in enumerate(items):
            reason = self.check_input(text)
            if reason is None:
                keys[index] = text_key(text, prompt)
            else:
                results[index] = ScoreResult.rejected(reason)
        cached = self.cache.get_many(self.fingerprint, keys.values()) if self.cache is not None else {}
        misses = [index for index, key in keys.items() if key not in cached]
        for index, key in keys.items():
            if key in cached:
                results[index] = cached[key]
        logger.info("%d texts: %d cached, %d to parse", len(items), len(keys) - len(misses), len(misses))
        return results, keys, misses

    def _score_on_cluster(
        self, items: list[tuple[object, str | None]], batch_size: int, executor: RayExecutor
    ) -> Iterator[ScoreResult]:
        """Score on Ray: shards of misses go out, each is cached on arrival, results leave in input order."""
        results, keys, misses = self._look_up(items)
        size = executor.shard_size
        shards = [
            {"index": n, "items": json.dumps([items[i] for i in misses[start : start + size]])}
            for n, start in enumerate(range(0, len(misses), size))
        ]
        ready = 0
        for row in executor.map_shards(ScoreActor, (self.config, batch_size), shards) if shards else ():
            start = int(row["index"]) * size
            scored = []
            for index, data in zip(misses[start : start + size], json.loads(row["results"]), strict=True):
                results[index] = ScoreResult.from_dict(data)
                scored.append((keys[index], results[index]))
            if self.cache is not None:
                self.cache.put_many(self.fingerprint, scored)
            while ready < len(results) and results[ready] is not None:
                yield results[ready]
                ready += 1
        yield from results[ready:]

    def _score_chunk(
        self, items: list[tuple[object, str | None]], batch_size: int, n_process: int
    ) -> list[ScoreResult]:
        results, keys, misses = self._look_up(items)
        if not misses:
            return results
        parsed = self._parse([items[i] for i in misses], batch_size, n_process)
        pending: list[tuple[str, ScoreResult]] = []
        for index, data in zip(misses, parsed, strict=True):
            results[index] = ScoreResult.from_dict(data)
            pending.append((keys[index], results[index]))
            if self.cache is not None and len(pending) >= batch_size:
                self.cache.put_many(self.fingerprint, pending)
                pending = []
        if self.cache is not None and pending:
            self.cache.put_many(self.fingerprint, pending)
        return results

    def _parse(self, items: list[tuple[str, str | None]], batch_size: int, n_process: int) -> Iterator[dict]:
        """The `ScoreResult.to_dict()` of each (text, prompt), in order: from this process's pipeline or the pool."""
        if n_process == 1:
            return (doc._.saga_result for doc in self.nlp.pipe(self.docs(items), batch_size=batch_size))
        if self._pool is None or self._pool.closed or self._pool.n_process != n_process:
            self.close()
            self._pool = ScorerPool(self.config, n_process)
        return self._pool.score(items, batch_size)

    def docs(self, items: Iterable[tuple[str, str | None]]) -> Iterator[Doc]:
        """Unparsed docs of (text, prompt) pairs, each carrying its prompt (`doc._.saga_prompt`) for the rules.

        Args:
            items (`Iterable[tuple[str, str | None]]`): texts that pass `check_input`, with their prompts.
        """
        for text, prompt in items:
            if not isinstance(text, str):
                raise TypeError(f"only strings are parsed, got {type(text).__name__}; check_input rejects the rest")
            doc = self.nlp.make_doc(text)
            doc._.saga_prompt = prompt if isinstance(prompt, str) else None
            yield doc

    def close(self) -> None:
        """Stop the worker processes of `n_process > 1` calls, if any; the scorer stays usable."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> GrammarScorer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
