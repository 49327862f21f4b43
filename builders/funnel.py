"""Per-step accounting: every row that enters a builder is kept or counted under a named drop reason.

Modelled on datatrove's per-step stats: each step records how many rows came in, went out, and why the rest
were dropped; the whole funnel is stored with the dataset (`saga/funnel.json`) and rendered in its card.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


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
    """The ordered steps of one build."""

    steps: dict[str, StepStats] = field(default_factory=dict)

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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Funnel:
        funnel = cls()
        for row in json.loads(path.read_text(encoding="utf-8")):
            funnel.record(row["step"], row["in"], row["out"], row["dropped"], row["unit"])
        return funnel
