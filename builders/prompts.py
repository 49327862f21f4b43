"""`prompts`: DPO generation prompts from the articles reserved for them (never in the SFT corpus).

Two kinds, each from templates in the config: topic prompts from the article title ("Skriv en kort tekst om
{title}.") and continuation prompts that hand the model the article's first sentence. The `test` split (a share
of the articles) holds prompts for evaluating the adapters, never used to build preference pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import datasets
import polars as pl
from datasets.builder import Key

from saga.builders.dataset_inputs import read_split_files
from saga.builders.features import MESSAGES
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.splits import in_holdout, reserved_for_prompts

TOPIC_TEMPLATES = ("Skriv en kort tekst om {title}.", "Fortell kort om {title}.")
CONTINUATION_TEMPLATES = ("Fortsett teksten: {sentence}",)


@dataclass
class PromptsConfig(datasets.BuilderConfig):
    """Configuration of the `prompts` builder.

    Args:
        input_dir (`str`, defaults to `"build/datasets/sentences"`): the `sentences` dataset folder.
        prompt_share (`float`, defaults to 0.2): the share of articles reserved for prompts; must equal the `sft`
            builder's `prompt_share` so that no article is in both.
        test_share (`float`, defaults to 0.25): share of prompt articles whose prompts form the `test` split.
        topic_templates (`tuple[str, ...]`): prompts with a `{title}` placeholder.
        continuation_templates (`tuple[str, ...]`): prompts with a `{sentence}` placeholder (the first sentence).
        max_prompts (`int`, *optional*): keep at most this many prompts per split (in article order).
    """

    input_dir: str = field(default="build/datasets/sentences", metadata={"fingerprint": False})
    prompt_share: float = 0.2
    test_share: float = 0.25
    topic_templates: tuple[str, ...] = field(default=TOPIC_TEMPLATES)
    continuation_templates: tuple[str, ...] = field(default=CONTINUATION_TEMPLATES)
    max_prompts: int | None = None

    def __post_init__(self):
        super().__post_init__()
        if not 0.0 < self.prompt_share < 1.0 or not 0.0 <= self.test_share < 1.0:
            raise ValueError(
                f"need 0 < prompt_share < 1 and 0 <= test_share < 1, got {self.prompt_share}, {self.test_share}"
            )
        if any("{title}" not in t for t in self.topic_templates):
            raise ValueError(f"topic templates need {{title}}: {self.topic_templates}")
        if any("{sentence}" not in t for t in self.continuation_templates):
            raise ValueError(f"continuation templates need {{sentence}}: {self.continuation_templates}")


class Prompts(FunnelledBuilder):
    """Chat prompts for generating DPO completions, from articles disjoint from the SFT corpus."""

    VERSION = datasets.Version("1.0.0")
    BUILDER_CONFIG_CLASS = PromptsConfig
    BUILDER_CONFIGS = [PromptsConfig(name="default", description="DPO prompts from reserved Wikipedia articles")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=datasets.Features(
                {
                    "prompt_id": datasets.Value("string"),
                    "prompt": MESSAGES,
                    "kind": datasets.Value("string"),
                    "article_id": datasets.Value("string"),
                    "title": datasets.Value("string"),
                }
            ),
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        cfg = self.config
        sentences = read_split_files(cfg.input_dir, ["article_id", "title", "sentence_idx", "text"])
        articles = sentences.sort("article_id", "sentence_idx").group_by("article_id", maintain_order=True).first()
        reserved = articles.filter(
            pl.col("article_id").map_elements(
                lambda a: reserved_for_prompts(a, cfg.prompt_share), return_dtype=pl.Boolean
            )
        )
        test = pl.col("article_id").map_elements(
            lambda a: in_holdout(a, cfg.test_share, "prompts-test"), return_dtype=pl.Boolean
        )
        self.funnel = Funnel()
        self.funnel.record(
            "articles",
            articles.height,
            reserved.height,
            {"used_for_sft": articles.height - reserved.height},
            "articles",
        )
        return [
            datasets.SplitGenerator(
                name=datasets.Split.TRAIN, gen_kwargs={"articles": reserved.filter(~test), "split": "train"}
            ),
            datasets.SplitGenerator(
                name=datasets.Split.TEST, gen_kwargs={"articles": reserved.filter(test), "split": "test"}
            ),
        ]

    def _generate_examples(self, articles: pl.DataFrame, split: str):
        cfg, rows = self.config, []
        for article in articles.iter_rows(named=True):
            for i, template in enumerate(cfg.topic_templates):
                rows.append(
                    (f"{article['article_id']}-topic-{i}", "topic", article, template.format(title=article["title"]))
                )
            for i, template in enumerate(cfg.continuation_templates):
                content = template.format(sentence=article["text"])
                rows.append((f"{article['article_id']}-continuation-{i}", "continuation", article, content))
        kept = rows if cfg.max_prompts is None else rows[: cfg.max_prompts]
        over = {"over_max_prompts": len(rows) - len(kept)}
        self.funnel.record(f"prompts_{split}", len(rows), len(kept), over, "prompts")
        for index, (prompt_id, kind, article, content) in enumerate(kept):
            yield (
                Key(0, index),
                {
                    "prompt_id": prompt_id,
                    "prompt": [{"role": "user", "content": content}],
                    "kind": kind,
                    "article_id": article["article_id"],
                    "title": article["title"],
                },
            )
