"""`pairs`: DPO preference pairs from scored completions, by grammar-score delta (the rules: `saga.builders.pairing`).

Rows are in TRL's explicit-prompt conversational preference format, which `DPOTrainer` reads unchanged: `prompt`
is the chat up to the user turn, `chosen` and `rejected` are one assistant message each. The scores, their delta
and the temperatures they were sampled at come along for analysis. Splits follow the prompts dataset: pairs of a
`test` prompt are `test` pairs, so no prompt is in two splits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import datasets
import polars as pl
from datasets.builder import Key

from saga.builders.dataset_inputs import read_split_files
from saga.builders.features import MESSAGES
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.pairing import STRATEGIES, Candidate, pair_prompt

COLUMNS = ["prompt_id", "prompt", "completion", "score", "reject_reason", "temperature", "sample_idx"]


@dataclass
class PairsConfig(datasets.BuilderConfig):
    """Configuration of the `pairs` builder.

    Args:
        input_dir (`str`, defaults to `"build/datasets/scored_completions"`): the `scored_completions` folder.
        min_delta (`float`, defaults to 0.25): the least score margin chosen − rejected (the seed's).
        min_chosen (`float`, defaults to 0.2): the least score of a chosen completion (the seed's).
        strategy (`str`, defaults to `"best_worst"`): `"best_worst"` (one pair per prompt) or `"all"` (every
            passing pair, largest delta first); see `saga.builders.pairing`.
        max_pairs_per_prompt (`int`, defaults to 8): the cap of the `all` strategy.
        max_length_ratio (`float`, *optional*): keep only pairs whose longer completion has at most this many times
            the words of the shorter (≥ 1), so chosen and rejected differ in grammar rather than in length.
    """

    input_dir: str = field(default="build/datasets/scored_completions", metadata={"fingerprint": False})
    min_delta: float = 0.25
    min_chosen: float = 0.2
    strategy: str = "best_worst"
    max_pairs_per_prompt: int = 8
    max_length_ratio: float | None = None

    def __post_init__(self):
        super().__post_init__()
        if not 0.0 < self.min_delta <= 2.0:
            raise ValueError(f"min_delta must be in (0, 2], got {self.min_delta}")
        if not -1.0 <= self.min_chosen <= 1.0:
            raise ValueError(f"min_chosen must be in [-1, 1], got {self.min_chosen}")
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {STRATEGIES}, got {self.strategy!r}")
        if self.max_pairs_per_prompt < 1:
            raise ValueError(f"max_pairs_per_prompt must be >= 1, got {self.max_pairs_per_prompt}")
        if self.max_length_ratio is not None and self.max_length_ratio < 1.0:
            raise ValueError(f"max_length_ratio must be >= 1 (or None), got {self.max_length_ratio}")

    def pairs_per_prompt(self) -> int:
        """The most pairs one prompt can have under this config."""
        return 1 if self.strategy == "best_worst" else self.max_pairs_per_prompt


class Pairs(FunnelledBuilder):
    """Grammar-delta DPO preference pairs in TRL's conversational format."""

    VERSION = datasets.Version("1.1.0")
    BUILDER_CONFIG_CLASS = PairsConfig
    BUILDER_CONFIGS = [PairsConfig(name="default", description="DPO pairs by grammar-score delta")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=datasets.Features(
                {
                    "prompt_id": datasets.Value("string"),
                    "prompt": MESSAGES,
                    "chosen": MESSAGES,
                    "rejected": MESSAGES,
                    "chosen_score": datasets.Value("float64"),
                    "rejected_score": datasets.Value("float64"),
                    "delta": datasets.Value("float64"),
                    "length_ratio": datasets.Value("float64"),
                    "chosen_temperature": datasets.Value("float64"),
                    "rejected_temperature": datasets.Value("float64"),
                    "chosen_sample_idx": datasets.Value("int32"),
                    "rejected_sample_idx": datasets.Value("int32"),
                }
            ),
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        scored = read_split_files(self.config.input_dir, COLUMNS)
        self.funnel = Funnel()
        return [
            datasets.SplitGenerator(name=split, gen_kwargs={"rows": scored.filter(pl.col("split") == split)})
            for split in scored["split"].unique(maintain_order=True).to_list()
        ]

    def _generate_examples(self, rows: pl.DataFrame):
        cfg = self.config
        unscorable = rows["reject_reason"].is_not_null()
        dropped = Counter(f"unscorable_{reason}" for reason in rows.filter(unscorable)["reject_reason"].to_list())
        self.funnel.record("candidates", rows.height, rows.height - int(unscorable.sum()), dropped, "completions")
        candidates: dict[str, list[Candidate]] = {
            prompt_id: [] for prompt_id in rows["prompt_id"].unique(maintain_order=True)
        }
        prompts: dict[str, list[dict]] = {}
        for row in rows.filter(~unscorable).iter_rows(named=True):
            candidates[row["prompt_id"]].append(
                Candidate(row["completion"], row["score"], row["temperature"], row["sample_idx"])
            )
            prompts.setdefault(row["prompt_id"], row["prompt"])
        reasons: Counter = Counter()
        kept = over_cap = index = 0
        for prompt_id, prompt_candidates in candidates.items():
            result = pair_prompt(
                prompt_candidates,
                cfg.strategy,
                cfg.min_delta,
                cfg.min_chosen,
                cfg.max_pairs_per_prompt,
                cfg.max_length_ratio,
            )
            if result.reason is not None:
                reasons[result.reason] += 1
                continue
            kept += 1
            over_cap += result.over_cap
            for pair in result.pairs:
                yield Key(0, index), self._row(prompt_id, prompts[prompt_id], pair)
                index += 1
        self.funnel.record("prompts", len(candidates), kept, dict(reasons), "prompts")
        self.funnel.record("pairs", index + over_cap, index, {"over_max_pairs_per_prompt": over_cap}, "pairs")

    @staticmethod
    def _row(prompt_id: str, prompt: list[dict], pair) -> dict:
        return {
            "prompt_id": prompt_id,
            "prompt": prompt,
            "chosen": [{"role": "assistant", "content": pair.chosen.text}],
            "rejected": [{"role": "assistant", "content": pair.rejected.text}],
            "chosen_score": pair.chosen.score,
            "rejected_score": pair.rejected.score,
            "delta": pair.delta,
            "length_ratio": pair.length_ratio,
            "chosen_temperature": pair.chosen.temperature,
            "rejected_temperature": pair.rejected.temperature,
            "chosen_sample_idx": pair.chosen.sample_idx,
            "rejected_sample_idx": pair.rejected.sample_idx,
        }
