"""One great-expectations suite per builder, named after the builder and its `VERSION`.

Thresholds come from the builder's config through `{"$PARAMETER": ...}`, never repeated as literals. Checks that
span rows (splits disjoint by article) are expressed on a derived frame, computed here with polars.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import great_expectations as gx
import great_expectations.expectations as gxe
import polars as pl

from saga.builders.pairs import PairsConfig
from saga.builders.scoring.results import REJECT_REASONS


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


def build_completions_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """One row per (prompt, temperature, sample) of the grid, one model revision and backend, prompts in one split."""
    derived = frame.with_columns(
        completions_per_prompt=pl.len().over("prompt_id"),
        prompt_splits=pl.col("split").n_unique().over("prompt_id"),
    )
    suite = gx.ExpectationSuite(name=f"completions-{version}")
    for expectation in [
        *_columns("prompt_id", "prompt", "completion", "temperature", "sample_idx", "seed", "model_revision"),
        gxe.ExpectColumnValuesToNotBeNull(column="completion"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["prompt_id", "temperature", "sample_idx"]),
        gxe.ExpectColumnValuesToBeInSet(column="temperature", value_set=_param("temperatures")),
        gxe.ExpectColumnValuesToBeBetween(column="sample_idx", min_value=0, max_value=_param("max_sample_idx")),
        gxe.ExpectColumnValuesToBeInSet(column="completions_per_prompt", value_set=_param("per_prompt")),
        gxe.ExpectColumnValuesToBeInSet(column="prompt_splits", value_set=[1]),
        gxe.ExpectColumnValuesToBeInSet(column="backend", value_set=_param("backend")),
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="model_revision", min_value=1, max_value=1),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    parameters = {
        "temperatures": [float(t) for t in config["temperatures"]],
        "max_sample_idx": config["n_samples"] - 1,
        "per_prompt": [len(config["temperatures"]) * config["n_samples"]],
        "backend": [config["backend"]],
    }
    return SuiteSpec(suite, parameters, derived)


def build_scored_completions_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Scores in [-1, 1], one scorer fingerprint, unscorable completions at -1 with a known reason."""
    derived = frame.with_columns(
        reject_scored_minimum=pl.col("reject_reason").is_null() | (pl.col("score") == -1.0),
    )
    suite = gx.ExpectationSuite(name=f"scored_completions-{version}")
    for expectation in [
        *_columns("prompt_id", "completion", "score", "parse_success", "reject_reason", "scorer_fingerprint"),
        gxe.ExpectColumnValuesToNotBeNull(column="score"),
        gxe.ExpectColumnValuesToBeBetween(column="score", min_value=-1.0, max_value=1.0),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["prompt_id", "temperature", "sample_idx"]),
        gxe.ExpectColumnValuesToBeInSet(column="reject_reason", value_set=list(REJECT_REASONS)),
        gxe.ExpectColumnValuesToBeInSet(column="reject_scored_minimum", value_set=[True]),
        gxe.ExpectColumnUniqueValueCountToBeBetween(column="scorer_fingerprint", min_value=1, max_value=1),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    return SuiteSpec(suite, {}, derived)


def build_pairs_suite(version: str, config: dict, frame: pl.DataFrame, context: dict) -> SuiteSpec:
    """Thresholds on every row, chosen ≠ rejected, consistent deltas, no duplicate pairs, prompts in one split,
    chosen and rejected lengths within `max_length_ratio` of each other when the config sets one.

    The cap on pairs per prompt is 1 for `best_worst` and `max_pairs_per_prompt` for `all`.
    """
    derived = frame.with_columns(
        chosen_text=pl.col("chosen").list.first().struct.field("content"),
        rejected_text=pl.col("rejected").list.first().struct.field("content"),
        chosen_role=pl.col("chosen").list.first().struct.field("role"),
        rejected_role=pl.col("rejected").list.first().struct.field("role"),
        chosen_turns=pl.col("chosen").list.len(),
        rejected_turns=pl.col("rejected").list.len(),
        prompt_ends_with_user=pl.col("prompt").list.last().struct.field("role") == "user",
        delta_consistent=(pl.col("chosen_score") - pl.col("rejected_score") - pl.col("delta")).abs() < 1e-9,
        pairs_per_prompt=pl.len().over("prompt_id"),
        prompt_splits=pl.col("split").n_unique().over("prompt_id"),
        length_spread=pl.max_horizontal(pl.col("length_ratio"), 1 / pl.col("length_ratio")),
    ).with_columns(distinct_texts=pl.col("chosen_text") != pl.col("rejected_text"))
    suite = gx.ExpectationSuite(name=f"pairs-{version}")
    for expectation in [
        *_columns(
            "prompt", "chosen", "rejected", "chosen_score", "rejected_score", "delta", "prompt_id", "length_ratio"
        ),
        gxe.ExpectColumnValuesToBeBetween(column="length_spread", min_value=1.0, max_value=_param("max_length_ratio")),
        gxe.ExpectColumnValuesToBeBetween(column="delta", min_value=_param("min_delta"), max_value=2.0),
        gxe.ExpectColumnValuesToBeBetween(column="chosen_score", min_value=_param("min_chosen"), max_value=1.0),
        gxe.ExpectColumnValuesToBeBetween(column="rejected_score", min_value=-1.0, max_value=1.0),
        gxe.ExpectColumnValuesToBeInSet(column="delta_consistent", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="distinct_texts", value_set=[True]),
        gxe.ExpectColumnValuesToBeInSet(column="chosen_role", value_set=["assistant"]),
        gxe.ExpectColumnValuesToBeInSet(column="rejected_role", value_set=["assistant"]),
        gxe.ExpectColumnValuesToBeInSet(column="chosen_turns", value_set=[1]),
        gxe.ExpectColumnValuesToBeInSet(column="rejected_turns", value_set=[1]),
        gxe.ExpectColumnValuesToBeInSet(column="prompt_ends_with_user", value_set=[True]),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["prompt_id", "chosen_text", "rejected_text"]),
        gxe.ExpectColumnValuesToBeBetween(column="pairs_per_prompt", min_value=1, max_value=_param("max_pairs")),
        gxe.ExpectColumnValuesToBeInSet(column="prompt_splits", value_set=[1]),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
    ]:
        suite.add_expectation(expectation)
    pairs_config = PairsConfig(name="default", **config)
    parameters = {
        "min_delta": config["min_delta"],
        "min_chosen": config["min_chosen"],
        "max_pairs": pairs_config.pairs_per_prompt(),
        # No ratio configured: any finite spread passes.
        "max_length_ratio": pairs_config.max_length_ratio or float(sys.float_info.max),
    }
    return SuiteSpec(suite, parameters, derived)


SUITES: dict[str, Callable[[str, dict, pl.DataFrame, dict], SuiteSpec]] = {
    "Sentences": build_sentences_suite,
    "Scored": build_scored_suite,
    "SFT": build_sft_suite,
    "Prompts": build_prompts_suite,
    "Completions": build_completions_suite,
    "ScoredCompletions": build_scored_completions_suite,
    "Pairs": build_pairs_suite,
}
