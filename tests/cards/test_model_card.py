"""Model cards render every variable (StrictUndefined), parse back with Hub metadata, and show matching usage."""

from __future__ import annotations

import json

import jinja2
import pytest
from huggingface_hub import ModelCard

from saga.cards.model import (
    ADAPTER_TEMPLATE,
    MERGED_TEMPLATE,
    TINY_POLICY_TEMPLATE,
    adapter_card_inputs,
    merged_card_inputs,
    tiny_policy_card_inputs,
)

SHA_BASE, SHA_DATA, SHA_SFT = "a" * 40, "b" * 40, "c" * 40
HUB_BASE = {"ref": "norallm/normistral-7b-warm-instruct@main", "kind": "hub", "revision": SHA_BASE}
HUB_BASE.update(repo_id="norallm/normistral-7b-warm-instruct", merged_from=None)
LIBRARIES = {"saga": "0.1.0", "trl": "1.16.0", "peft": "0.21.2", "torch": "2.13.0"}


def training_record(kind: str, base: dict, dataset_repo: str) -> dict:
    config = {
        "learning_rate": 2e-4,
        "lr_scheduler_type": "linear",
        "warmup_steps": 0,
        "num_train_epochs": 5.0,
        "max_steps": -1,
        "per_device_train_batch_size": 8,
        "gradient_accumulation_steps": 8,
        "lora_r": 16,
        "lora_alpha": 32,
        "lora_dropout": 0.05,
        "lora_target_modules": ["q_proj", "v_proj"],
        "seed": 42,
        "max_length": 1024,
        **({"kl_beta": 0.1, "kl_chunk_size": 1024, "assistant_only_loss": True} if kind == "sft" else {}),
        **({"beta": 0.1, "loss_type": ["sigmoid"], "precompute_ref_log_probs": True} if kind == "dpo" else {}),
    }
    last = {"loss": 1.5, "ce": 1.4, "kl": 0.9} if kind == "sft" else {"loss": 0.6, "rewards/accuracies": 0.75}
    return {
        "kind": kind,
        "trainer": "KLSFTTrainer" if kind == "sft" else "LoRADPOTrainer",
        "config": config,
        "seed": 42,
        "dataset": {
            "ref": f"{dataset_repo}@v1.0.0",
            "revision": SHA_DATA,
            "repo_id": dataset_repo,
            "rows": {"train": 9},
        },
        "base_model": base,
        "libraries": LIBRARIES,
        "precision": "bf16",
        "parameters": {"trainable": 10, "total": 1000},
        "metrics": {"global_step": 70, "epoch": 5.0, "train_loss": 1.6, "last_logged": last},
        "adapter_sha256": "d" * 64,
    }


@pytest.fixture
def sft_dir(tmp_path):
    folder = tmp_path / "sft"
    (folder / "saga").mkdir(parents=True)
    (folder / "saga" / "training.json").write_text(json.dumps(training_record("sft", HUB_BASE, "me/nb-sft")))
    return folder


@pytest.fixture
def dpo_dir(tmp_path):
    """A DPO adapter whose base is a local merged checkpoint of a published SFT adapter."""
    merge = {
        "adapter": {"ref": "me/nb-sft-lora@v1.0.0", "repo_id": "me/nb-sft-lora", "revision": SHA_SFT},
        "base_model": HUB_BASE,
    }
    merge["adapter"].update(
        kind="sft", adapter_sha256="e" * 64, dataset=training_record("sft", HUB_BASE, "me/nb-sft")["dataset"]
    )
    merged_base = {
        "ref": "runs/sft-merged",
        "kind": "folder",
        "revision": "f" * 64,
        "repo_id": None,
        "merged_from": merge,
    }
    folder = tmp_path / "dpo"
    (folder / "saga").mkdir(parents=True)
    (folder / "saga" / "training.json").write_text(json.dumps(training_record("dpo", merged_base, "me/nb-pairs")))
    return folder


