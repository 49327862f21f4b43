"""The dataset stages: build → validate → card, for each builder, with its inputs resolved by default locations.

This is the one place that knows how the stages chain (which folder each reads, which fingerprints it depends
on, what its card shows); `saga build` and (later) `saga run` call `run_stage`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import datasets
from filelock import FileLock, Timeout

from saga.builders.build import BUILDER_CONFIG_BASE, BuildResult, build
from saga.builders.completions import Completions, CompletionsConfig
from saga.builders.dataset_inputs import input_fingerprint, manifest_of, read_split_files
from saga.builders.pairs import Pairs
from saga.builders.prompts import Prompts
from saga.builders.scored import Scored, ScoredConfig
from saga.builders.scored_completions import ScoredCompletions, ScoredCompletionsConfig
from saga.builders.sentences import Sentences, SentencesConfig
from saga.builders.sft import SFT
from saga.cards.dataset import render_dataset_card
from saga.cards.generation import completions_section, pairs_section, temperature_table
from saga.cards.plots import bar_plot, histogram_plot
from saga.errors import InputDataError
from saga.tables import markdown_table
from saga.validation.runner import ValidationFailed, ValidationReport, validate_dataset

logger = logging.getLogger(__name__)
DEFAULT_ROOT = Path("build/datasets")


def score_section(path: Path) -> tuple[str, list[dict]]:
    """Score statistics, a score histogram and the most frequent rule violations, for datasets with scores."""
    frame = read_split_files(path)
    if "score" not in frame.columns:
        return "", []
    plots = [
        histogram_plot(
            frame["score"].to_list(), path / "saga" / "plots" / "scores.png", path, "Grammar scores", "score"
        )
    ]
    parsed = frame["parse_success"].mean() if "parse_success" in frame.columns else 1.0
    cells = [[frame.height, f"{frame['score'].mean():.3f}", f"{frame['score'].median():.3f}", f"{parsed:.1%}"]]
    text = "## Grammar scores\n\n" + markdown_table(["rows", "mean", "median", "parse success"], cells) + "\n"
    if "violations" in frame.columns:
        rules = Counter(v["rule"] for row in frame["violations"].to_list() for v in row)
        top = rules.most_common(12)
        if top:
            plots.append(
                bar_plot(top, path / "saga" / "plots" / "violations.png", path, "Top rule violations", "violations")
            )
        if "scorer_fingerprint" in frame.columns:
            text += f"\nScorer fingerprint: `{frame['scorer_fingerprint'][0]}`.\n"
    return text, plots


def _scored_completions_section(path: Path) -> tuple[str, list[dict]]:
    text, plots = score_section(path)
    text += "\n### Completions by temperature\n\n" + temperature_table(read_split_files(path))
    return text, plots


@dataclass(frozen=True)
class Stage:
    """How one dataset is built: its builder, the stage it reads (if any), its extra validation context and the
    dataset-specific section of its card."""

    name: str
    builder: type[datasets.GeneratorBasedBuilder]
    reads: str | None
    inputs: Callable[[dict, Path], dict[str, str]]
    context: Callable[[Path], dict] = lambda root: {}
    card: Callable[[Path], tuple[str, list[dict]]] = score_section


def _sentences_inputs(config: dict, root: Path) -> dict[str, str]:
    return {"articles": SentencesConfig(name="default", **config).wiki_source.fingerprint()}


def _scored_inputs(config: dict, root: Path) -> dict[str, str]:
    scorer = ScoredConfig(name="default", **config).scorer()
    return {"sentences": input_fingerprint(config["input_dir"]), "scorer": scorer.fingerprint}


def _completions_inputs(config: dict, root: Path) -> dict[str, str]:
    """The prompts' fingerprint and the resolved revisions of the policy (and adapter) the completions come from."""
    model, adapter = CompletionsConfig(name="default", **config).resolve_models()
    inputs = {"prompts": input_fingerprint(config["input_dir"]), "model": model.revision}
    if adapter is not None:
        inputs["adapter"] = adapter.revision
    return inputs


def _scored_completions_inputs(config: dict, root: Path) -> dict[str, str]:
    scorer = ScoredCompletionsConfig(name="default", **config).scorer()
    return {"completions": input_fingerprint(config["input_dir"]), "scorer": scorer.fingerprint}


def _upstream_inputs(config: dict, root: Path) -> dict[str, str]:
    return {"input": input_fingerprint(config["input_dir"])}


def _prompts_context(root: Path) -> dict:
    sft_dir = root / "sft"
    if not (sft_dir / "data").is_dir():
        raise InputDataError(f"{sft_dir}: the SFT corpus is needed to check that prompts avoid its articles")
    return {"sft_article_ids": read_split_files(sft_dir, ["article_id"])["article_id"].unique().to_list()}


