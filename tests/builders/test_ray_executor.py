"""The heavy stages on a local Ray cluster (2 CPUs, started and stopped here): the same bytes as a local run.

`scored`, `completions` (transformers backend) and `scored_completions` are built twice, in two roots holding the
same inputs: once in this process and once with `executor: {type: ray}`. The parquet files, build fingerprints and
funnels must be identical. A Ray run whose shards are partly done redoes only the rest, and asking for Ray without
it installed is one clear error.
"""

import json
import shutil
import sys
from pathlib import Path

import polars as pl
import pytest
import ray

from saga.builders.executor import RayExecutor
from saga.builders.scoring import GrammarScorer, GrammarScorerConfig
from saga.builders.scoring.cache import ScoreCache
from saga.errors import ExecutorError
from saga.stages import run_stage
from tests.builders.test_completions import FAST

GENERATION = {**FAST, "max_prompts": 4}
RAY = {"type": "ray", "num_workers": 2, "shard_size": 256}
STAGES = ("scored", "completions", "scored_completions")


@pytest.fixture(scope="module")
def cluster():
    """A local Ray instance with 2 CPUs for this module's tests (the executor joins it instead of starting one)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def copy_inputs(prompts_root: Path, root: Path) -> Path:
    for stage in ("sentences", "prompts"):
        shutil.copytree(prompts_root / stage, root / stage)
    return root


def build_chain(root: Path, executor: dict | None) -> dict:
    """Build the three stages under `root` (on `executor`); each stage's build result."""
    extra = {} if executor is None else {"executor": executor}
    return {
        "scored": run_stage("scored", extra, root=root)[0],
        "completions": run_stage("completions", {**GENERATION, **extra}, root=root)[0],
        "scored_completions": run_stage("scored_completions", extra, root=root)[0],
    }


@pytest.fixture(scope="module")
def chains(prompts_root, tmp_path_factory, cluster):
    """The chain built locally and on Ray, and the actor classes the Ray build sent its shards to."""
    local = copy_inputs(prompts_root, tmp_path_factory.mktemp("local"))
    on_ray = copy_inputs(prompts_root, tmp_path_factory.mktemp("ray"))
    local_results = build_chain(local, None)
    sent, map_shards = [], RayExecutor.map_shards

    def recorded(self, actor, *args, **kwargs):
        sent.append(actor.__name__)
        return map_shards(self, actor, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RayExecutor, "map_shards", recorded)
        ray_results = build_chain(on_ray, RAY)
    assert sent == ["ScoreActor", "GenerateActor", "ScoreActor"], "each stage ran on Ray"
    return (local, local_results), (on_ray, ray_results)


@pytest.mark.parametrize("stage", STAGES)
def test_ray_build_has_the_bytes_fingerprint_and_funnel_of_the_local_build(chains, stage):
    (local, local_results), (on_ray, ray_results) = chains
    assert local_results[stage].fingerprint == ray_results[stage].fingerprint
    assert local_results[stage].rows == ray_results[stage].rows and sum(local_results[stage].rows.values()) > 0
    files = sorted(path.name for path in (local / stage / "data").glob("*.parquet"))
    assert files == sorted(path.name for path in (on_ray / stage / "data").glob("*.parquet"))
    for name in files:
        assert (local / stage / "data" / name).read_bytes() == (on_ray / stage / "data" / name).read_bytes(), name
    funnel = (local / stage / "saga" / "funnel.json").read_text()
    assert funnel == (on_ray / stage / "saga" / "funnel.json").read_text()


def test_ray_scores_are_real_and_in_input_order(chains):
    (_, _), (on_ray, _) = chains
    scored = pl.read_parquet(on_ray / "scored" / "data" / "*.parquet")
    sentences = pl.read_parquet(on_ray / "sentences" / "data" / "*.parquet")
    assert scored["text"].to_list() == sentences["text"].to_list()[: scored.height]
    assert scored["score"].n_unique() > 10 and scored["parse_success"].any() and not scored["parse_success"].all()


