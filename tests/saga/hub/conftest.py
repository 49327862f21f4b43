"""Fixtures for the publishing tests: tiny dataset folders and a consumer process that loads by reference."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from saga.validation.binding import bound_files

CARD = """---
license: cc-by-sa-4.0
language:
- nb
pretty_name: saga publish test
---
# saga publish test

Rows scored for grammatical quality.
"""
# A 1x1 PNG: binary content, so the Hub (and the test server) stores it with LFS.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)
CONSUMER = textwrap.dedent(
    """
    import json, sys
    import datasets
    from saga.hub.references import load_dataset_ref

    out = {}
    for ref in sys.argv[1:]:
        if ref.startswith("raw:"):  # datasets' own loader at a tag, as a user would call it
            repo_id, revision = ref[4:].split("@")
            splits = datasets.load_dataset(repo_id, revision=revision)
            out[ref] = {"revision": None, "rows": {s: splits[s].to_list() for s in splits}}
        else:
            splits, revision = load_dataset_ref(ref)
            out[ref] = {"revision": revision, "rows": {s: splits[s].to_list() for s in splits}}
    print(json.dumps(out))
    """
)


def write_dataset_folder(
    folder: Path,
    rows: list[dict],
    *,
    success: bool = True,
    shards: int = 1,
    card: str = CARD,
    validation: bool = True,
) -> Path:
    """A dataset folder in the Hub layout: card, `data/train-*.parquet` shards, `saga/` records and a plot."""
    (folder / "data").mkdir(parents=True)
    (folder / "saga" / "plots").mkdir(parents=True)
    (folder / "README.md").write_text(card, encoding="utf-8")
    frame = pl.DataFrame(rows)
    size = -(-len(rows) // shards)
    for shard in range(shards):
        frame.slice(shard * size, size).write_parquet(folder / "data" / f"train-{shard:05d}-of-{shards:05d}.parquet")
    (folder / "saga" / "manifest.json").write_text(json.dumps({"rows": len(rows)}), encoding="utf-8")
    (folder / "saga" / "funnel.json").write_text(json.dumps({"total": len(rows), "kept": len(rows)}), encoding="utf-8")
    (folder / "saga" / "plots" / "funnel.png").write_bytes(PNG)
    if validation:
        failed = [] if success else ["expect_column_values_to_be_between(score)"]
        record = {"success": success, "suite": "saga_test_suite.v1", "failed": failed, "files": bound_files(folder)}
        (folder / "saga" / "validation.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


@pytest.fixture
def consume(hub_env):
    """Factory: `consume(*references)` loads each reference in a fresh process configured only by the Hub env.

    A reference `raw:ORG/NAME@REV` goes straight to `datasets.load_dataset(repo, revision=REV)`; others go through
    `load_dataset_ref`. Returns `({reference: {"revision", "rows"}}, completed_process)`.
    """

    def run(*references: str) -> tuple[dict, subprocess.CompletedProcess]:
        result = subprocess.run(
            [sys.executable, "-c", CONSUMER, *references], env=hub_env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1]), result

    return run


@pytest.fixture
def dataset_folder(tmp_path):
    """Factory: `dataset_folder(name, rows, **options)` writes a dataset folder under `tmp_path`."""

    def make(name: str, data: list[dict], **options) -> Path:
        return write_dataset_folder(tmp_path / name, data, **options)

    return make
