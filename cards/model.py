"""Model cards: `ModelCardData` for the YAML, Jinja templates for the prose, every number from the saga/ records.

Three cards: an adapter (KL-SFT or DPO, from `saga/training.json`), a merged SFT checkpoint (from
`saga/merge.json`), and the bundled tiny policy. The usage snippet of a DPO adapter rebuilds what it was trained
on — the SFT adapter merged into its base — before applying the DPO adapter, never the bare base model.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from huggingface_hub import ModelCard, ModelCardData

from saga.models import bundled_hub_reference

TEMPLATES = files("saga.cards") / "templates"
LICENCE = "cc-by-sa-4.0"
LICENCE_TEXT = (
    "The training data are Norwegian Wikipedia text (© Wikipedia contributors, "
    "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)), so this {what} is shared under CC BY-SA 4.0. "
    "The base model keeps its own licence."
)
METHODS = {
    "sft": (
        "KL-regularised supervised fine-tuning with a LoRA adapter. The loss on each completion (assistant) token is "
        "the cross-entropy plus `kl_beta` × KL(policy ‖ reference), where the reference is the base model itself "
        "(the adapter disabled, so no second copy is held). `ce` and `kl` are logged separately, so the reported "
        "loss is `ce + kl_beta · kl`. Both are computed in token chunks without materialising the full logits."
    ),
    "dpo": (
        "Direct Preference Optimization (sigmoid loss, TRL's `DPOTrainer`) with a fresh LoRA adapter on the merged "
        "SFT checkpoint. The reference is that checkpoint (the adapter disabled, or log-probabilities precomputed "
        "once when `precompute_ref_log_probs` is set). Rewards accuracy is the share of pairs whose chosen "
        "completion gets a higher implicit reward than the rejected one."
    ),
}
HYPERPARAMETERS = {
    "sft": ("kl_beta", "kl_chunk_size", "assistant_only_loss", "max_length"),
    "dpo": ("beta", "loss_type", "precompute_ref_log_probs", "max_length"),
}
COMMON_HYPERPARAMETERS = (
    "learning_rate",
    "lr_scheduler_type",
    "warmup_steps",
    "num_train_epochs",
    "max_steps",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "lora_r",
    "lora_alpha",
    "lora_dropout",
    "lora_target_modules",
    "seed",
)
RESULTS = {
    "sft": (("loss", "final loss"), ("ce", "final cross-entropy (nats/token)"), ("kl", "final KL (nats/token)")),
    "dpo": (
        ("loss", "final loss"),
        ("rewards/accuracies", "rewards accuracy"),
        ("rewards/margins", "rewards margin"),
        ("rewards/chosen", "reward (chosen)"),
        ("rewards/rejected", "reward (rejected)"),
    ),
}


ADAPTER_TEMPLATE = TEMPLATES / "model_card.md"
MERGED_TEMPLATE = TEMPLATES / "merged_model_card.md"
TINY_POLICY_TEMPLATE = TEMPLATES / "tiny_policy_card.md"


def adapter_card_inputs(
    folder: Path, repo_id: str | None = None, revision: str | None = None
) -> tuple[ModelCardData, dict]:
    """The YAML metadata and template variables of an adapter card, from the folder's `saga/training.json`.

    Args:
        folder (`Path`): the adapter folder.
        repo_id (`str`, *optional*): the Hub repository the adapter is published to (named in the usage snippet);
            the local folder is named when `None`.
        revision (`str`, *optional*): the tag it is published under.
    """
    record = json.loads((folder / "saga" / "training.json").read_text(encoding="utf-8"))
    kind, base, dataset = record["kind"], record["base_model"], record["dataset"]
    adapter = f'"{repo_id}", revision="{revision}"' if repo_id else f'"{folder}"'
    card_data = ModelCardData(
        language=["nb"],
        license=LICENCE,
        library_name="peft",
        pipeline_tag="text-generation",
        base_model=_hub_base(base),
        datasets=[dataset["repo_id"]] if dataset.get("repo_id") else None,
        tags=["saga", "lora", "trl", kind, *(["kl-sft"] if kind == "sft" else []), "norwegian", "grammar"],
    )
    variables = {
        "title": f"{'KL-SFT' if kind == 'sft' else 'DPO'} LoRA adapter ({record['trainer']})",
        "summary": _summary(kind, base),
        "record": record,
        "method": METHODS[kind],
        "base_text": _base_text(base),
        "hyperparameters": _hyperparameters(kind, record),
        "results": _results(kind, record),
        "usage": _usage(base, adapter),
        "card_ref": str(folder) if repo_id is None else f"<download of {repo_id}@{revision}>",
        "licence_text": LICENCE_TEXT.format(what="adapter"),
        "evaluation": _evaluation(folder),
    }
    return card_data, variables


def render_adapter_card(folder: Path, repo_id: str | None = None, revision: str | None = None) -> ModelCard:
    """Render `README.md` of an adapter folder from its `saga/training.json`, and save it.

    Args:
        folder (`Path`): the adapter folder.
        repo_id (`str`, *optional*): the Hub repository the adapter is published to.
        revision (`str`, *optional*): the tag it is published under.
    """
    card_data, variables = adapter_card_inputs(folder, repo_id, revision)
    card = ModelCard.from_template(card_data, template_path=str(ADAPTER_TEMPLATE), **variables)
    card.save(folder / "README.md")
    return card


def merged_card_inputs(folder: Path) -> tuple[ModelCardData, dict]:
    """The YAML metadata and template variables of a merged SFT checkpoint's card, from its `saga/merge.json`.

    Args:
        folder (`Path`): the merged model folder (`saga merge --out`).
    """
    merge = json.loads((folder / "saga" / "merge.json").read_text(encoding="utf-8"))
    base, adapter = merge["base_model"], merge["adapter"]
    card_data = ModelCardData(
        language=["nb"],
        license=LICENCE,
        library_name="transformers",
        pipeline_tag="text-generation",
        base_model=_hub_base(base),
        datasets=[adapter["dataset"]["repo_id"]] if adapter["dataset"].get("repo_id") else None,
        tags=["saga", "merged", "sft", "norwegian", "grammar"],
    )
    usage = (
        f'model = AutoModelForCausalLM.from_pretrained("{folder}")\n'
        f'tokenizer = AutoTokenizer.from_pretrained("{folder}")'
    )
    return card_data, {
        "merge": merge,
        "base_text": _base_text(base),
        "usage": usage,
        "licence_text": LICENCE_TEXT.format(what="merged model"),
    }


def render_merged_card(folder: Path) -> ModelCard:
    """Render `README.md` of a merged SFT checkpoint from its `saga/merge.json`, and save it.

    Args:
        folder (`Path`): the merged model folder.
    """
    card_data, variables = merged_card_inputs(folder)
    card = ModelCard.from_template(card_data, template_path=str(MERGED_TEMPLATE), **variables)
    card.save(folder / "README.md")
    return card


def tiny_policy_card_inputs(record: dict, command: str) -> tuple[ModelCardData, dict]:
    """The YAML metadata and template variables of the bundled tiny policy's card.

    Args:
        record (`dict`): what `saga.trainers.tiny_policy.train_tiny_policy` returns.
        command (`str`): the command that trained it.
    """
    card_data = ModelCardData(
        language=["nb"],
        license=LICENCE,
        library_name="transformers",
        pipeline_tag="text-generation",
        tags=["saga", "mistral", "tiny", "norwegian", "test-model"],
    )
    return card_data, {"record": record, "command": command}


def render_tiny_policy_card(folder: Path, record: dict, command: str) -> ModelCard:
    """Render `README.md` of the bundled tiny policy from its training record, and save it.

    Args:
        folder (`Path`): the model folder.
        record (`dict`): the training record.
        command (`str`): the command that trained it.
    """
    card_data, variables = tiny_policy_card_inputs(record, command)
    card = ModelCard.from_template(card_data, template_path=str(TINY_POLICY_TEMPLATE), **variables)
    card.save(folder / "README.md")
    return card


def _evaluation(folder: Path) -> dict | None:
    """The evaluation table from the folder's `eval.json` (`saga eval`), or `None` before any evaluation."""
    path = folder / "eval.json"
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    settings = report["settings"]
    rows = [
        {
            "model": f"**{row['model']}** (this adapter)" if row["model"] == report["adapter_row"] else row["model"],
            "parse_success": f"{row['parse_success']:.1%}",
            "mean_score": f"{row['mean_score']:.3f}",
            "mattr": f"{row['mattr']:.3f}",
            "distinct_2": f"{row['distinct_2']:.3f}",
            "mean_words": f"{row['mean_words']:.1f}",
            "length_vs_base": f"{row.get('length_vs_base', 1.0):.2f}",
            "prompt_copy_rate": f"{row.get('prompt_copy_rate', 0.0):.1%}",
            "unknown_word_rate": f"{row.get('unknown_word_rate', 0.0):.1%}",
            "perplexity": f"{row['perplexity']:.1f}",
        }
        for row in report["rows"]
    ]
    setup = (
        f"{report['prompts']['rows']} held-out prompts (split `{settings['split']}` of `{report['prompts']['ref']}`), "
        f"{settings['n_samples']} completions each at temperature {settings['temperature']} (top-p "
        f"{settings['top_p']}, repetition penalty {settings['repetition_penalty']}, at most {settings['max_tokens']} "
        f"tokens, seed {settings['seed']}); perplexity on {report['heldout']['rows']} held-out sentences (split "
        f"`{settings['heldout_split']}` of `{report['heldout']['ref']}`). Scorer fingerprint "
        f"`{report['scorer_fingerprint']}`."
    )
    return {"setup": setup, "rows": rows}