def render_strict(template, card_data, variables) -> str:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return environment.from_string(template.read_text(encoding="utf-8")).render(
        card_data=card_data.to_yaml(), **variables
    )


def test_sft_card_has_hub_metadata_the_table_and_pinned_usage(sft_dir):
    text = render_strict(ADAPTER_TEMPLATE, *adapter_card_inputs(sft_dir, "me/nb-sft-lora", "v1.0.0"))
    data = ModelCard(text).data
    assert data.base_model == "norallm/normistral-7b-warm-instruct" and data.datasets == ["me/nb-sft"]
    assert data.library_name == "peft" and data.license == "cc-by-sa-4.0" and "kl-sft" in data.tags
    assert "| `kl_beta` | `0.1` |" in text and "| `effective batch size` | `64` |" in text
    assert "| final KL (nats/token) | 0.9 |" in text and "| trainable parameters | 10 of 1,000 (1.00 %) |" in text
    assert f"| `me/nb-sft@v1.0.0` | `{SHA_DATA}` | train | 9 |" in text
    assert f'from_pretrained("norallm/normistral-7b-warm-instruct", revision="{SHA_BASE}")' in text
    assert 'PeftModel.from_pretrained(base, "me/nb-sft-lora", revision="v1.0.0")' in text


def test_dpo_card_applies_the_adapter_to_the_merged_sft_checkpoint(dpo_dir):
    text = render_strict(ADAPTER_TEMPLATE, *adapter_card_inputs(dpo_dir, "me/nb-dpo-lora", "v1.0.0"))
    data = ModelCard(text).data
    assert data.base_model is None  # a local merged checkpoint has no Hub id; the body says what it is
    assert data.datasets == ["me/nb-pairs"] and "dpo" in data.tags
    assert "| rewards accuracy | 0.75 |" in text and "| `precompute_ref_log_probs` | `True` |" in text
    usage = text.split("## Usage", 1)[1]
    assert 'sft_checkpoint = PeftModel.from_pretrained(base, "me/nb-sft-lora", revision="' + SHA_SFT in usage
    assert 'model = PeftModel.from_pretrained(sft_checkpoint, "me/nb-dpo-lora", revision="v1.0.0")' in usage
    assert 'PeftModel.from_pretrained(base, "me/nb-dpo-lora"' not in usage
    assert "not to the original base model" in text


def test_merged_and_tiny_policy_cards_render_strictly(dpo_dir, tmp_path):
    record = json.loads((dpo_dir / "saga" / "training.json").read_text())
    merged = tmp_path / "merged"
    (merged / "saga").mkdir(parents=True)
    merge = {**record["base_model"]["merged_from"], "dtype": "bfloat16", "libraries": LIBRARIES}
    (merged / "saga" / "merge.json").write_text(json.dumps(merge))
    text = render_strict(MERGED_TEMPLATE, *merged_card_inputs(merged))
    assert ModelCard(text).data.base_model == "norallm/normistral-7b-warm-instruct"
    assert "Merged in `bfloat16`" in text
    assert "so this merged model is shared under CC BY-SA 4.0" in text and "this adapter" not in text

    tiny = {
        "config": {"num_hidden_layers": 4, "hidden_size": 256, "num_attention_heads": 4, "num_key_value_heads": 2}
        | {"intermediate_size": 512, "vocab_size": 8000, "max_steps": 450, "batch_size": 16, "block_size": 128}
        | {"prompt_share": 0.2},
        "corpus": {"news_sentences": 3, "held_out_articles": 1, "plain_texts": 5, "chats": 2, "blocks": 7},
        "parameters": 4409600,
        "train_seconds": 550.0,
        "final_logged_loss": 4.9,
        "train_loss": 5.5,
    }
    text = render_strict(TINY_POLICY_TEMPLATE, *tiny_policy_card_inputs(tiny, "saga model train-tiny ..."))
    assert ModelCard(text).data.license == "cc-by-sa-4.0" and "A 4,409,600-parameter" in text
