"""`sentences`: Norwegian Wikipedia articles → clean, deduplicated Bokmål sentences.

Steps, each counted in the funnel (`saga/funnel.json`): articles (empty or oversized ones dropped) → lines
(titles, headings, list items dropped) → sentences (too short/long, leftover markup, duplicates of a normalised
form, and other languages dropped). Articles are processed in batches, so memory does not grow with the corpus
beyond one batch and the set of sentence hashes used for deduplication.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import datasets
import polars as pl
from datasets.builder import Key
from tqdm.auto import tqdm

from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.sources.wikipedia import HUB_CONFIG, WikiSource, load_articles
from saga.builders.text.cleaning import has_markup, paragraphs
from saga.builders.text.language import detect
from saga.builders.text.splitting import split_sentences

DEDUP_KEY = re.compile(r"[\W_]+", re.UNICODE)
# What `saga/dropped.parquet` keeps of a dropped sentence (with its step and reason).
DROPPED_COLUMNS = ("article_id", "sentence_idx", "text")


@dataclass
class SentencesConfig(datasets.BuilderConfig):
    """Configuration of the `sentences` builder.

    Args:
        source (`str`, defaults to `"bundled"`): the bundled 352-article sample, a local parquet/JSONL file or
            folder, or a Hub dataset id (`wikimedia/wikipedia`).
        source_config (`str`, defaults to `"20231101.nb"`): the Hub config of `source`.
        source_revision (`str`, *optional*): the Hub revision of `source`.
        max_articles (`int`, *optional*): read only the first N articles.
        max_article_chars (`int`, defaults to 1_000_000): longer articles are dropped (`article_too_long`).
        min_chars (`int`, defaults to 20) / max_chars (`int`, defaults to 400): sentence length bounds in characters.
        min_words (`int`, defaults to 4) / max_words (`int`, defaults to 60): sentence length bounds in words.
        language (`str`, defaults to `"nb"`): the language to keep (lingua, against nn, sv, da, en).
        min_language_confidence (`float`, defaults to 0.0): also drop `language` sentences below this confidence.
        batch_articles (`int`, defaults to 200): articles per processing batch.
        write_dropped (`bool`, defaults to `False`): also write every dropped sentence with its reason to
            `saga/dropped.parquet` beside the dataset.
    """

    source: str = field(default="bundled", metadata={"fingerprint": False})
    source_config: str = HUB_CONFIG
    source_revision: str | None = None
    max_articles: int | None = None
    max_article_chars: int = 1_000_000
    min_chars: int = 20
    max_chars: int = 400
    min_words: int = 4
    max_words: int = 60
    language: str = "nb"
    min_language_confidence: float = 0.0
    batch_articles: int = 200
    write_dropped: bool = False

    def __post_init__(self):
        super().__post_init__()
        if not 0 < self.min_chars < self.max_chars:
            raise ValueError(f"need 0 < min_chars < max_chars, got {self.min_chars} and {self.max_chars}")
        if not 0 < self.min_words < self.max_words:
            raise ValueError(f"need 0 < min_words < max_words, got {self.min_words} and {self.max_words}")
        if not 0.0 <= self.min_language_confidence <= 1.0:
            raise ValueError(f"min_language_confidence must be in [0, 1], got {self.min_language_confidence}")

    @property
    def wiki_source(self) -> WikiSource:
        return WikiSource(self.source, self.source_config, self.source_revision)

    def describe_source(self) -> str:
        """The articles' origin in words, for the manifest and the card (`WikiSource.describe`)."""
        return self.wiki_source.describe()