STAGES = {
    "sentences": Stage("sentences", Sentences, None, _sentences_inputs),
    "scored": Stage("scored", Scored, "sentences", _scored_inputs),
    "sft": Stage("sft", SFT, "scored", _upstream_inputs),
    "prompts": Stage("prompts", Prompts, "sentences", _upstream_inputs, _prompts_context),
    "completions": Stage("completions", Completions, "prompts", _completions_inputs, card=completions_section),
    "scored_completions": Stage(
        "scored_completions",
        ScoredCompletions,
        "completions",
        _scored_completions_inputs,
        card=_scored_completions_section,
    ),
    "pairs": Stage("pairs", Pairs, "scored_completions", _upstream_inputs, card=pairs_section),
}


def stage_of(path: Path) -> Stage:
    """The stage that built a dataset folder, by the builder named in its manifest."""
    builder = manifest_of(path)["builder"]
    for stage in STAGES.values():
        if stage.builder.__name__ == builder:
            return stage
    raise InputDataError(f"{path}: built by {builder!r}, which no saga stage runs")


def card_section(path: Path) -> tuple[str, list[dict]]:
    """The dataset-specific card section of a folder (see `Stage.card`)."""
    return stage_of(path).card(path)


def check_config(stage: Stage, config: dict) -> None:
    """Unknown fields or values the builder config rejects → one `InputDataError` naming them."""
    fields = {f.name for f in dataclasses.fields(stage.builder.BUILDER_CONFIG_CLASS)} - BUILDER_CONFIG_BASE
    unknown = sorted(set(config) - fields)
    if unknown:
        raise InputDataError(f"{stage.name}: unknown config field(s) {unknown}; known: {sorted(fields)}")
    try:
        stage.builder.BUILDER_CONFIG_CLASS(name="default", **config)
    except ValueError as err:
        raise InputDataError(f"{stage.name}: bad config: {err}") from err


def run_stage(
    name: str, config: dict | None = None, root: str | Path = DEFAULT_ROOT, out_dir: str | Path | None = None
) -> tuple[BuildResult, ValidationReport]:
    """Build stage `name` into `out_dir` (default `root/name`), validate it, and render its card.

    A new build is written into a staging folder beside `out_dir` (`.<name>.partial`), validated and carded there,
    and only then moved into place, so a build killed at any point leaves `out_dir` as it was: never new data
    beside an old verdict. One build at a time writes a folder: a second gets one clear error (`output_lock`).

    Args:
        name (`str`): one of `STAGES`.
        config (`dict`, *optional*): builder config fields; `input_dir` defaults to `root/<stage it reads>`.
        root (`Path`, defaults to `build/datasets`): where the stages' default folders live.
        out_dir (`Path`, *optional*): the dataset folder to write.

    Raises:
        `ValidationFailed`: when the suite fails (the folder keeps its report and is not publishable).
        `InputDataError`: when another process is building the same folder.
    """
    stage = STAGES[name]
    root, out_dir = Path(root), Path(out_dir) if out_dir is not None else None
    config = dict(config or {})
    check_config(stage, config)
    if stage.reads and "input_dir" not in config:
        config["input_dir"] = str(root / stage.reads)
    out_dir = out_dir or root / name
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir):
        staging = out_dir.parent / f".{out_dir.name}.partial"
        inputs = stage.inputs(config, root)
        result = build(stage.builder, out_dir, config, inputs, cache_dir=root / ".cache", staging=staging)
        written = result.out_dir
        try:
            report = validate_dataset(written, stage.context(root))
        except ValidationFailed:
            _move_into_place(written, out_dir)  # complete, with its failed verdict: refused by push, kept to inspect
            raise
        extra, plots = stage.card(written)
        render_dataset_card(written, extra=extra, plots=plots)
        _move_into_place(written, out_dir)
    return dataclasses.replace(result, out_dir=out_dir), report


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of a dataset folder (`.<name>.lock` beside it) while building it, or fail at once.

    Args:
        out_dir (`Path`): the dataset folder.

    Raises:
        `InputDataError`: when another process holds the lock (the operating system frees it when that process
            ends, however it ends).
    """
    lock = FileLock(str(out_dir.parent / f".{out_dir.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as err:
        raise InputDataError(
            f"{out_dir} is being built by another saga process", hint="wait for it, or build into another --out"
        ) from err
    try:
        yield
    finally:
        lock.release()


def _move_into_place(written: Path, out_dir: Path) -> None:
    """Replace `out_dir` by the staging folder `written` (nothing to do when the build reused `out_dir`)."""
    if written == out_dir:
        return
    old = out_dir.parent / f".{out_dir.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(written, out_dir)
    shutil.rmtree(old, ignore_errors=True)
