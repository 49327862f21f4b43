"""Card sections of the generation datasets: completions by temperature, and the preference-pair statistics.

The pairs table has the columns of the seed's DPO data card (pairs, mean chosen, mean rejected, mean delta), per
split and overall; numbers are read from the dataset folder, never typed by hand.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from saga.builders.dataset_inputs import read_split_files
from saga.cards.plots import histogram_plot


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
    header = "| temperature | completions | mean words | empty |" + (" mean score | parse success |" if scored else "")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for row in table.iter_rows(named=True):
        line = f"| {row['temperature']:g} | {row['rows']} | {row['words']:.1f} | {row['empty']:.1%} |"
        if scored:
            line += f" {row['score']:.3f} | {row['parsed']:.1%} |"
        lines.append(line)
    return "\n".join(lines) + "\n"


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
    lines = [
        "## Preference pairs\n",
        "| split | pairs | prompts | mean chosen | mean rejected | mean delta | rejected sd | rejected range |"
        " mean length ratio | chosen shorter |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    parts = [(split, frame.filter(pl.col("split") == split)) for split in frame["split"].unique(maintain_order=True)]
    for name, part in [*parts, ("all", frame)]:
        rejected = part["rejected_score"]
        lines.append(
            f"| {name} | {part.height} | {part['prompt_id'].n_unique()} | {part['chosen_score'].mean():.3f} | "
            f"{rejected.mean():.3f} | {part['delta'].mean():.3f} | {rejected.std() or 0.0:.3f} | "
            f"{rejected.min():.3f} to {rejected.max():.3f} | {part['length_ratio'].mean():.2f} | "
            f"{(part['length_ratio'] < 1).mean():.0%} |"
        )
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
