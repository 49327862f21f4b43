"""What a training run reads, checked before any training starts: the dataset's columns, the LoRA targets and how
the base model is loaded.

The base model is resolved by `saga.models`; the checks here fail in seconds with one clear error, instead of after
a model download or an hour of training: missing dataset columns, LoRA targets the architecture does not have.
"""

from __future__ import annotations

import torch
from transformers import AutoConfig, AutoModelForCausalLM

from saga.errors import InputDataError, TrainingInputError
from saga.models import ModelInput

# saga pins the base model's revision itself (MODEL@REV); a second source of truth would disagree with the record
_PINNED_INIT_KWARGS = ("revision", "pretrained_model_name_or_path")
# TRL's rule: data-parallel runs place one full replica per process, so a `device_map` would fight the launcher
_REPLICATED = ("MULTI_GPU", "DEEPSPEED")

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


def model_init_kwargs(config) -> dict:
    """The config's `model_init_kwargs` as TRL applies them when it loads a model by name.

    TRL ignores `model_init_kwargs` for a model passed in loaded, and saga loads the base itself (to pin its
    revision), so saga applies them: `device_map` places the weights (`"auto"` spreads a large base over the
    visible GPUs; the Trainer then runs it model-parallel) unless the run is data-parallel, where every process
    holds a full replica and the `device_map` is dropped, as TRL does.

    Args:
        config ([`KLSFTConfig`] or [`LoRADPOConfig`]): the run's configuration.

    Raises:
        [`TrainingInputError`]: `model_init_kwargs` sets the revision (pin it in the model reference instead).
    """
    kwargs = dict(config.model_init_kwargs or {})
    pinned = [key for key in _PINNED_INIT_KWARGS if key in kwargs]
    if pinned:
        raise TrainingInputError(
            f"model_init_kwargs sets {', '.join(pinned)}, which saga pins from the model reference",
            hint="name the revision in the reference instead: --model ORG/NAME@REVISION",
        )
    state = config.distributed_state
    if state is not None and state.distributed_type in _REPLICATED:
        kwargs.pop("device_map", None)
    return kwargs
