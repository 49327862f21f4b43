"""`completions` on the bundled tiny policy: config errors, identical completions for the same seed and config on
CPU, and a killed build that continues from its finished shards."""

import os
import signal
import subprocess
import sys
import time

import polars as pl
import pytest
import yaml

from saga.builders.completions import CompletionsConfig
from saga.builders.generation import BackendNotInstalledError
from saga.errors import InputDataError, ReferenceResolutionError
from saga.stages import run_stage

FAST = {
    "temperatures": (0.7, 1.1),
    "n_samples": 2,
    "max_tokens": 24,
    "max_prompts": 6,
    "splits": ("train",),
    "shard_size": 1,
    "device": "cpu",
    "threads": 1,
}
COLUMNS = ["prompt_id", "temperature", "sample_idx", "seed", "completion"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": "tgi"}, "backend must be one of"),
        ({"temperatures": (0.7, 0.7)}, "temperatures must be a non-empty grid without repeats"),
        ({"temperatures": (0.0,)}, "temperature must be > 0"),
        ({"n_samples": 0}, "n must be >= 1"),
        ({"shard_size": 0}, "shard_size must be >= 1"),
    ],
)
def test_bad_config_names_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CompletionsConfig(name="default", **kwargs)


def test_stage_errors_name_the_field_or_reference(prompts_root, tmp_path):
    with pytest.raises(InputDataError, match=r"completions: unknown config field\(s\) \['temperature'\]"):
        run_stage("completions", {"temperature": 0.7}, root=prompts_root, out_dir=tmp_path / "c")
    with pytest.raises(ReferenceResolutionError, match="'./no-such-model' is neither a local folder nor a Hub"):
        run_stage("completions", {"model": "./no-such-model"}, root=prompts_root, out_dir=tmp_path / "c")


def test_vllm_backend_without_vllm_fails_with_the_install_hint(prompts_root, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "vllm", None)  # as if vLLM were not installed (it is not, on CPU machines)
    with pytest.raises(BackendNotInstalledError, match="needs vLLM") as info:
        run_stage("completions", {**FAST, "backend": "vllm"}, root=prompts_root, out_dir=tmp_path / "c")
    assert "pip install 'saga[gpu]'" in info.value.hint


def test_same_seed_and_config_give_the_same_completions(prompts_root, tmp_path):
    config = {**FAST, "max_prompts": 3}
    first, _ = run_stage("completions", {**config, "work_dir": str(tmp_path / "w1")}, prompts_root, tmp_path / "a")
    second, _ = run_stage("completions", {**config, "work_dir": str(tmp_path / "w2")}, prompts_root, tmp_path / "b")
    assert not first.reused and not second.reused, "both generated from scratch (separate shard caches)"
    a = pl.read_parquet(tmp_path / "a" / "data" / "*.parquet")
    b = pl.read_parquet(tmp_path / "b" / "data" / "*.parquet")
    assert a.height == 3 * 2 * 2 and a.select(COLUMNS).equals(b.select(COLUMNS))
    assert a["model_revision"].n_unique() == 1 and a["repetition_penalty"].unique().to_list() == [1.3]


def test_killed_build_continues_from_finished_shards(prompts_root, tmp_path, caplog):
    work_dir = tmp_path / "shards"
    config = {**FAST, "work_dir": str(work_dir)}
    config_file = tmp_path / "completions.yaml"
    config_file.write_text(yaml.safe_dump({k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}))
    command = [sys.executable, "-m", "saga.cli.main", "build", "completions", "--config", str(config_file)]
    command += ["--root", str(prompts_root), "--out", str(tmp_path / "completions")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline and process.poll() is None and not list(work_dir.glob("*/train-*.jsonl")):
        time.sleep(0.05)
    assert process.poll() is None, "the build finished (or failed) before it could be interrupted"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = {path: path.stat().st_mtime_ns for path in work_dir.glob("*/train-*.jsonl")}
    assert 0 < len(finished) < 6
    assert not (tmp_path / "completions" / "saga" / "manifest.json").exists()

    caplog.set_level("INFO", logger="saga.builders.completions")
    result, report = run_stage("completions", config, root=prompts_root, out_dir=tmp_path / "completions")
    assert report.success and result.rows == {"train": 6 * 2 * 2}
    generated = 6 - len(finished)
    assert f"train: {generated} shard(s) generated, {len(finished)} reused" in caplog.text
    assert {path: path.stat().st_mtime_ns for path in finished} == finished, "finished shards were not rewritten"
