"""`scored`: every sentence of a `sentences` dataset with its grammar score, parse success and violations.

Scores come from `saga.builders.scoring.GrammarScorer` through its persistent cache, so a build killed during scoring
resumes without re-parsing what was already scored (at most one batch is lost). The scorer fingerprint is a
column and part of the build fingerprint: a new rule, weight or pipeline gives a new dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import datasets
from datasets.builder import Key
from tqdm.auto import tqdm

from saga.builders.dataset_inputs import read_split_files
from saga.builders.executor import RayExecutor
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.scoring.cache import ScoreCache
from saga.builders.scoring.scorer import GrammarScorer, GrammarScorerConfig

PROGRESS_BATCHES = 4
VIOLATION = {
    "rule": datasets.Value("string"),
    "start": datasets.Value("int32"),
    "end": datasets.Value("int32"),
    "message": datasets.Value("string"),
    "weight": datasets.Value("float32"),
}


def progress_chunk(batch_size: int, n_process: int) -> int:
    """Texts per cache lookup while a builder scores: a few batches per worker, so results (and the progress bar)
    arrive every few batches instead of after thousands of texts, which made the bar's first ETA hours long."""
    return batch_size * n_process * PROGRESS_BATCHES


@dataclass
class ScoredConfig(datasets.BuilderConfig):
    """Configuration of the `scored` builder.

    Args:
        input_dir (`str`, defaults to `"build/datasets/sentences"`): the `sentences` dataset folder.
        pipeline (`str`, defaults to `"nb_saga_sm"`): the spaCy pipeline the scorer parses with.
        rules (`str`, defaults to `"saga.rules.v2"`): the registered rule set.
        batch_size (`int`, defaults to 64): `nlp.pipe` batch size, and how often the score cache is committed.
        n_process (`int`, defaults to 1): `nlp.pipe` worker processes.
        score_cache (`str`, *optional*): the SQLite score cache (default: `.cache/scores.sqlite` beside the input).
        executor (`dict`, *optional*): where to score: `None` or `{"type": "local"}` in this process (with
            `n_process` workers), `{"type": "ray", "address": ..., "num_workers": N}` on a Ray cluster
            (`saga.builders.executor.RayExecutor`).

    `batch_size`, `n_process`, `score_cache` and `executor` change how, not what, is computed: they are left out
    of the build fingerprint (`metadata={"fingerprint": False}`).
    """

    input_dir: str = field(default="build/datasets/sentences", metadata={"fingerprint": False})
    pipeline: str = "nb_saga_sm"
    rules: str = "saga.rules.v2"
    batch_size: int = field(default=64, metadata={"fingerprint": False})
    n_process: int = field(default=1, metadata={"fingerprint": False})
    score_cache: str | None = field(default=None, metadata={"fingerprint": False})
    executor: dict | None = field(default=None, metadata={"fingerprint": False})

    def __post_init__(self):
        super().__post_init__()
        if self.batch_size < 1 or self.n_process < 1:
            raise ValueError(f"batch_size and n_process must be >= 1, got {self.batch_size} and {self.n_process}")
        self.cluster()  # raises ExecutorError naming a bad key or value

    def cluster(self) -> RayExecutor | None:
        """The Ray executor `executor` asks for, `None` for this process. A method, not a field set once:
        `datasets` builds a builder's config by copying the default and setting the given fields on it."""
        return RayExecutor.from_config(self.executor)

    def score(self, scorer: GrammarScorer, texts: list, prompts: list | None = None):
        """`scorer.score_batch` with this config's batch size and executor: results in input order."""
        return scorer.score_batch(
            texts,
            batch_size=self.batch_size,
            n_process=self.n_process,
            chunk_size=progress_chunk(self.batch_size, self.n_process),
            prompts=prompts,
            executor=self.cluster(),
        )

    def scorer(self) -> GrammarScorer:
        cache_path = Path(self.score_cache or Path(self.input_dir).parent / ".cache" / "scores.sqlite")
        return GrammarScorer(
            GrammarScorerConfig(pipeline=self.pipeline, rules=self.rules), cache=ScoreCache(cache_path)
        )


class Scored(FunnelledBuilder):
    """Sentences with their grammar score in [-1, 1], parse success and rule violations."""

    VERSION = datasets.Version("1.0.0")
    BUILDER_CONFIG_CLASS = ScoredConfig
    BUILDER_CONFIGS = [ScoredConfig(name="default", description="Grammar-scored Bokmål sentences")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=datasets.Features(
                {
                    "article_id": datasets.Value("string"),
                    "title": datasets.Value("string"),
                    "sentence_idx": datasets.Value("int32"),
                    "text": datasets.Value("string"),
                    "score": datasets.Value("float32"),
                    "parse_success": datasets.Value("bool"),
                    "violations": datasets.List(VIOLATION),
                    "scorer_fingerprint": datasets.Value("string"),
                }
            ),
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        sentences = read_split_files(self.config.input_dir, ["article_id", "title", "sentence_idx", "text"])
        return [datasets.SplitGenerator(name=datasets.Split.TRAIN, gen_kwargs={"sentences": sentences})]

    def _generate_examples(self, sentences):
        scorer = self.config.scorer()
        texts = sentences["text"].to_list()
        results = self.config.score(scorer, texts)
        rejected: dict[str, int] = {}
        progress = tqdm(zip(sentences.iter_rows(named=True), results, strict=True), total=len(texts), desc="scoring")
        for index, (row, result) in enumerate(progress):
            if result.reason is not None:
                rejected[f"rejected_{result.reason}"] = rejected.get(f"rejected_{result.reason}", 0) + 1
                continue
            yield (
                Key(0, index),
                {
                    "article_id": row["article_id"],
                    "title": row["title"],
                    "sentence_idx": row["sentence_idx"],
                    "text": row["text"],
                    "score": result.score,
                    "parse_success": result.parse_success,
                    "violations": [v.to_dict() for v in result.violations],
                    "scorer_fingerprint": scorer.fingerprint,
                },
            )
        self.funnel = Funnel()
        self.funnel.record("scoring", len(texts), len(texts) - sum(rejected.values()), rejected, "sentences")
