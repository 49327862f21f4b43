"""Resolving the policy model and its optional LoRA adapter to immutable revisions, as the trainers do.

The policy is resolved by `saga.models.resolve_model` (bundled `tiny_nb_mistral`, a model folder, or
`ORG/NAME@REV`); an adapter folder has `adapter_config.json` instead of a model's `config.json`, so it gets its own
resolver here. Both are imported lazily by callers: `saga.models` imports torch and transformers.
"""

from __future__ import annotations

from saga.errors import ReferenceResolutionError
from saga.hub.references import parse_reference, resolve_revision
from saga.models import ModelInput, resolve_model

__all__ = ["resolve_adapter", "resolve_model"]


def resolve_adapter(ref: str) -> ModelInput:
    """Resolve a LoRA adapter reference (a folder with `adapter_config.json`, or `ORG/NAME@REV`).

    Args:
        ref (`str`): the adapter reference.

    Raises:
        [`ReferenceResolutionError`]: unknown folder, repository or revision, or a folder that is not an adapter.
    """
    reference = parse_reference(ref)
    revision = resolve_revision(reference, repo_type="model")
    if reference.folder is None:
        return ModelInput(ref, "hub", revision, reference.repo_id, repo_id=reference.repo_id)
    if not (reference.folder / "adapter_config.json").is_file():
        raise ReferenceResolutionError(f"{reference.folder} is not a LoRA adapter folder (no adapter_config.json)")
    return ModelInput(ref, "folder", revision, str(reference.folder))
