"""The GPU recipe's precision path on CPU: bf16 weights, gradient checkpointing, KL-SFT and DPO steps, a bf16 merge.

The seed recipe trains NorMistral-7B in bf16 with gradient checkpointing; nothing else on CPU runs that path. These
tests run it with a small random-init Mistral that has the real module names (q/k/v/o/gate/up/down projections),
so the LoRA targets, the KL term's second (reference) forward pass under checkpointing and PEFT's merge in bf16 meet
the same code as on a GPU. `use_cpu=True` is the one difference: transformers refuses bf16 without it on a machine
without an accelerator.
"""

from __future__ import annotations

import json
import math

import pytest
import torch
from peft import PeftModel
from safetensors import safe_open
from transformers import AutoModelForCausalLM

import saga.models
from bench.gpu_check import SIZES
from bench.gpu_check import random_mistral as random_mistral_folder
from saga.errors import TrainingInputError
from saga.models import load_model_and_tokenizer, resolve_model
from saga.trainers.dpo_config import LoRADPOConfig
from saga.trainers.kl_sft_config import KLSFTConfig
from saga.trainers.merge import merge_adapter
from saga.trainers.runs import train_adapter

PROJECTIONS = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
BF16 = {"bf16": True, "use_cpu": True, "gradient_checkpointing": True}


@pytest.fixture(scope="module")
def random_mistral(tmp_path_factory):
    """A random-init 2-layer Mistral (grouped-query attention, as NorMistral) with the bundled tokenizer, in bf16:
    the GPU check's `tiny` size."""
    folder = tmp_path_factory.mktemp("mistral") / "random-mistral"
    random_mistral_folder(SIZES["tiny"], folder)
    return folder


@pytest.fixture(scope="module")
def bf16_sft(random_mistral, sft_folder, fast, tmp_path_factory):
    out = tmp_path_factory.mktemp("bf16") / "kl-sft"
    config = KLSFTConfig(output_dir=str(out), **{**fast, **BF16, "learning_rate": 1e-2, "kl_beta": 0.5})
    return out, train_adapter("sft", config, str(sft_folder), out, model_ref=str(random_mistral))


def test_the_random_mistral_has_the_real_module_names(random_mistral):
    model, _ = load_model_and_tokenizer(resolve_model(str(random_mistral)), bf16=True)
    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    assert names >= PROJECTIONS and model.dtype == torch.bfloat16


def test_kl_sft_steps_in_bf16_with_gradient_checkpointing(bf16_sft):
    out, record = bf16_sft
    assert record["precision"] == "bf16" and record["config"]["gradient_checkpointing"] is True
    logs = [entry for entry in record["log_history"] if "loss" in entry]
    assert [entry["step"] for entry in logs] == [1, 2, 3]
    assert all(math.isfinite(entry["loss"]) and math.isfinite(entry["kl"]) for entry in logs)
    assert logs[0]["kl"] == 0.0 and logs[-1]["kl"] > 0, "the reference pass ran (and the adapter moved away)"
    with safe_open(out / "adapter_model.safetensors", "pt") as weights:
        names = list(weights.keys())
        assert {name.split(".lora_")[0].rsplit(".", 1)[-1] for name in names} == PROJECTIONS
        assert all(torch.isfinite(weights.get_tensor(name)).all() for name in names)
        assert any(weights.get_tensor(name).abs().sum() > 0 for name in names if "lora_B" in name)


def test_dpo_steps_in_bf16_with_gradient_checkpointing(random_mistral, pairs_folder, fast, tmp_path):
    out = tmp_path / "dpo"
    config = LoRADPOConfig(output_dir=str(out), **{**fast, **BF16, "learning_rate": 1e-2})
    record = train_adapter("dpo", config, str(pairs_folder), out, model_ref=str(random_mistral))
    assert record["precision"] == "bf16" and record["config"]["gradient_checkpointing"] is True
    logs = [entry for entry in record["log_history"] if "loss" in entry]
    assert len(logs) == 3 and all(math.isfinite(entry["loss"]) for entry in logs)
    assert math.isclose(logs[0]["loss"], math.log(2), rel_tol=1e-2), "the first step starts from the reference"


def test_model_init_kwargs_place_the_base_as_trl_would(random_mistral, sft_folder, fast, tmp_path, monkeypatch):
    """`device_map` and friends reach `from_pretrained` (TRL ignores them for a model passed in loaded); "auto" on a
    machine without GPUs keeps every module on the CPU, and the Trainer trains the placed model."""
    loaded = []

    def spy(location, **kwargs):
        loaded.append((kwargs, real(location, **kwargs)))
        return loaded[-1][1]

    real = saga.models.AutoModelForCausalLM.from_pretrained
    monkeypatch.setattr(saga.models.AutoModelForCausalLM, "from_pretrained", spy)
    init = {"device_map": "auto", "attn_implementation": "eager"}
    config = KLSFTConfig(output_dir=str(tmp_path / "run"), **{**fast, **BF16, "model_init_kwargs": init})
    record = train_adapter("sft", config, str(sft_folder), tmp_path / "run", model_ref=str(random_mistral))
    [(kwargs, model)] = loaded
    assert kwargs["device_map"] == "auto" and kwargs["dtype"] == torch.bfloat16
    assert model.config._attn_implementation == "eager"
    assert record["device_map"] == {"": "cpu"} and record["config"]["model_init_kwargs"] == init
    assert all(math.isfinite(entry["loss"]) for entry in record["log_history"] if "loss" in entry)


def test_model_init_kwargs_cannot_repin_the_revision(random_mistral, sft_folder, fast, tmp_path):
    config = KLSFTConfig(output_dir=str(tmp_path / "run"), **{**fast, "model_init_kwargs": {"revision": "main"}})
    with pytest.raises(TrainingInputError, match="model_init_kwargs sets revision") as error:
        train_adapter("sft", config, str(sft_folder), tmp_path / "run", model_ref=str(random_mistral))
    assert "--model ORG/NAME@REVISION" in error.value.hint
    assert not (tmp_path / "run" / "adapter_model.safetensors").exists()


def test_merge_in_bf16_computes_what_base_plus_adapter_computes(random_mistral, bf16_sft, tmp_path):
    out, _ = bf16_sft
    merged_dir = tmp_path / "merged"
    record = merge_adapter(str(out), merged_dir, dtype="bfloat16")
    assert record["dtype"] == "bfloat16"
    assert json.loads((merged_dir / "config.json").read_text())["dtype"] == "bfloat16"
    merged = AutoModelForCausalLM.from_pretrained(merged_dir, dtype=torch.bfloat16)
    base = AutoModelForCausalLM.from_pretrained(random_mistral, dtype=torch.bfloat16)
    with_adapter = PeftModel.from_pretrained(base, str(out))
    ids = torch.tensor([[1, 50, 60, 70, 80, 90]])
    with torch.no_grad():
        expected, got = with_adapter(ids).logits.float(), merged(ids).logits.float()
    assert not any("lora" in name for name, _ in merged.named_parameters())
    torch.testing.assert_close(got, expected, rtol=0.05, atol=0.05)  # bf16 rounding of the merged weights


def test_gpu_check_runs_its_path_on_cpu(capsys):
    from bench.gpu_check import main

    rows = main(["--size", "tiny", "--cpu", "--steps", "2", "--batch-size", "2", "--max-length", "64"])
    assert [row["trainer"] for row in rows] == ["sft", "dpo"]
    assert all(row["tokens_per_s"] > 0 and row["mfu"] is None for row in rows)
    assert "| sft |" in capsys.readouterr().out