class Sentences(FunnelledBuilder):
    """Clean Bokmål sentences with their article id, title and position, from Norwegian Wikipedia."""

    VERSION = datasets.Version("1.1.0")
    BUILDER_CONFIG_CLASS = SentencesConfig
    BUILDER_CONFIGS = [SentencesConfig(name="default", description="Bokmål sentences from Norwegian Wikipedia")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=datasets.Features(
                {
                    "article_id": datasets.Value("string"),
                    "title": datasets.Value("string"),
                    "url": datasets.Value("string"),
                    "sentence_idx": datasets.Value("int32"),
                    "text": datasets.Value("string"),
                    "n_words": datasets.Value("int32"),
                    "language_confidence": datasets.Value("float32"),
                }
            ),
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        # The articles' own `datasets` cache sits beside this build's, not in the user's home folder.
        articles = load_articles(self.config.wiki_source, cache_dir=self._cache_dir_root)
        if self.config.max_articles is not None:
            articles = articles.select(range(min(self.config.max_articles, len(articles))))
        return [datasets.SplitGenerator(name=datasets.Split.TRAIN, gen_kwargs={"articles": articles})]

    def _generate_examples(self, articles: datasets.Dataset):
        funnel = self.funnel = Funnel(keep_dropped=self.config.write_dropped)
        seen, index = set(), 0
        progress = tqdm(total=len(articles), desc="sentences", unit="article", disable=None)
        for batch in articles.iter(batch_size=self.config.batch_articles):
            frame = self._sentences_of(batch, funnel)
            frame = self._filter(frame, funnel, seen)
            for row in frame.iter_rows(named=True):
                yield Key(0, index), row
                index += 1
            progress.update(len(batch["id"]))
        progress.close()

    def _sentences_of(self, batch: dict[str, list], funnel: Funnel) -> pl.DataFrame:
        """Articles → lines → sentences, counting the articles and lines that yield none."""
        rows, article_drops, line_drops = [], {"empty_text": 0, "article_too_long": 0}, {}
        n_lines = n_paragraphs = 0
        urls = batch.get("url") or [""] * len(batch["id"])
        for article_id, title, url, text in zip(batch["id"], batch["title"], urls, batch["text"], strict=True):
            if not text or not text.strip():
                article_drops["empty_text"] += 1
                continue
            if len(text) > self.config.max_article_chars:
                article_drops["article_too_long"] += 1
                continue
            kept, dropped = paragraphs(text, title)
            n_lines += len(kept) + sum(dropped.values())
            n_paragraphs += len(kept)
            for reason, count in dropped.items():
                line_drops[reason] = line_drops.get(reason, 0) + count
            sentences = [s for paragraph in kept for s in split_sentences(paragraph)]
            rows.extend(
                {"article_id": str(article_id), "title": title, "url": url or "", "sentence_idx": i, "text": s}
                for i, s in enumerate(sentences)
            )
        n_articles = len(batch["id"])
        funnel.record("articles", n_articles, n_articles - sum(article_drops.values()), article_drops, "articles")
        funnel.record("lines", n_lines, n_paragraphs, line_drops, "lines")
        schema = {
            "article_id": pl.String,
            "title": pl.String,
            "url": pl.String,
            "sentence_idx": pl.Int32,
            "text": pl.String,
        }
        return pl.DataFrame(rows, schema=schema)

    def _filter(self, frame: pl.DataFrame, funnel: Funnel, seen: set[bytes]) -> pl.DataFrame:
        """Length bounds, leftover markup, exact duplicates (normalised), then language — each drop counted."""
        cfg, n_in, drops = self.config, frame.height, {}
        frame = frame.with_columns(
            n_words=pl.col("text").str.split(" ").list.len().cast(pl.Int32), n_chars=pl.col("text").str.len_chars()
        )
        for reason, bad in [
            ("too_short", (pl.col("n_chars") < cfg.min_chars) | (pl.col("n_words") < cfg.min_words)),
            ("too_long", (pl.col("n_chars") > cfg.max_chars) | (pl.col("n_words") > cfg.max_words)),
            ("markup", pl.col("text").map_elements(has_markup, return_dtype=pl.Boolean)),
        ]:
            drops[reason] = int(frame.select(bad.sum()).item())
            funnel.drop_rows("sentences", reason, frame.filter(bad), DROPPED_COLUMNS)
            frame = frame.filter(~bad)
        keys = [
            hashlib.blake2b(DEDUP_KEY.sub(" ", t.lower()).strip().encode(), digest_size=12).digest()
            for t in frame["text"]
        ]
        fresh = []
        for key in keys:
            fresh.append(key not in seen)
            seen.add(key)
        drops["duplicate"] = fresh.count(False)
        funnel.drop_rows("sentences", "duplicate", frame.filter(~pl.Series(fresh, dtype=pl.Boolean)), DROPPED_COLUMNS)
        frame = frame.filter(pl.Series(fresh, dtype=pl.Boolean))
        languages = detect(frame["text"].to_list())
        frame = frame.with_columns(
            language=pl.Series([code for code, _ in languages], dtype=pl.String),
            language_confidence=pl.Series([conf for _, conf in languages], dtype=pl.Float32),
        )
        for code in sorted(set(frame["language"].unique().to_list()) - {cfg.language}):
            drops[f"language_{code}"] = int((frame["language"] == code).sum())
            funnel.drop_rows(
                "sentences", f"language_{code}", frame.filter(pl.col("language") == code), DROPPED_COLUMNS
            )
        keep = (pl.col("language") == cfg.language) & (pl.col("language_confidence") >= cfg.min_language_confidence)
        low = frame.filter((pl.col("language") == cfg.language) & ~keep)
        drops["low_language_confidence"] = low.height
        funnel.drop_rows("sentences", "low_language_confidence", low, DROPPED_COLUMNS)
        frame = frame.filter(keep)
        funnel.record("sentences", n_in, frame.height, drops, "sentences")
        return frame.select("article_id", "title", "url", "sentence_idx", "text", "n_words", "language_confidence")
