"""`sft`: grammar-scored sentences at or above `min_score`, formatted as chat examples for TRL's `SFTTrainer`.

Each example is a user prompt built from the article title by a template in the config, answered by the sentence
(`messages`), plus the sentence alone (`text`). Articles are assigned to train / validation by a hash of their id,
and a share of articles is reserved for DPO prompts and never used here (`prompt_share`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import datasets
import polars as pl
from datasets.builder import Key

from saga.builders.dataset_inputs import read_split_files
from saga.builders.features import MESSAGES
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.splits import article_bucket, in_holdout, reserved_for_prompts

# What `saga/dropped.parquet` keeps of a dropped sentence (with its step and reason).
DROPPED_COLUMNS = ("article_id", "sentence_idx", "text", "score")
DEFAULT_TEMPLATES = (
    "Skriv en setning om {title}.",
    "Fortell noe om {title} i én setning.",
    "Skriv én grammatisk korrekt setning om emnet «{title}».",
)


@dataclass
class SFTConfig(datasets.BuilderConfig):
    """Configuration of the `sft` builder.

    Args:
        input_dir (`str`, defaults to `"build/datasets/scored"`): the `scored` dataset folder.
        min_score (`float`, defaults to 0.65): the seed recipe's threshold on the grammar score.
        require_parse_success (`bool`, defaults to `True`): also require a parse with a verbal root and subject.
        max_examples (`int`, *optional*): keep at most this many (a deterministic, hash-ordered subset; seed ≈10k).
        validation_share (`float`, defaults to 0.05): share of articles whose sentences form the validation split.
        prompt_share (`float`, defaults to 0.2): share of articles reserved for DPO prompts (never in SFT).
        prompt_templates (`tuple[str, ...]`): user prompts; `{title}` is the article title. One is chosen per
            sentence by a hash of the text.
        write_dropped (`bool`, defaults to `False`): also write every dropped sentence with its reason and score
            to `saga/dropped.parquet` beside the dataset.
    """

    input_dir: str = field(default="build/datasets/scored", metadata={"fingerprint": False})
    min_score: float = 0.65
    require_parse_success: bool = True
    max_examples: int | None = None
    validation_share: float = 0.05
    prompt_share: float = 0.2
    prompt_templates: tuple[str, ...] = field(default=DEFAULT_TEMPLATES)
    write_dropped: bool = False

    def __post_init__(self):
        super().__post_init__()
        if not -1.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be in [-1, 1], got {self.min_score}")
        if not 0.0 <= self.validation_share < 1.0 or not 0.0 <= self.prompt_share < 1.0:
            raise ValueError(f"shares must be in [0, 1), got {self.validation_share} and {self.prompt_share}")
        if not self.prompt_templates or any("{title}" not in t for t in self.prompt_templates):
            raise ValueError(f"every prompt template needs a {{title}} placeholder, got {self.prompt_templates}")
        if self.max_examples is not None and self.max_examples < 1:
            raise ValueError(f"max_examples must be >= 1, got {self.max_examples}")


class SFT(FunnelledBuilder):
    """High-scoring Bokmål sentences as TRL conversational SFT examples."""

    VERSION = datasets.Version("1.0.0")
    BUILDER_CONFIG_CLASS = SFTConfig
    BUILDER_CONFIGS = [SFTConfig(name="default", description="SFT corpus of grammatical Bokmål sentences")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=datasets.Features(
                {
                    "messages": MESSAGES,
                    "text": datasets.Value("string"),
                    "article_id": datasets.Value("string"),
                    "title": datasets.Value("string"),
                    "sentence_idx": datasets.Value("int32"),
                    "score": datasets.Value("float32"),
                }
            ),
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        scored = read_split_files(
            self.config.input_dir, ["article_id", "title", "sentence_idx", "text", "score", "parse_success"]
        )
        selected = self._select(scored)
        holdout = pl.col("article_id").map_elements(
            lambda a: in_holdout(a, self.config.validation_share, "sft-validation"), return_dtype=pl.Boolean
        )
        return [
            datasets.SplitGenerator(name=datasets.Split.TRAIN, gen_kwargs={"rows": selected.filter(~holdout)}),
            datasets.SplitGenerator(name=datasets.Split.VALIDATION, gen_kwargs={"rows": selected.filter(holdout)}),
        ]

    def _select(self, scored: pl.DataFrame) -> pl.DataFrame:
        """Threshold, reserved articles, then the deterministic `max_examples` subset — each drop counted."""
        cfg, drops = self.config, {}
        funnel = self.funnel = Funnel(keep_dropped=cfg.write_dropped)
        reserved = pl.col("article_id").map_elements(
            lambda a: reserved_for_prompts(a, cfg.prompt_share), return_dtype=pl.Boolean
        )
        checks = [
            ("reserved_for_prompts", reserved),
            ("below_min_score", pl.col("score") < cfg.min_score),
            ("parse_failed", ~pl.col("parse_success") if cfg.require_parse_success else pl.lit(False)),
        ]
        frame = scored
        for reason, bad in checks:
            drops[reason] = int(frame.select(bad.sum()).item())
            funnel.drop_rows("selection", reason, frame.filter(bad), DROPPED_COLUMNS)
            frame = frame.filter(~bad)
        frame = frame.with_columns(
            order=pl.col("text").map_elements(lambda t: article_bucket(t, "sft-order"), return_dtype=pl.Float64)
        ).sort("order")
        if cfg.max_examples is not None and frame.height > cfg.max_examples:
            drops["over_max_examples"] = frame.height - cfg.max_examples
            funnel.drop_rows("selection", "over_max_examples", frame.slice(cfg.max_examples), DROPPED_COLUMNS)
            frame = frame.head(cfg.max_examples)
        funnel.record("selection", scored.height, frame.height, drops, "sentences")
        return frame.sort("article_id", "sentence_idx")

    def _generate_examples(self, rows: pl.DataFrame):
        templates = self.config.prompt_templates
        for index, row in enumerate(rows.iter_rows(named=True)):
            template = templates[int(article_bucket(row["text"], "template") * len(templates))]
            prompt = template.format(title=row["title"])
            yield (
                Key(0, index),
                {
                    "messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": row["text"]}],
                    "text": row["text"],
                    "article_id": row["article_id"],
                    "title": row["title"],
                    "sentence_idx": row["sentence_idx"],
                    "score": row["score"],
                },
            )
