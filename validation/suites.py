"""One great-expectations suite per builder, named after the builder and its `VERSION`.

Thresholds come from the builder's config through `{"$PARAMETER": ...}`, never repeated as literals. Checks that
span rows (splits disjoint by article) are expressed on a derived frame, computed here with polars.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import great_expectations as gx
import great_expectations.expectations as gxe
import polars as pl


@dataclass
class SuiteSpec:
    """A suite, the parameters it reads, and the frame it runs on."""

    suite: gx.ExpectationSuite
    parameters: dict
    frame: pl.DataFrame


def _param(name: str) -> dict:
    return {"$PARAMETER": name}


def _columns(*names: str) -> list[gx.expectations.Expectation]:
    return [gxe.ExpectColumnToExist(column=name) for name in names]


def build_sentences_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Schema, non-empty unique text, length bounds from the config, positions non-negative."""
    suite = gx.ExpectationSuite(name=f"sentences-{version}")
    for expectation in [
        *_columns("article_id", "title", "sentence_idx", "text", "n_words"),
        gxe.ExpectColumnValuesToNotBeNull(column="text"),
        gxe.ExpectColumnValuesToNotBeNull(column="article_id"),
        gxe.ExpectColumnValuesToBeUnique(column="text"),
        gxe.ExpectColumnValueLengthsToBeBetween(
            column="text", min_value=_param("min_chars"), max_value=_param("max_chars")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="n_words", min_value=_param("min_words"), max_value=_param("max_words")
        ),
        gxe.ExpectColumnValuesToBeBetween(column="sentence_idx", min_value=0),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["article_id", "sentence_idx"]),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    parameters = {k: config[k] for k in ("min_chars", "max_chars", "min_words", "max_words")}
    return SuiteSpec(suite, parameters, frame)


def build_scored_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Schema, scores in [-1, 1], one scorer fingerprint, unique texts."""
    suite = gx.ExpectationSuite(name=f"scored-{version}")
    for expectation in [
        *_columns("article_id", "text", "score", "parse_success", "violations", "scorer_fingerprint"),
        gxe.ExpectColumnValuesToNotBeNull(column="text"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1),
        gxe.ExpectColumnValuesToBeUnique(column="text"),
        gxe.ExpectColumnValuesToBeBetween(column="score", min_value=-1.0, max_value=1.0),
        gxe.ExpectColumnValuesToBeInSet(column="parse_success", value_set=[True, False]),
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="scorer_fingerprint", min_value=1, max_value=1),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    return SuiteSpec(suite, {}, frame)


def build_sft_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Every row at or above `min_score`, two-turn chats, unique texts, splits disjoint by article."""
    derived = frame.with_columns(
        n_turns=pl.col("messages").list.len(),
        assistant_is_text=pl.col("messages").list.last().struct.field("content") == pl.col("text"),
        article_splits=pl.col("split").n_unique().over("article_id"),
    )
    suite = gx.ExpectationSuite(name=f"sft-{version}")
    for expectation in [
        *_columns("messages", "text", "article_id", "score"),
        gxe.ExpectColumnValuesToNotBeNull(column="text"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1),
        gxe.ExpectColumnValuesToBeUnique(column="text"),
        gxe.ExpectColumnValuesToBeBetween(column="score", min_value=_param("min_score"), max_value=1.0),
        gxe.ExpectColumnValuesToBeInSet(column="n_turns", value_set=[2]),
        gxe.ExpectColumnValuesToBeInSet(column="assistant_is_text", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="article_splits", value_set=[1]),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    return SuiteSpec(suite, {"min_score": config["min_score"]}, derived)


def build_prompts_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Unique prompt ids, non-empty prompts, splits disjoint by article, no article of the SFT corpus.

    `context["sft_article_ids"]` holds the article ids of the SFT corpus the prompts must avoid.
    """
    sft_articles = sorted(context.get("sft_article_ids", []))
    derived = frame.with_columns(
        content=pl.col("prompt").list.first().struct.field("content"),
        article_splits=pl.col("split").n_unique().over("article_id"),
    )
    suite = gx.ExpectationSuite(name=f"prompts-{version}")
    for expectation in [
        *_columns("prompt_id", "prompt", "kind", "article_id"),
        gxe.ExpectColumnValuesToBeUnique(column="prompt_id"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="content", min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=["topic", "continuation"]),
        gxe.ExpectColumnValuesToBeInSet(column="article_splits", value_set=[1]),
        gxe.ExpectColumnValuesToNotBeInSet(column="article_id", value_set=_param("sft_article_ids")),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    return SuiteSpec(suite, {"sft_article_ids": sft_articles}, derived)


SUITES: dict[str, Callable[[str, dict, pl.DataFrame, dict], SuiteSpec]] = {
    "Sentences": build_sentences_suite,
    "Scored": build_scored_suite,
    "SFT": build_sft_suite,
    "Prompts": build_prompts_suite,
}
