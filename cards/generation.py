"""Card sections of the generation datasets: completions by temperature, and the preference-pair statistics.

The pairs table has the columns of the seed's DPO data card (pairs, mean chosen, mean rejected, mean delta), per
split and overall; numbers are read from the dataset folder, never typed by hand.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from saga.builders.dataset_inputs import read_split_files
from saga.cards.plots import histogram_plot
from saga.tables import markdown_table


def temperature_table(frame: pl.DataFrame) -> str:
    """Markdown table of completions per temperature: count, mean words, empty share (and scores when present).

    Args:
        frame (`pl.DataFrame`): a `completions` or `scored_completions` frame.
    """
    scored = "score" in frame.columns
    aggregates = [
        pl.len().alias("rows"),
        pl.col("completion").str.split(" ").list.len().mean().alias("words"),
        (pl.col("completion").str.strip_chars() == "").mean().alias("empty"),
    ]
    if scored:
        aggregates += [pl.col("score").mean().alias("score"), pl.col("parse_success").mean().alias("parsed")]
    table = frame.group_by("temperature").agg(aggregates).sort("temperature")
    header = ["temperature", "completions", "mean words", "empty"] + (
        ["mean score", "parse success"] if scored else []
    )
    cells = [
        [f"{row['temperature']:g}", row["rows"], f"{row['words']:.1f}", f"{row['empty']:.1%}"]
        + ([f"{row['score']:.3f}", f"{row['parsed']:.1%}"] if scored else [])
        for row in table.iter_rows(named=True)
    ]
    return markdown_table(header, cells) + "\n"


def completions_section(path: Path) -> tuple[str, list[dict]]:
    """The `completions` card section: the sampling grid and the completions per temperature.

    Args:
        path (`Path`): the dataset folder.
    """
    frame = read_split_files(path)
    first = frame.row(0, named=True)
    text = (
        "## Completions\n\n"
        f"Model `{first['model']}` (revision `{first['model_revision']}`), backend `{first['backend']}`, "
        f"{first['n_samples']} samples per prompt and temperature, top_p {first['top_p']}, max_tokens "
        f"{first['max_tokens']}, repetition_penalty {first['repetition_penalty']}.\n\n" + temperature_table(frame)
    )
    return text, []


def pairs_section(path: Path) -> tuple[str, list[dict]]:
    """The `pairs` card section: the statistics table per split and overall (the seed card's columns, then how
    spread the rejected scores are and how chosen and rejected compare in length), and score and delta histograms.

    Args:
        path (`Path`): the dataset folder.
    """
    frame = read_split_files(path)
    header = [
        "split",
        "pairs",
        "prompts",
        "mean chosen",
        "mean rejected",
        "mean delta",
        "rejected sd",
        "rejected range",
        "mean length ratio",
        "chosen shorter",
    ]
    parts = [(split, frame.filter(pl.col("split") == split)) for split in frame["split"].unique(maintain_order=True)]
    cells = [
        [
            name,
            part.height,
            part["prompt_id"].n_unique(),
            f"{part['chosen_score'].mean():.3f}",
            f"{part['rejected_score'].mean():.3f}",
            f"{part['delta'].mean():.3f}",
            f"{part['rejected_score'].std() or 0.0:.3f}",
            f"{part['rejected_score'].min():.3f} to {part['rejected_score'].max():.3f}",
            f"{part['length_ratio'].mean():.2f}",
            f"{(part['length_ratio'] < 1).mean():.0%}",
        ]
        for name, part in [*parts, ("all", frame)]
    ]
    lines = ["## Preference pairs\n", markdown_table(header, cells)]
    lines.append(
        "\nLength ratio: chosen words / rejected words; chosen shorter: the share of pairs whose chosen completion is "
        "the shorter one. A reward that favours short texts shows as a ratio well below 1 (see `max_length_ratio`)."
    )
    plots_dir = path / "saga" / "plots"
    plots = [
        histogram_plot(frame["chosen_score"].to_list(), plots_dir / "chosen.png", path, "Chosen scores", "score"),
        histogram_plot(
            frame["rejected_score"].to_list(), plots_dir / "rejected.png", path, "Rejected scores", "score"
        ),
        histogram_plot(
            frame["delta"].to_list(), plots_dir / "delta.png", path, "Score delta (chosen − rejected)", "delta"
        ),
    ]
    return "\n".join(lines) + "\n", plots
