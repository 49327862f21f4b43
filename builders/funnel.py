"""Per-step accounting: every row that enters a builder is kept or counted under a named drop reason.

Modelled on datatrove's per-step stats: each step records how many rows came in, went out, and why the rest
were dropped; the whole funnel is stored with the dataset (`saga/funnel.json`) and rendered in its card.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import datasets
import polars as pl

DROPPED_FILE = "dropped.parquet"


@dataclass
class StepStats:
    """Counts of one step: `rows_in`, `rows_out` and the drops by reason (they always add up)."""

    name: str
    unit: str
    rows_in: int = 0
    rows_out: int = 0
    dropped: Counter = field(default_factory=Counter)

    def check(self) -> None:
        """Raise if rows went missing: in = out + every counted drop."""
        if self.rows_in != self.rows_out + sum(self.dropped.values()):
            raise AssertionError(
                f"step {self.name}: {self.rows_in} in != {self.rows_out} out + drops {dict(self.dropped)}"
            )


@dataclass
class Funnel:
    """The ordered steps of one build, and (when asked) the dropped rows themselves with their reasons.

    Args:
        steps (`dict[str, StepStats]`): the steps, in the order first used.
        keep_dropped (`bool`, defaults to `False`): collect the dropped rows (`drop_rows`) for `write`, which then
            writes them to `dropped.parquet` beside the funnel, as datatrove's exclusion writers do.
    """

    steps: dict[str, StepStats] = field(default_factory=dict)
    keep_dropped: bool = False
    dropped_rows: list[pl.DataFrame] = field(default_factory=list)

    def drop_rows(self, step: str, reason: str, rows: pl.DataFrame, columns: tuple[str, ...]) -> None:
        """Keep the rows a step dropped for `reason` (their `columns`), when `keep_dropped` is set.

        Args:
            step (`str`): the step that dropped them.
            reason (`str`): the drop reason, as counted in the funnel.
            rows (`pl.DataFrame`): the dropped rows.
            columns (`tuple[str, ...]`): the columns to keep (strings).
        """
        if self.keep_dropped and rows.height:
            kept = rows.select([pl.col(c).cast(pl.String) for c in columns])
            self.dropped_rows.append(kept.with_columns(step=pl.lit(step), reason=pl.lit(reason)))

    def step(self, name: str, unit: str = "rows") -> StepStats:
        """The stats of step `name`, created on first use (steps keep the order they were first used in)."""
        if name not in self.steps:
            self.steps[name] = StepStats(name, unit)
        return self.steps[name]

    def record(
        self, name: str, rows_in: int, rows_out: int, dropped: dict[str, int] | None = None, unit: str = "rows"
    ):
        """Add one batch's counts to step `name`."""
        stats = self.step(name, unit)
        stats.rows_in += rows_in
        stats.rows_out += rows_out
        stats.dropped.update({k: v for k, v in (dropped or {}).items() if v})
        stats.check()

    def to_dict(self) -> list[dict]:
        return [
            {
                "step": s.name,
                "unit": s.unit,
                "in": s.rows_in,
                "out": s.rows_out,
                "dropped": dict(sorted(s.dropped.items())),
            }
            for s in self.steps.values()
        ]

    def write(self, path: Path) -> None:
        """Write the counts as JSON to `path`, and the kept dropped rows to `dropped.parquet` beside it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if self.keep_dropped:
            rows = pl.concat(self.dropped_rows, how="diagonal") if self.dropped_rows else pl.DataFrame()
            rows.write_parquet(path.parent / DROPPED_FILE)

    @classmethod
    def read(cls, path: Path) -> Funnel:
        """The funnel `write` stored at `path` (the counts; dropped rows stay in their own file)."""
        funnel = cls()
        for row in json.loads(path.read_text(encoding="utf-8")):
            funnel.record(row["step"], row["in"], row["out"], row["dropped"], row["unit"])
        return funnel


class FunnelledBuilder(datasets.GeneratorBasedBuilder):
    """A dataset builder that counts what each of its steps keeps and drops in `self.funnel` while it generates.

    The funnel stays on the builder: `datasets` has no public place for files beside the data it caches, so
    `build_dataset` takes the funnel from the builder after `download_and_prepare` (and regenerates a build that
    `datasets` found in its cache, whose funnel no builder in this process counted).
    """

    funnel: Funnel | None = None
