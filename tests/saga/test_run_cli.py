"""`saga run` end to end on a minimal recipe: every stage runs once, and a second run skips every stage."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from saga.cli.main import main
from saga.pipeline import STAGE_RECORD
from saga.recipe import ORDER

FAST_TRAINING = {
    "use_cpu": True,
    "gradient_checkpointing": False,
    "max_steps": 2,
    "per_device_train_batch_size": 4,
    "gradient_accumulation_steps": 1,
    "max_length": 64,
    "logging_steps": 1,
    "lora_r": 4,
    "lora_alpha": 8,
    "lora_target_modules": ["q_proj", "v_proj"],
}


def minimal_recipe(root: Path) -> dict:
    """Few articles, two training steps, a handful of short completions: every stage, in about a minute."""
    return {
        "name": "minimal",
        "root": str(root),
        "seed": 0,
        "threads": 1,
        "sentences": {"max_articles": 80},  # enough prompt articles for a test split
        "prompts": {"max_prompts": 6},
        "kl_sft": {**FAST_TRAINING, "learning_rate": 1e-3},
        "completions": {
            "temperatures": [1.0],
            "n_samples": 4,
            "max_tokens": 12,
            "max_prompts": 6,
            "splits": ["train"],
        },
        # lenient thresholds: with 12-token completions of a tiny model, the seed's 0.25/0.2 may leave no pair
        "pairs": {"min_delta": 0.01, "min_chosen": -1.0, "strategy": "all"},
        "dpo": {**FAST_TRAINING, "max_steps": 1, "per_device_train_batch_size": 2},
        "eval": {"max_prompts": 2, "n_samples": 2, "max_tokens": 12, "max_heldout": 8},
    }


def test_first_run_builds_every_stage_and_second_run_skips_all(tmp_path, capsys, hub_env, hub, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)  # TRL's telemetry would call the test Hub
    root = tmp_path / "out"
    recipe = tmp_path / "minimal.yaml"
    push = {"sft": {"repo_id": "saga-org/nb-sft", "tag": "v1.0.0"}}
    push["kl_sft"] = {"repo_id": "saga-org/nb-sft-lora", "tag": "v1.0.0"}
    recipe.write_text(yaml.safe_dump({**minimal_recipe(root), "push": push}), encoding="utf-8")

    assert main(["run", str(recipe)]) == 0
    first = capsys.readouterr()
    states = _states(first.out)
    assert list(states) == [*ORDER, "push"]
    assert set(states.values()) == {"built", "pushed"} and states["push"] == "pushed", states
    assert "[11/12] eval: built" in first.err
    assert json.loads((root / "push" / "kl_sft.json").read_text())["tag"] == "v1.0.0"

    for stage, folder in (("kl_sft", "models/kl-sft"), ("merge", "models/sft-merged"), ("dpo", "models/dpo")):
        record = json.loads((root / folder / STAGE_RECORD).read_text())
        assert record["stage"] == stage and len(record["fingerprint"]) == 32
    report = json.loads((root / "eval" / "eval.json").read_text())
    assert [row["model"] for row in report["rows"]] == ["base", "KL-SFT", "DPO"]
    for adapter, label in (("kl-sft", "KL-SFT"), ("dpo", "DPO")):
        beside = json.loads((root / "models" / adapter / "eval.json").read_text())
        assert beside["adapter_row"] == label and beside["rows"] == report["rows"]
        card = (root / "models" / adapter / "README.md").read_text()
        assert "## Evaluation" in card and f"**{label}** (this adapter)" in card
    assert "SFT rows: " in first.out and "pairs: train " in first.out
    assert "| base | 4 |" in first.out and "| DPO | 4 |" in first.out

    assert main(["run", str(recipe)]) == 0
    second = capsys.readouterr()
    assert set(_states(second.out).values()) == {"reused"}, second.out
    assert _table(second.out) == _table(first.out)  # the same evaluation numbers, read back from eval.json


def _states(out: str) -> dict[str, str]:
    rows = [line.split("|") for line in out.splitlines() if line.startswith("| ") and line.count("|") == 6]
    return {cells[1].strip(): cells[2].strip() for cells in rows if cells[1].strip() in (*ORDER, "push")}


def _table(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("| base", "| KL-SFT", "| DPO"))]