def test_killed_ray_generation_redoes_only_the_missing_shards(prompts_root, chains, tmp_path, caplog):
    (_, _), (on_ray, _) = chains
    root = copy_inputs(prompts_root, tmp_path / "root")  # a fresh root: no built dataset to reuse
    shutil.copytree(on_ray / ".cache" / "completions", root / ".cache" / "completions")
    shards = sorted((root / ".cache" / "completions").glob("*/train-*.jsonl"))
    assert len(shards) == 4
    for lost in shards[1::2]:
        lost.unlink()  # as if the run had been killed before these two shards came back
    kept = {path: path.stat().st_mtime_ns for path in shards[0::2]}
    caplog.set_level("INFO", logger="saga.builders.completions")
    run_stage("completions", {**GENERATION, "executor": RAY}, root=root)
    assert "train: 2 shard(s) generated, 2 reused" in caplog.text
    assert {path: path.stat().st_mtime_ns for path in kept} == kept, "finished shards were not regenerated"
    again = (root / "completions" / "data" / "train-00000-of-00001.parquet").read_bytes()
    assert again == (on_ray / "completions" / "data" / "train-00000-of-00001.parquet").read_bytes()


def test_ray_scoring_sends_only_uncached_texts_and_caches_each_shard(cluster, tmp_path, caplog):
    texts = ["Huset er stort.", "Huset stort.", "", "Jeg liker å lese bøker om kvelden.", "Hun gikk hjem."]
    scorer = GrammarScorer(GrammarScorerConfig(), cache=ScoreCache(tmp_path / "scores.sqlite"))
    local = [result.to_dict() for result in scorer.score_batch(texts[:2])]  # two texts cached, locally
    caplog.set_level("INFO", logger="saga.builders.scoring.scorer")
    executor = RayExecutor(num_workers=2, shard_size=1)
    on_ray = [result.to_dict() for result in scorer.score_batch(texts, executor=executor)]
    assert "5 texts: 2 cached, 2 to parse" in caplog.text
    assert on_ray[:2] == local and on_ray[2]["reason"] == "empty"
    assert len(scorer.cache) == 4, "each shard's results were stored"
    assert on_ray == [result.to_dict() for result in GrammarScorer(GrammarScorerConfig()).score_batch(texts)]


def test_ray_requested_but_not_installed_is_one_clear_error(prompts_root, tmp_path, monkeypatch):
    root = copy_inputs(prompts_root, tmp_path / "root")
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ExecutorError, match="needs Ray with Ray Data, which is not installed") as info:
        run_stage("scored", {"executor": {"type": "ray"}}, root=root)
    assert "pip install 'saga[ray]'" in info.value.hint


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("ray", "executor must be a mapping with a 'type'"),
        ({"type": "slurm"}, "executor type must be one of local, ray, got 'slurm'"),
        ({"type": "ray", "workers": 2}, r"unknown executor key\(s\) \['workers'\]"),
        ({"type": "ray", "num_workers": 0}, "executor num_workers must be an integer >= 1, got 0"),
        ({"type": "ray", "shard_size": "big"}, "executor shard_size must be an integer >= 1, got 'big'"),
        ({"type": "ray", "address": 6379}, "executor address must be a string"),
    ],
)
def test_bad_executor_settings_name_the_key(setting, message):
    with pytest.raises(ExecutorError, match=message):
        RayExecutor.from_config(setting)


def test_local_executor_is_the_default():
    assert RayExecutor.from_config(None) is None and RayExecutor.from_config({"type": "local"}) is None
    made = RayExecutor.from_config({"type": "ray", "address": "auto", "num_workers": 8})
    assert made == RayExecutor(address="auto", num_workers=8, shard_size=1024)


def test_recipe_executor_reaches_the_scoring_and_generation_stages(tmp_path):
    from saga.recipe import load_recipe

    recipe = tmp_path / "recipe.yaml"
    setting = {"type": "ray", "address": "auto", "num_workers": 4}
    recipe.write_text(json.dumps({"name": "r", "root": str(tmp_path / "out"), "executor": setting}))
    loaded = load_recipe(recipe, check_only=True)
    for stage in STAGES:
        assert loaded.dataset_config(stage)["executor"] == setting
    assert "executor" not in loaded.dataset_config("sentences") and "executor" not in loaded.dataset_config("pairs")
    recipe.write_text(json.dumps({"name": "r", "root": "out", "executor": {"type": "ray", "num_workers": -1}}))
    with pytest.raises(Exception, match="executor: executor num_workers must be an integer >= 1, got -1"):
        load_recipe(recipe, check_only=True)
