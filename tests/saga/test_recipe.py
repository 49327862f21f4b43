"""Recipes: every key is checked against the config classes, and `saga run --dry-run` plans without the network."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import yaml

from saga.cli.main import main
from saga.errors import RecipeError
from saga.recipe import ORDER, load_recipe

RECIPES = Path(__file__).resolve().parents[2] / "recipes"
MINIMAL = {"name": "t", "root": "build/t"}


def write_recipe(tmp_path: Path, **sections) -> Path:
    path = tmp_path / "recipe.yaml"
    path.write_text(yaml.safe_dump({**MINIMAL, **sections}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"stages": {}}, r"recipe.yaml: the recipe: unknown key 'stages'"),
        ({"sft": {"min_scor": 0.6}}, r"recipe.yaml: section sft: unknown key 'min_scor'"),
        ({"kl_sft": {"kl_betaa": 0.1}}, r"section kl_sft: unknown key 'kl_betaa'"),
        ({"eval": {"samples": 2}}, r"section eval: unknown key 'samples'"),
        ({"scorer": {"model": "x"}}, r"section scorer: unknown key 'model'"),
        ({"completions": {"model": "other"}}, r"section completions: 'model' is set by the recipe itself"),
        ({"scored": {"input_dir": "x"}}, r"section scored: 'input_dir' is set by the recipe itself"),
        ({"dpo": {"output_dir": "x"}}, r"section dpo: 'output_dir' is set by the recipe itself"),
        ({"pairs": {"min_delta": 5.0}}, r"section pairs: min_delta must be in \(0, 2\], got 5.0"),
        ({"kl_sft": {"kl_beta": -1.0}}, r"section kl_sft: kl_beta must be >= 0, got -1.0"),
        ({"eval": {"backend": "hf"}}, r"section eval: backend must be one of"),
        ({"merge": {"dtype": "int8"}}, r"section merge: dtype must be float32 or bfloat16"),
        ({"push": {"merge": {"repo_id": "o/n", "tag": "v1.0.0"}}}, r"section push: unknown key 'merge'"),
        ({"push": {"sft": {"repo_id": "o/n", "tag": "1.0"}}}, r"push.sft: tag must look like vX.Y.Z"),
        ({"push": {"sft": {"repo_id": "o/n"}}}, r"push.sft needs repo_id and tag"),
        ({"seed": "zero"}, r"'seed' must be a non-negative integer"),
        ({"sentences": [1, 2]}, r"section sentences must be a mapping"),
    ],
)
def test_invalid_recipe_names_the_key_and_the_file(tmp_path, sections, message):
    with pytest.raises(RecipeError, match=message):
        load_recipe(write_recipe(tmp_path, **sections), check_only=True)


def test_missing_root_and_unreadable_file(tmp_path):
    path = tmp_path / "recipe.yaml"
    path.write_text("name: t\n", encoding="utf-8")
    with pytest.raises(RecipeError, match="'root' is required"):
        load_recipe(path)
    with pytest.raises(RecipeError, match="cannot read recipe"):
        load_recipe(tmp_path / "missing.yaml")


def test_wiring_and_defaults(tmp_path):
    recipe = load_recipe(write_recipe(tmp_path, seed=7, scorer={"pipeline": "p"}, completions={"n_samples": 2}))
    completions = recipe.dataset_config("completions")
    assert completions["model"] == str(Path("build/t/models/sft-merged"))
    assert completions["input_dir"] == str(Path("build/t/datasets/prompts"))
    assert (completions["seed"], completions["n_samples"]) == (7, 2)
    assert recipe.dataset_config("scored_completions")["pipeline"] == "p"
    assert recipe.training_values("dpo")["seed"] == 7
    assert recipe.eval_config().seed == 7
    assert [step.name for step in recipe.plan()] == list(ORDER)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during a dry run: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize("name", ["demo-cpu.yaml", "normistral-nb-klsft-delta-dpo.yaml"])
def test_dry_run_prints_the_full_plan_without_network(name, no_network, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written: the working directory stays empty
    assert main(["run", str(RECIPES / name), "--dry-run"]) == 0
    out = capsys.readouterr().out
    for index, stage in enumerate(ORDER, 1):
        assert f"{index:>2}. {stage}: " in out
    assert list(tmp_path.iterdir()) == []
    if name.startswith("normistral"):
        assert "norallm/normistral-7b-warm-instruct@main" in out
        assert "wikimedia/wikipedia 20231101.nb@main" in out
        assert "grammar scorer nb_core_news_lg" in out
        assert "backend=vllm" in out and "temperatures=[0.7, 0.8, 0.9, 1.0, 1.1]" in out
        assert "min_delta=0.25, min_chosen=0.2" in out and "min_score=0.65" in out
        assert "lora_r=16, lora_alpha=32, lora_dropout=0.05" in out
        assert "per_device_train_batch_size=8, gradient_accumulation_steps=8" in out
        assert "num_train_epochs=5" in out and "num_train_epochs=2" in out and "bf16=True" in out


def test_dry_run_error_is_one_line(tmp_path, capsys):
    assert main(["run", str(write_recipe(tmp_path, sft={"min_scor": 1})), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("saga: error: ") and "unknown key 'min_scor'" in err and "hint: known keys:" in err


def test_saga_demo_is_the_demo_recipe(capsys, no_network):
    assert main(["demo", "--dry-run"]) == 0
    assert "recipe demo-cpu (" in capsys.readouterr().out


def test_run_executor_flags_override_the_recipe_for_the_scoring_and_generation_stages(capsys, no_network):
    command = ["run", str(RECIPES / "demo-cpu.yaml"), "--dry-run", "--executor", "ray", "--ray-address", "auto"]
    assert main([*command, "--num-workers", "3"]) == 0
    setting = "executor={'type': 'ray', 'address': 'auto', 'num_workers': 3}"
    shown, stage = set(), None
    for line in capsys.readouterr().out.splitlines():
        if re.match(r" ?\d+\. ", line):
            stage = line.split(". ", 1)[1].split(":")[0]
        elif setting in line:
            shown.add(stage)
    assert shown == {"scored", "completions", "scored_completions"}
