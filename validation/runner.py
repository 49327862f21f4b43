"""Run a great-expectations suite on a dataset folder and record the verdict in `saga/validation.json`, with the
sha256 of every file it judged (`saga.validation.binding`), so that only those exact bytes can be published.

polars is converted to pandas in exactly one place, `validate_frame`: GX's dataframe sources are pandas or Spark.
A failed suite raises one `ValidationFailed` that lists every failed expectation with example rows; the folder
is then not publishable (`saga push` refuses it).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import great_expectations as gx
import polars as pl
from great_expectations.data_context.types.base import ProgressBarsConfig

from saga.builders.dataset_inputs import manifest_of, read_split_files
from saga.errors import SagaError
from saga.validation.binding import VERDICT, bound_files
from saga.validation.suites import SUITES, SuiteSpec

logger = logging.getLogger(__name__)
# great-expectations sets this logger to INFO itself, and logs "Created temporary directory ..." on every build.
logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
EXAMPLES_PER_FAILURE = 5


class ValidationFailed(SagaError):
    """A dataset broke one or more expectations; the message lists each with example rows."""


@dataclass
class ValidationReport:
    """The verdict of one suite on one dataset (written as `saga/validation.json`)."""

    suite: str
    success: bool
    evaluated: int
    rows: int
    failed: list[dict] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [f"suite {self.suite}: {len(self.failed)} of {self.evaluated} expectations failed on {self.rows} rows"]
        for failure in self.failed:
            lines.append(
                f"  - {failure['expectation']}({failure['column'] or ''}): {failure['unexpected_count']} rows, "
                f"e.g. {failure['examples']}"
            )
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _batch_definition():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("saga").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole")


def validate_frame(frame: pl.DataFrame, spec: SuiteSpec) -> ValidationReport:
    """Validate one polars frame against a suite (the single polars → pandas conversion)."""
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    result = batch.validate(spec.suite, expectation_parameters=spec.parameters)
    failed = []
    for item in result.results:
        if item.success:
            continue
        kwargs = item.expectation_config.kwargs
        indices = item.result.get("partial_unexpected_index_list") or []
        examples = [_row(frame, i) for i in indices[:EXAMPLES_PER_FAILURE]]
        if not examples:
            examples = [item.result.get("observed_value")]
        failed.append(
            {
                "expectation": item.expectation_config.type,
                "column": kwargs.get("column") or kwargs.get("column_list"),
                "unexpected_count": item.result.get("unexpected_count", 0),
                "examples": examples,
            }
        )
    return ValidationReport(spec.suite.name, bool(result.success), len(result.results), frame.height, failed)


def _row(frame: pl.DataFrame, index: int) -> dict:
    row = frame.row(index, named=True)
    return {k: (v[:120] + "…" if isinstance(v, str) and len(v) > 120 else v) for k, v in row.items()}


def validate_dataset(path: Path, context: dict | None = None) -> ValidationReport:
    """Validate a dataset folder with the suite of the builder named in its manifest; write `validation.json`.

    Args:
        path (`Path`): the dataset folder (Hub layout).
        context (`dict`, *optional*): extra inputs a suite needs (e.g. the SFT article ids for `prompts`).

    Raises:
        `InputDataError`: when the folder has no `saga/manifest.json`.
        `ValidationFailed`: after writing the report, when any expectation failed.
    """
    manifest = manifest_of(path)
    builder = manifest["builder"]
    if builder not in SUITES:
        raise ValidationFailed(f"{path}: no validation suite for builder {builder!r}")
    _batch_definition()  # GX needs an active context before a suite is built
    spec = SUITES[builder](manifest["version"], manifest["config"], read_split_files(path), context or {})
    report = validate_frame(spec.frame, spec)
    report.files = bound_files(path)
    verdict = path / VERDICT
    partial = verdict.with_suffix(".json.partial")
    partial.write_text(json.dumps(asdict(report), indent=2, default=str) + "\n")
    os.replace(partial, verdict)  # a reader sees the old verdict or the new one, never half of it
    logger.info("%s: %s", path, "validation passed" if report.success else "validation FAILED")
    if not report.success:
        raise ValidationFailed(
            f"{path}: validation failed\n{report.describe()}", hint="the dataset is not publishable"
        )
    return report
