"""The images a dataset card shows (matplotlib, Agg backend, no timestamps in the PNG: same data → same bytes)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PNG_METADATA = {"Software": None}


def _save(fig, target: Path, folder: Path, title: str) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(target, dpi=100, metadata=PNG_METADATA)
    plt.close(fig)
    return {"title": title, "path": str(target.relative_to(folder))}


def funnel_plot(funnel: list[dict], target: Path, folder: Path) -> dict:
    """Horizontal bars of the rows dropped per reason, one panel per step."""
    reasons = [(f"{s['step']}: {r}", n) for s in funnel for r, n in s["dropped"].items()] or [("nothing dropped", 0)]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(reasons) + 1.2))
    ax.barh([r for r, _ in reasons][::-1], [n for _, n in reasons][::-1], color="#c0504d")
    ax.set_xlabel("rows dropped")
    ax.set_title("Why rows were dropped")
    return _save(fig, target, folder, "Rows dropped per step and reason")


def histogram_plot(values: list[float], target: Path, folder: Path, title: str, xlabel: str, bins: int = 40) -> dict:
    """A histogram (e.g. grammar scores in [-1, 1])."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.hist(values, bins=bins, range=(-1, 1) if all(-1 <= v <= 1 for v in values) else None, color="#4f81bd")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("rows")
    ax.set_title(title)
    return _save(fig, target, folder, title)


def bar_plot(counts: list[tuple[str, int]], target: Path, folder: Path, title: str, xlabel: str) -> dict:
    """Horizontal bars of labelled counts (e.g. the most frequent rule violations)."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(counts), 1) + 1.2))
    ax.barh([c for c, _ in counts][::-1], [n for _, n in counts][::-1], color="#9bbb59")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _save(fig, target, folder, title)
