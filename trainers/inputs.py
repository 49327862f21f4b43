"""What a training run reads, resolved and checked before any training starts: the base model and the dataset.

A base model is the bundled tiny policy (by name, `tiny_nb_mistral`), a local model folder, or `ORG/NAME@REV` on the
Hub; it is resolved to an immutable revision (folder fingerprint or commit SHA) that is recorded and loaded. The
checks here fail in seconds with one clear error, instead of after a model download or an hour of training:
missing dataset columns, a revision that does not exist, LoRA targets the architecture does not have.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path

import torch
from huggingface_hub import get_token
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

from saga.errors import InputDataError, ReferenceResolutionError, TrainingInputError
from saga.hub.references import parse_reference, resolve_revision

BUNDLED_MODELS = ("tiny_nb_mistral",)  # folders under assets/, referenced by name
DEFAULT_MODEL = "tiny_nb_mistral"
MERGE_RECORD = Path("saga") / "merge.json"
MESSAGE_COLUMNS = {
    "sft": ("messages",),
    "dpo": ("prompt", "chosen", "rejected"),
}


@dataclass(frozen=True)
class ModelInput:
    """A resolved base model.

    Args:
        ref (`str`): the reference as given (`tiny_nb_mistral`, a folder, or `ORG/NAME@REV`).
        kind (`str`): `"bundled"`, `"folder"` or `"hub"`.
        revision (`str`): folder fingerprint (64 hex) or commit SHA (40 hex).
        location (`str`): what `from_pretrained` loads (a folder path or a repository id).
        repo_id (`str`, *optional*): the Hub repository, for Hub references.
        merged_from (`dict`, *optional*): the folder's `saga/merge.json` when it is a merged SFT checkpoint.
    """

    ref: str
    kind: str
    revision: str
    location: str
    repo_id: str | None = None
    merged_from: dict | None = None

    def record(self) -> dict:
        """The JSON-ready record (`location` is left out: it is machine-specific)."""
        return {key: value for key, value in asdict(self).items() if key != "location"}

    def portable_ref(self) -> str:
        """What names the base on any machine: the Hub repository, the bundled model's name, or a folder's name
        (a folder's full path belongs to the machine that trained)."""
        if self.kind == "hub":
            return self.repo_id
        return self.ref if self.kind == "bundled" else Path(self.ref).name

    def pinned_ref(self) -> str:
        """A reference that loads exactly this revision again: `ORG/NAME@SHA` on the Hub, else `ref`."""
        return f"{self.repo_id}@{self.revision}" if self.kind == "hub" else self.ref

    def from_pretrained_kwargs(self) -> dict:
        """`revision` pinned to the resolved SHA (Hub) and the token `huggingface_hub` finds (`HF_TOKEN` or
        `hf auth login`)."""
        if self.kind != "hub":
            return {}
        return {"revision": self.revision, "token": get_token() or False}


def resolve_model(ref: str) -> ModelInput:
    """Resolve a base model reference to a folder or Hub repository at an immutable revision.

    Args:
        ref (`str`): `tiny_nb_mistral` (bundled), a local model folder, or `ORG/NAME@REV`.

    Raises:
        [`ReferenceResolutionError`]: unknown folder, repository or revision.
    """
    if ref in BUNDLED_MODELS:
        folder = Path(str(files("assets") / ref))
        if not (folder / "config.json").is_file():
            raise ReferenceResolutionError(
                f"the bundled model {ref} is missing from {folder}",
                hint="reinstall saga or retrain it: saga model train-tiny",
            )
        return ModelInput(ref, "bundled", resolve_revision(parse_reference(str(folder))), str(folder))
    reference = parse_reference(ref)
    revision = resolve_revision(reference, repo_type="model")
    if reference.folder is None:
        return ModelInput(ref, "hub", revision, reference.repo_id, repo_id=reference.repo_id)
    folder = reference.folder
    if not (folder / "config.json").is_file():
        raise ReferenceResolutionError(f"{folder} is not a model folder (no config.json)")
    merge_path = folder / MERGE_RECORD
    merged_from = json.loads(merge_path.read_text(encoding="utf-8")) if merge_path.is_file() else None
    return ModelInput(ref, "folder", revision, str(folder), merged_from=merged_from)


def resolve_recorded_model(recorded: dict, used_by: str) -> ModelInput:
    """Resolve a model as a training record describes it, and check it is still the recorded revision.

    A Hub model is pinned to the recorded commit SHA; a bundled model or local folder must have the recorded
    fingerprint.

    Args:
        recorded (`dict`): a `ModelInput.record()` from `saga/training.json`.
        used_by (`str`): what recorded it (an adapter folder), for the message.

    Raises:
        [`ReferenceResolutionError`]: the model is gone or its contents changed since it was recorded.
    """
    ref = f"{recorded['repo_id']}@{recorded['revision']}" if recorded["kind"] == "hub" else recorded["ref"]
    resolved = resolve_model(ref)
    if resolved.revision != recorded["revision"]:
        raise ReferenceResolutionError(
            f"base model {ref} is at revision {resolved.revision}, but {used_by} was trained on "
            f"{recorded['revision']}",
            hint="use the same base model (the same folder contents or Hub commit) that the record names",
        )
    return resolved


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


def load_model_and_tokenizer(model: ModelInput, bf16: bool):
    """Load the base model (float32, or bfloat16 for bf16 runs) and its tokenizer at the resolved revision.

    Args:
        model ([`ModelInput`]): the resolved base model.
        bf16 (`bool`): load the weights in bfloat16 (GPU runs); otherwise float32, the CPU path.
    """
    kwargs = model.from_pretrained_kwargs()
    dtype = torch.bfloat16 if bf16 else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(model.location, **kwargs)
    return AutoModelForCausalLM.from_pretrained(model.location, dtype=dtype, **kwargs), tokenizer


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
