"""One training run: references in, an adapter folder out (adapter, card, `saga/training.json`).

`train_adapter` resolves and checks every input before training (see `saga.trainers.inputs`), trains a KL-SFT or DPO
LoRA adapter, and writes the folder that `saga push` publishes. `saga/training.json` records everything needed to
train the same adapter again: the full config, the dataset and base model pinned to their resolved revisions,
the seed and the library versions; `retrain_from_card` does exactly that.
"""

from __future__ import annotations

import json
import logging
from dataclasses import fields
from pathlib import Path

import torch

from saga.cards.model import render_adapter_card
from saga.errors import InputDataError, ReferenceResolutionError
from saga.hub.references import load_dataset_ref, parse_reference, resolve_revision
from saga.models import (
    DEFAULT_MODEL,
    bundled_hub_reference,
    load_model_and_tokenizer,
    resolve_model,
    resolve_recorded_model,
)
from saga.permissions import share_like_other_files
from saga.trainers.dpo_config import LoRADPOConfig
from saga.trainers.dpo_trainer import LoRADPOTrainer
from saga.trainers.inputs import check_dataset, check_lora_targets, model_init_kwargs
from saga.trainers.kl_sft_config import KLSFTConfig
from saga.trainers.kl_sft_trainer import KLSFTTrainer
from saga.versions import file_sha256, installed_versions

logger = logging.getLogger(__name__)

KINDS = {"sft": (KLSFTConfig, KLSFTTrainer), "dpo": (LoRADPOConfig, LoRADPOTrainer)}
TRAINING_RECORD = Path("saga") / "training.json"
LIBRARIES = ("saga", "torch", "transformers", "trl", "peft", "datasets", "accelerate", "huggingface_hub")
# `TrainingArguments.to_dict` masks every `*_token` field; the record keeps the real ones, except the secret
_SECRET_FIELDS = ("hub_token",)


def train_adapter(
    kind: str,
    config: KLSFTConfig | LoRADPOConfig,
    dataset_ref: str,
    out_dir: str | Path,
    model_ref: str = DEFAULT_MODEL,
) -> dict:
    """Train a LoRA adapter and write the adapter folder; return its training record.

    Args:
        kind (`str`): `"sft"` (KL-SFT on a `messages` dataset) or `"dpo"` (DPO on `prompt`/`chosen`/`rejected`).
        config ([`KLSFTConfig`] or [`LoRADPOConfig`]): the full configuration; `output_dir` is set to `out_dir`.
        dataset_ref (`str`): `ORG/NAME@REV` or a local dataset folder.
        out_dir (`str` or `Path`): the adapter folder to write.
        model_ref (`str`, *optional*, defaults to `"tiny_nb_mistral"`): the base model; for DPO, the merged SFT
            checkpoint (`saga merge`).

    Returns:
        `dict`: the record written to `saga/training.json`.

    Raises:
        [`ReferenceResolutionError`], [`InputDataError`], [`TrainingInputError`]: before any training starts (an
            unknown reference or revision, missing columns, LoRA targets the model lacks, a non-empty `out_dir`).
    """
    config_class, trainer_class = KINDS[kind]
    if not isinstance(config, config_class):
        raise TypeError(f"a {kind} run needs a {config_class.__name__}, got {type(config).__name__}")
    out_dir = Path(out_dir)
    check_empty_output(out_dir)
    config.output_dir = str(out_dir)
    model_input = resolve_model(model_ref)
    splits, dataset_revision = load_dataset_ref(dataset_ref)
    check_dataset(splits, kind, dataset_ref)
    check_lora_targets(model_input, list(config.lora_target_modules))
    init_kwargs = model_init_kwargs(config)
    logger.info(
        "training %s on %s@%s from %s@%s", kind, dataset_ref, dataset_revision, model_ref, model_input.revision
    )

    model, tokenizer = load_model_and_tokenizer(model_input, bool(config.bf16), init_kwargs)
    trainer = trainer_class(model, args=config, train_dataset=splits["train"], processing_class=tokenizer)
    result = trainer.train()

    peft_config = trainer.model.peft_config["default"]
    # so that `AutoPeftModelForCausalLM` loads the base at the trained-on commit (the bundled model's published tag)
    if model_input.kind == "hub":
        peft_config.revision = model_input.revision
    elif model_input.kind == "bundled":
        peft_config.revision = bundled_hub_reference(model_input.ref).revision
    # PEFT records the folder the base was loaded from: a path of this machine. Record the reference instead (the
    # Hub repository, the bundled model's name), which is what a reader can load.
    peft_config.base_model_name_or_path = model_input.portable_ref()
    # saga never resizes the vocabulary: no Hub lookup of the base config to check it (PEFT's "auto")
    trainer.model.save_pretrained(out_dir, save_embedding_layers=False)
    share_like_other_files(out_dir)
    dataset = {
        "ref": dataset_ref,
        "revision": dataset_revision,
        "repo_id": parse_reference(dataset_ref).repo_id,
        "rows": {name: len(split) for name, split in splits.items()},
    }
    record = {
        "kind": kind,
        "trainer": trainer_class.__name__,
        "config_class": config_class.__name__,
        "config": config_record(config),
        "seed": config.seed,
        "dataset": dataset,
        "base_model": model_input.record(),
        "libraries": library_versions(),
        "threads": torch.get_num_threads(),
        "device": str(trainer.args.device),
        # where the trained weights sat: the loaded `device_map`, or the one device the Trainer moved them to
        "device_map": getattr(model, "hf_device_map", None) or {"": str(model.device)},
        "precision": "bf16" if config.bf16 else "fp16" if config.fp16 else "fp32",
        "parameters": {
            "trainable": sum(p.numel() for p in trainer.model.parameters() if p.requires_grad),
            "total": sum(p.numel() for p in trainer.model.parameters()),
        },
        "metrics": run_metrics(trainer.state.log_history, result),
        "adapter_sha256": file_sha256(out_dir / "adapter_model.safetensors"),
        "log_history": trainer.state.log_history,
    }
    write_record(out_dir, record)
    render_adapter_card(out_dir)
    return record


