"""The stage chain on real parses: build → validate → card, resumable scoring, and config errors."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import polars as pl
import pytest

from saga.errors import InputDataError
from saga.stages import run_stage


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets")
    run_stage("sentences", {"max_articles": 60}, root=root)
    return root


def test_scored_sft_prompts_chain(root):
    scored, report = run_stage("scored", root=root)
    assert report.success and scored.rows["train"] > 100
    sft, _ = run_stage("sft", {"min_score": 0.65}, root=root)
    frame = pl.read_parquet(root / "sft" / "data" / "*.parquet")
    assert frame.height == sum(sft.rows.values()) and (frame["score"] >= 0.65).all()
    prompts, _ = run_stage("prompts", root=root)
    prompt_articles = set(pl.read_parquet(root / "prompts" / "data" / "*.parquet")["article_id"])
    assert prompt_articles and not prompt_articles & set(frame["article_id"])
    card = (root / "scored" / "README.md").read_text()
    assert "## Grammar scores" in card and "saga/plots/scores.png" in card


def test_unknown_config_field_is_one_clear_error(root):
    with pytest.raises(InputDataError, match=r"sft: unknown config field\(s\) \['min_scor'\]"):
        run_stage("sft", {"min_scor": 0.7}, root=root)
    with pytest.raises(InputDataError, match="sft: bad config: min_score must be in"):
        run_stage("sft", {"min_score": 3.0}, root=root)


def test_killed_scoring_resumes_without_rescoring(root, tmp_path, caplog):
    config = tmp_path / "scored.yaml"
    cache = tmp_path / "scores.sqlite"
    config.write_text(f"batch_size: 8\nscore_cache: {cache}\n")
    command = [sys.executable, "-m", "saga.cli.main", "build", "scored", "--config", str(config), "--root", str(root)]
    command += ["--out", str(tmp_path / "scored")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    scored_before = 0
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None and scored_before < 16:
        time.sleep(0.05)
        scored_before = _cached_rows(cache)
    assert process.poll() is None, "the build finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    scored_before = _cached_rows(cache)
    assert not (tmp_path / "scored" / "saga" / "manifest.json").exists()

    caplog.set_level("INFO", logger="saga.builders.scoring.scorer")
    result, _ = run_stage(
        "scored", {"batch_size": 8, "score_cache": str(cache)}, root=root, out_dir=tmp_path / "scored"
    )
    total = result.rows["train"]
    chunks = [r.getMessage() for r in caplog.records if "to parse" in r.getMessage()]
    cached = sum(int(m.split(": ")[1].split(" cached")[0]) for m in chunks)
    assert 0 < scored_before < total
    assert cached == scored_before, chunks
    manifest = json.loads((tmp_path / "scored" / "saga" / "manifest.json").read_text())
    assert manifest["rows"]["train"] == total


def _cached_rows(cache) -> int:
    """Rows in the score cache; 0 while the file or its table is still being created."""
    if not cache.exists():
        return 0
    try:
        with sqlite3.connect(cache) as db:
            return db.execute("SELECT count(*) FROM scores").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sft_can_write_its_dropped_sentences_with_scores_and_reasons(root, tmp_path):
    if not (root / "scored" / "data").is_dir():
        run_stage("scored", root=root)
    result, _ = run_stage("sft", {"write_dropped": True}, root=root, out_dir=tmp_path / "sft")
    dropped = pl.read_parquet(result.out_dir / "saga" / "dropped.parquet")
    [selection] = json.loads((result.out_dir / "saga" / "funnel.json").read_text())
    assert dict(dropped.group_by("reason").len().iter_rows()) == {k: v for k, v in selection["dropped"].items() if v}
    below = dropped.filter(pl.col("reason") == "below_min_score")
    assert below.height and (below["score"].cast(pl.Float64) < 0.65).all()
