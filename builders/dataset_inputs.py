"""Reading a previous stage's dataset folder as the input of the next builder."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from saga.errors import InputDataError


def manifest_of(path: str | Path) -> dict:
    """The `saga/manifest.json` of a dataset folder, or a clear error naming the folder."""
    manifest = Path(path) / "saga" / "manifest.json"
    if not manifest.is_file():
        raise InputDataError(f"{path}: not a saga dataset folder (no saga/manifest.json)", hint="build it first")
    return json.loads(manifest.read_text())


def input_fingerprint(path: str | Path) -> str:
    """The build fingerprint recorded in a dataset folder (what the next stage's fingerprint depends on)."""
    return manifest_of(path)["fingerprint"]


def read_split_files(path: str | Path, columns: list[str] | None = None) -> pl.DataFrame:
    """All `data/*.parquet` of a dataset folder as one frame with a `split` column, in file order."""
    files = sorted((Path(path) / "data").glob("*.parquet"))
    if not files:
        raise InputDataError(f"{path}: no data/*.parquet files")
    frames = []
    for file in files:
        frame = pl.read_parquet(file, columns=columns)
        frames.append(frame.with_columns(split=pl.lit(file.name.split("-")[0])))
    return pl.concat(frames, how="vertical_relaxed")
