"""Base models, resolved to an immutable revision and loaded: the bundled tiny policy (by name), a local model
folder, or `ORG/NAME@REV` on the Hub.

A model is resolved once (folder fingerprint or commit SHA), recorded, and loaded at exactly that revision.
Generation (`saga.builders.generation`), training and evaluation (`trainers`) all read models through here, so this
module sits in the base layer beside the references it resolves with (`saga.hub.references`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path

import torch
from huggingface_hub import get_token
from transformers import AutoModelForCausalLM, AutoTokenizer

from saga.errors import ReferenceResolutionError
from saga.hub.references import Reference, parse_reference, resolve_revision

# Folders under assets/, referenced by name, and the Hub revision each is published as: cards and adapter configs
# name that (`base_model`), never a path of the machine that trained. Publish it with
# `hf upload saga-nlp/tiny-nb-mistral assets/tiny_nb_mistral` and tag the commit; retrained, it gets a new tag.
BUNDLED_MODELS = {"tiny_nb_mistral": "saga-nlp/tiny-nb-mistral@v1.0.0"}
DEFAULT_MODEL = "tiny_nb_mistral"
MERGE_RECORD = Path("saga") / "merge.json"


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
        """What names the base on any machine: the Hub repository (the bundled model's published one), or a
        folder's name (a folder's full path belongs to the machine that trained)."""
        if self.kind == "hub":
            return self.repo_id
        return bundled_hub_reference(self.ref).repo_id if self.kind == "bundled" else Path(self.ref).name

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
        folder = Path(str(files("saga.assets") / ref))
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


def bundled_hub_reference(name: str) -> Reference:
    """The Hub repository and tag a bundled model is published as (`BUNDLED_MODELS`).

    Example:

    ```python
    >>> bundled_hub_reference("tiny_nb_mistral")
    Reference(repo_id='saga-nlp/tiny-nb-mistral', revision='v1.0.0', folder=None)
    ```
    """
    return parse_reference(BUNDLED_MODELS[name])


def load_model_and_tokenizer(model: ModelInput, bf16: bool, init_kwargs: dict | None = None):
    """Load the base model (float32, or bfloat16 for bf16 runs) and its tokenizer at the resolved revision.

    Args:
        model ([`ModelInput`]): the resolved base model.
        bf16 (`bool`): load the weights in bfloat16 (GPU runs); otherwise float32, the CPU path.
        init_kwargs (`dict`, *optional*): more `from_pretrained` keyword arguments (`device_map`,
            `attn_implementation`, a `dtype` that overrides `bf16`); the revision stays the resolved one.
    """
    kwargs = model.from_pretrained_kwargs()
    tokenizer = AutoTokenizer.from_pretrained(model.location, **kwargs)
    init_kwargs = {"dtype": torch.bfloat16 if bf16 else torch.float32, **(init_kwargs or {}), **kwargs}
    return AutoModelForCausalLM.from_pretrained(model.location, **init_kwargs), tokenizer
