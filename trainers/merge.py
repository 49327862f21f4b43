"""Merge an SFT adapter into its base model: the "SFT checkpoint" that generation and DPO start from.

The base is read from the adapter's own `saga/training.json` and loaded at the recorded revision, so the merge
cannot silently use another base than the one the adapter was trained on. The merged folder records both in
`saga/merge.json`; the DPO card reads it to show the usage that matches what DPO was trained on.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import torch
from huggingface_hub import snapshot_download

from saga.cards.model import render_merged_card
from saga.hub.references import parse_reference, resolve_revision
from saga.models import MERGE_RECORD, resolve_recorded_model
from saga.permissions import share_like_other_files
from saga.trainers.runs import check_empty_output, library_versions, read_record
from saga.versions import file_sha256

logger = logging.getLogger(__name__)
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def merge_adapter(adapter: str, out_dir: str | Path, dtype: str = "float32") -> dict:
    """Merge a LoRA adapter into the base model it was trained on and save a standalone model folder.

    Args:
        adapter (`str`): an adapter folder (with `saga/training.json`) or `ORG/NAME@REV` on the Hub.
        out_dir (`str` or `Path`): the merged model folder (weights, tokenizer, card, `saga/merge.json`).
        dtype (`str`, *optional*, defaults to `"float32"`): `"float32"` or `"bfloat16"` (halves a 7B checkpoint).

    Returns:
        `dict`: the merge record written to `saga/merge.json`.

    Raises:
        [`ReferenceResolutionError`]: the adapter or its base cannot be found, or the base changed since training.
    """
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    out_dir = Path(out_dir)
    check_empty_output(out_dir)
    adapter_dir, adapter_info = _fetch_adapter(adapter)
    record = read_record(adapter_dir)
    base = resolve_recorded_model(record["base_model"], f"adapter {adapter}")
    logger.info("merging %s into %s@%s", adapter, base.ref, base.revision)
    model = AutoModelForCausalLM.from_pretrained(base.location, dtype=DTYPES[dtype], **base.from_pretrained_kwargs())
    tokenizer = AutoTokenizer.from_pretrained(base.location, **base.from_pretrained_kwargs())
    merged = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()

    merged.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    share_like_other_files(out_dir)
    merge = {
        "adapter": {
            **adapter_info,
            "kind": record["kind"],
            "adapter_sha256": file_sha256(adapter_dir / "adapter_model.safetensors"),
            "dataset": record["dataset"],
        },
        "base_model": record["base_model"],
        "dtype": dtype,
        "libraries": library_versions(),
    }
    (out_dir / MERGE_RECORD).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / MERGE_RECORD).write_text(json.dumps(merge, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    render_merged_card(out_dir)
    return merge


def _fetch_adapter(adapter: str) -> tuple[Path, dict]:
    """The adapter's local folder and its reference record (`ref`, `repo_id`, `revision`)."""
    reference = parse_reference(adapter)
    revision = resolve_revision(reference, repo_type="model")
    if reference.folder is not None:
        return reference.folder, {"ref": adapter, "repo_id": None, "revision": revision}
    folder = snapshot_download(reference.repo_id, revision=revision, repo_type="model")
    return Path(folder), {"ref": adapter, "repo_id": reference.repo_id, "revision": revision}