def _hub_base(base: dict) -> str | None:
    """The Hub id for `base_model`: a Hub reference's, or the bundled model's published one (a local path is not
    valid card metadata)."""
    if base["kind"] == "bundled":
        return bundled_hub_reference(base["ref"]).repo_id
    return base.get("repo_id") if base["kind"] == "hub" else None


def _summary(kind: str, base: dict) -> str:
    if kind == "sft":
        return f"A LoRA adapter for `{base['ref']}` trained to write grammatical Norwegian Bokmål (saga, KL-SFT)."
    on = "the merged SFT checkpoint" if base.get("merged_from") else f"`{base['ref']}`"
    return f"A LoRA adapter for {on} trained with DPO on grammar-scored preference pairs (saga)."


def _base_text(base: dict) -> str:
    lines = [f"`{base['ref']}` ({base['kind']}), revision `{base['revision']}`."]
    merged = base.get("merged_from")
    if merged:
        origin = merged["base_model"]
        lines.append(
            f"It is a merged SFT checkpoint: the KL-SFT adapter `{merged['adapter']['ref']}` (adapter weights "
            f"sha256 `{merged['adapter']['adapter_sha256']}`) merged into `{origin['ref']}` (revision "
            f"`{origin['revision']}`). This adapter applies to that merged checkpoint, not to the original base model."
        )
    return "\n\n".join(lines)


