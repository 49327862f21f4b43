"""`scored_completions`: every completion of a `completions` dataset with its grammar score, as the reward.

Each completion is scored against its prompt (the last user message), so copying or restating the prompt costs
score. The same `GrammarScorer` as the `scored` corpus, through the same persistent cache (by default
`.cache/scores.sqlite` beside the input, shared with the corpus builders), so a killed build resumes without
re-parsing and a completion identical to a scored text is not parsed again. No completion is dropped here: one the
scorer cannot parse (empty, too long) keeps the scorer's defined result, score -1 with `reject_reason` set, and the
`pairs` builder counts it when it chooses candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import datasets
from datasets.builder import Key
from tqdm.auto import tqdm

from saga.builders.completions import FEATURES as COMPLETION_FEATURES
from saga.builders.dataset_inputs import read_split_files
from saga.builders.features import prompt_text
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.scored import VIOLATION, ScoredConfig

FEATURES = datasets.Features(
    {
        **COMPLETION_FEATURES,
        "score": datasets.Value("float64"),
        "parse_success": datasets.Value("bool"),
        "violations": datasets.List(VIOLATION),
        "reject_reason": datasets.Value("string"),
        "scorer_fingerprint": datasets.Value("string"),
    }
)


@dataclass
class ScoredCompletionsConfig(ScoredConfig):
    """Configuration of the `scored_completions` builder: the `scored` builder's scorer fields, another input.

    Args:
        input_dir (`str`, defaults to `"build/datasets/completions"`): the `completions` dataset folder.
        pipeline (`str`, defaults to `"nb_saga_sm"`): the spaCy pipeline the scorer parses with.
        rules (`str`, defaults to `"saga.rules.v2"`): the registered rule set.
        batch_size (`int`, defaults to 64): `nlp.pipe` batch size, and how often the score cache is committed.
        n_process (`int`, defaults to 1): `nlp.pipe` worker processes.
        score_cache (`str`, *optional*): the SQLite score cache (default: `.cache/scores.sqlite` beside the input,
            the file the corpus builders use).
        executor (`dict`, *optional*): where to score (`None`: this process; see `ScoredConfig`).
    """

    input_dir: str = field(default="build/datasets/completions", metadata={"fingerprint": False})


class ScoredCompletions(FunnelledBuilder):
    """Completions with their grammar score in [-1, 1], parse success, violations and scorer fingerprint."""

    VERSION = datasets.Version("1.0.0")
    BUILDER_CONFIG_CLASS = ScoredCompletionsConfig
    BUILDER_CONFIGS = [ScoredCompletionsConfig(name="default", description="Grammar-scored policy completions")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(description=__doc__, features=FEATURES)

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        completions = read_split_files(self.config.input_dir)
        self.funnel = Funnel()
        return [
            datasets.SplitGenerator(name=split, gen_kwargs={"rows": completions.filter(completions["split"] == split)})
            for split in completions["split"].unique(maintain_order=True).to_list()
        ]

    def _generate_examples(self, rows):
        scorer = self.config.scorer()
        texts = rows["completion"].to_list()
        prompts = [prompt_text(messages) for messages in rows["prompt"].to_list()]
        results = self.config.score(scorer, texts, prompts)
        progress = tqdm(
            zip(rows.drop("split").iter_rows(named=True), results, strict=True), total=len(texts), desc="scoring"
        )
        for index, (row, result) in enumerate(progress):
            yield (
                Key(0, index),
                {
                    **row,
                    "score": result.score,
                    "parse_success": result.parse_success,
                    "violations": [v.to_dict() for v in result.violations],
                    "reject_reason": result.reason,
                    "scorer_fingerprint": scorer.fingerprint,
                },
            )
        self.funnel.record("scoring", len(texts), len(texts), {}, "completions")
