"""Tiny dataset folders (Hub layout) from the bundled Wikipedia sample, and the fast settings of trainer tests.

The SFT rows are real Norwegian sentences as `saga build sft` formats them; the preference pairs put each sentence
against the same words in reverse order, lower-cased (clearly worse Norwegian), as `saga build pairs` would pair a
good and a bad completion. Runs use the bundled tiny model, a few steps and short sequences.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import polars as pl
import pytest

from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.threads import torch_threads

WIKI = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
FAST = {
    "max_steps": 3,
    "per_device_train_batch_size": 4,
    "gradient_accumulation_steps": 1,
    "use_cpu": True,
    "gradient_checkpointing": False,
    "logging_steps": 1,
    "max_length": 64,
    "seed": 0,
    "disable_tqdm": True,
}


@pytest.fixture(scope="module")
def fast() -> dict:
    """The fast settings as config keyword arguments."""
    return dict(FAST)


@pytest.fixture(scope="module")
def fast_flags():
    """Factory: `fast_flags(**overrides)` gives the fast settings as `saga train` flags."""

    def flags(**overrides) -> list[str]:
        return [part for key, value in {**FAST, **overrides}.items() for part in (f"--{key}", str(value))]

    return flags


def wiki_rows(count: int) -> list[dict]:
    """The first `count` sentences of 5–25 words from the bundled sample, with their article title."""
    rows = []
    for line in Path(str(WIKI)).read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        for paragraph in paragraphs(article["text"], article["title"])[0]:
            for sentence in split_sentences(paragraph):
                if 5 <= len(sentence.split()) <= 25:
                    rows.append({"title": article["title"], "text": sentence})
                    if len(rows) == count:
                        return rows
    return rows


def write_folder(folder: Path, rows: list[dict]) -> Path:
    """A dataset folder in the Hub layout: `data/train-00000-of-00001.parquet`."""
    (folder / "data").mkdir(parents=True)
    pl.DataFrame(rows).write_parquet(folder / "data" / "train-00000-of-00001.parquet")
    return folder


@pytest.fixture(scope="session")
def sft_folder(tmp_path_factory) -> Path:
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"Skriv en setning om {row['title']}."},
                {"role": "assistant", "content": row["text"]},
            ],
            "text": row["text"],
            "title": row["title"],
        }
        for row in wiki_rows(24)
    ]
    return write_folder(tmp_path_factory.mktemp("datasets") / "sft", rows)


@pytest.fixture(scope="session")
def pairs_folder(tmp_path_factory) -> Path:
    rows = [
        {
            "prompt": [{"role": "user", "content": f"Skriv en setning om {row['title']}."}],
            "chosen": [{"role": "assistant", "content": row["text"]}],
            "rejected": [{"role": "assistant", "content": " ".join(reversed(row["text"].split())).lower()}],
        }
        for row in wiki_rows(16)
    ]
    return write_folder(tmp_path_factory.mktemp("datasets") / "pairs", rows)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """One intra-op thread: the tiny model gains nothing from more, and on a busy machine they spin and wait."""
    with torch_threads(1):
        yield