def _hyperparameters(kind: str, record: dict) -> dict:
    config = record["config"]
    values = {name: config[name] for name in (*HYPERPARAMETERS[kind], *COMMON_HYPERPARAMETERS) if name in config}
    values["effective batch size"] = config["per_device_train_batch_size"] * config["gradient_accumulation_steps"]
    values["precision"] = record["precision"]
    return values


def _results(kind: str, record: dict) -> dict:
    metrics, params = record["metrics"], record["parameters"]
    results = {
        "trainable parameters": f"{params['trainable']:,} of {params['total']:,} "
        f"({100 * params['trainable'] / params['total']:.2f} %)",
        "optimiser steps": metrics["global_step"],
        "epochs": f"{metrics['epoch']:.3g}" if metrics["epoch"] is not None else "-",
        "mean training loss": f"{metrics['train_loss']:.4f}",
    }
    for key, label in RESULTS[kind]:
        if key in metrics["last_logged"]:
            results[label] = f"{metrics['last_logged'][key]:.4g}"
    results["adapter weights sha256"] = f"`{record['adapter_sha256']}`"
    return results


def _load_line(variable: str, model: dict) -> str:
    """`X = AutoModelForCausalLM.from_pretrained(...)` pinned to the recorded revision."""
    line = f"{variable} = AutoModelForCausalLM.from_pretrained({_model_source(model)})"
    return line + (f"  # saga's bundled assets/{model['ref']}" if model["kind"] == "bundled" else "")


def _usage(base: dict, adapter: str) -> str:
    lines = ["from peft import PeftModel", "from transformers import AutoModelForCausalLM, AutoTokenizer", ""]
    merged = base.get("merged_from")
    if merged:
        origin, sft = merged["base_model"], merged["adapter"]
        sft_ref = f'"{sft["repo_id"]}", revision="{sft["revision"]}"' if sft.get("repo_id") else f'"{sft["ref"]}"'
        lines += [
            "# DPO was trained on the merged SFT checkpoint: rebuild it first (or load it if it was published)",
            _load_line("base", origin),
            f"sft_checkpoint = PeftModel.from_pretrained(base, {sft_ref}).merge_and_unload()",
            f"model = PeftModel.from_pretrained(sft_checkpoint, {adapter})",
            f"tokenizer = AutoTokenizer.from_pretrained({_model_source(origin)})",
        ]
    else:
        lines += [
            _load_line("base", base),
            f"model = PeftModel.from_pretrained(base, {adapter})",
            f"tokenizer = AutoTokenizer.from_pretrained({_model_source(base)})",
        ]
    lines += [
        "",
        'messages = [{"role": "user", "content": "Skriv en kort tekst om Bergen."}]',
        "inputs = tokenizer.apply_chat_template(",
        '    messages, add_generation_prompt=True, return_tensors="pt", return_dict=True',
        ")",
        "output = model.generate(**inputs, max_new_tokens=64, do_sample=True, temperature=0.7)",
        'print(tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True))',
    ]
    return "\n".join(lines)


def _model_source(model: dict) -> str:
    """`from_pretrained` arguments for a recorded model: the Hub id at its SHA, the bundled folder, or the path."""
    if model["kind"] == "hub":
        return f'"{model["repo_id"]}", revision="{model["revision"]}"'
    if model["kind"] == "bundled":
        published = bundled_hub_reference(model["ref"])
        return f'"{published.repo_id}", revision="{published.revision}"'
    return f'"{model["ref"]}"'