def retrain_from_card(card_dir: str | Path, out_dir: str | Path) -> dict:
    """Train again exactly what an adapter folder's `saga/training.json` describes.

    The dataset and base model are loaded at the recorded revisions (a Hub reference is pinned to its commit SHA;
    a local folder must still have the recorded fingerprint), with the recorded config and seed.

    Args:
        card_dir (`str` or `Path`): an adapter folder written by `train_adapter` (or downloaded from the Hub).
        out_dir (`str` or `Path`): where the new adapter folder goes.

    Raises:
        [`InputDataError`]: no readable `saga/training.json`.
        [`ReferenceResolutionError`]: a local input changed since the recorded run.
    """
    record = read_record(Path(card_dir))
    config_class, _ = KINDS[record["kind"]]
    config = config_from_record(config_class, record["config"])
    dataset = record["dataset"]
    dataset_ref = f"{dataset['repo_id']}@{dataset['revision']}" if dataset.get("repo_id") else dataset["ref"]
    model_ref = resolve_recorded_model(record["base_model"], str(card_dir)).pinned_ref()
    if not dataset.get("repo_id"):
        revision = resolve_revision(dataset_ref)
        if revision != dataset["revision"]:
            raise ReferenceResolutionError(
                f"dataset {dataset_ref} changed since {card_dir} was trained (recorded revision "
                f"{dataset['revision']}, now {revision})"
            )
    return train_adapter(record["kind"], config, dataset_ref, out_dir, model_ref=model_ref)


def check_empty_output(folder: Path) -> None:
    """Refuse to write into a folder that already holds files: a stale file would be published with the new ones.

    Raises:
        [`InputDataError`]: naming the folder.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputDataError(
            f"output folder {folder} already exists and is not empty", hint="remove it or pick another"
        )


def config_record(config) -> dict:
    """Every init field of a config, JSON-ready, with the token fields `to_dict` masks restored (except secrets)."""
    record = config.to_dict()
    for field in fields(config):
        if field.name.endswith("_token") and field.name in record:
            record[field.name] = None if field.name in _SECRET_FIELDS else getattr(config, field.name)
    return record


def config_from_record(config_class, values: dict):
    """Rebuild a config from `config_record` output (unknown keys are an error: the record is from another version).

    Args:
        config_class (`type`): [`KLSFTConfig`] or [`LoRADPOConfig`].
        values (`dict`): the recorded fields.
    """
    known = {field.name for field in fields(config_class) if field.init}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputDataError(f"the recorded config has fields {config_class.__name__} does not know: {unknown}")
    return config_class(**values)


def run_metrics(log_history: list[dict], result) -> dict:
    """The final training metrics: steps, epochs, runtime, mean loss, and the last logged value of each metric."""
    last: dict = {}
    for entry in log_history:
        last.update({key: value for key, value in entry.items() if key not in ("step", "epoch")})
    return {
        "global_step": result.global_step,
        "epoch": log_history[-1].get("epoch") if log_history else None,
        "train_loss": result.training_loss,
        "train_runtime_s": result.metrics.get("train_runtime"),
        "last_logged": last,
    }


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that determine the adapter's bytes."""
    return installed_versions(LIBRARIES)


def write_record(folder: Path, record: dict) -> None:
    """Write `saga/training.json` (sorted keys, UTF-8)."""
    path = folder / TRAINING_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def read_record(folder: Path) -> dict:
    """Read an adapter folder's `saga/training.json`.

    Raises:
        [`InputDataError`]: the file is missing or not a JSON object.
    """
    path = folder / TRAINING_RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise InputDataError(f"cannot read the training record {path}: {err}") from err
    if not isinstance(record, dict) or "kind" not in record or record["kind"] not in KINDS:
        raise InputDataError(f"{path} is not a saga training record (no kind sft/dpo)")
    return record
