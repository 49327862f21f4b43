"""What a training run reads, checked before any training starts: the dataset's columns and the LoRA targets.

The base model is resolved by `saga.models`; the checks here fail in seconds with one clear error, instead of after
a model download or an hour of training: missing dataset columns, LoRA targets the architecture does not have.
"""

from __future__ import annotations

import torch
from transformers import AutoConfig, AutoModelForCausalLM

from saga.errors import InputDataError, TrainingInputError
from saga.models import ModelInput

MESSAGE_COLUMNS = {
    "sft": ("messages",),
    "dpo": ("prompt", "chosen", "rejected"),
}


def check_lora_targets(model: ModelInput, targets: list[str]) -> None:
    """Fail unless every LoRA target names a linear module of the model's architecture.

    The architecture is instantiated on the meta device from its config alone: no weights are read.

    Args:
        model ([`ModelInput`]): the resolved base model.
        targets (`list[str]`): LoRA `target_modules` (module name suffixes such as `q_proj`).

    Raises:
        [`TrainingInputError`]: naming the missing targets and the linear modules the model has.
    """
    config = AutoConfig.from_pretrained(model.location, **model.from_pretrained_kwargs())
    with torch.device("meta"):
        skeleton = AutoModelForCausalLM.from_config(config)
    linear = {
        name.rsplit(".", 1)[-1] for name, module in skeleton.named_modules() if isinstance(module, torch.nn.Linear)
    }
    missing = [target for target in targets if target not in linear]
    if missing:
        raise TrainingInputError(
            f"base model {model.ref} ({config.model_type}) has no linear modules named {', '.join(missing)} "
            f"for the LoRA targets; its linear modules are {', '.join(sorted(linear))}",
            hint="set --lora_target_modules to modules the model has, or use a Mistral-architecture base model",
        )


def check_dataset(splits, kind: str, ref: str) -> None:
    """Fail unless the dataset has a non-empty `train` split with the columns the trainer reads.

    Args:
        splits (`datasets.DatasetDict`): the loaded dataset.
        kind (`str`): `"sft"` (needs `messages` with an assistant turn) or `"dpo"` (needs `prompt`, `chosen`,
            `rejected`).
        ref (`str`): the dataset reference, for the message.

    Raises:
        [`InputDataError`]: naming the dataset, the split and the missing columns.
    """
    if "train" not in splits:
        raise InputDataError(f"dataset {ref} has no train split (splits: {', '.join(splits) or 'none'})")
    train = splits["train"]
    missing = [column for column in MESSAGE_COLUMNS[kind] if column not in train.column_names]
    if missing:
        expected = {
            "sft": "`messages` (user/assistant chat turns), as `saga build sft` writes",
            "dpo": "`prompt`, `chosen`, `rejected` (TRL's preference format), as `saga build pairs` writes",
        }
        raise InputDataError(
            f"dataset {ref} split train lacks column(s) {', '.join(missing)} "
            f"(columns: {', '.join(train.column_names)})",
            hint=f"a {kind} dataset needs {expected[kind]}",
        )
    if len(train) == 0:
        raise InputDataError(f"dataset {ref} split train has no rows")
    if kind == "sft":
        roles = [message["role"] for message in train[0]["messages"]]
        if "assistant" not in roles:
            raise InputDataError(f"dataset {ref} split train row 0: messages have no assistant turn (roles: {roles})")
