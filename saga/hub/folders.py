"""What a publishable folder must hold, and the content fingerprint that names a local folder's revision.

A dataset folder (Hub layout) holds `README.md`, `data/{split}-*.parquet` and `saga/validation.json`; an adapter
folder holds `adapter_model.safetensors`, `adapter_config.json`, `README.md` and `saga/training.json`. The checks
here run before any network request, so a folder that failed validation, or whose files are not the bytes its
validation judged (`saga.validation.binding`), never reaches the Hub.
"""

from __future__ import annotations

import json
from pathlib import Path

from saga.errors import PublishRefusedError
from saga.validation.binding import VERDICT, unbound_changes

DATASET_REQUIRED = ("README.md", "saga/validation.json")
ADAPTER_REQUIRED = ("adapter_model.safetensors", "adapter_config.json", "README.md", "saga/training.json")


def check_publishable(folder: Path, repo_type: str) -> dict:
    """Refuse a folder that is not ready to publish; return the record that vouches for it.

    Args:
        folder (`Path`): the dataset or adapter folder.
        repo_type (`str`): `"dataset"` (needs a successful `saga/validation.json` and `data/*.parquet`) or `"model"`
            (an adapter folder: needs the adapter files and `saga/training.json`).

    Returns:
        `dict`: the parsed `saga/validation.json` (datasets) or `saga/training.json` (adapters).

    Raises:
        [`PublishRefusedError`]: naming the folder and what is missing or failed.
    """
    if not folder.is_dir():
        raise PublishRefusedError(f"{folder} is not a folder")
    required = DATASET_REQUIRED if repo_type == "dataset" else ADAPTER_REQUIRED
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        hint = (
            "validate the dataset first: validation writes saga/validation.json"
            if "saga/validation.json" in missing
            else None
        )
        raise PublishRefusedError(f"refusing to publish {folder}: missing {', '.join(missing)}", hint=hint)
    if repo_type == "model":
        return _read_json(folder / "saga/training.json")
    if not list(folder.glob("data/*.parquet")):
        raise PublishRefusedError(f"refusing to publish {folder}: no data/{{split}}-*.parquet files")
    validation = _read_json(folder / VERDICT)
    if validation.get("success") is not True:
        failed = validation.get("failed") or []
        names = ", ".join(str(item) for item in failed[:3]) + (" ..." if len(failed) > 3 else "")
        raise PublishRefusedError(
            f"refusing to publish {folder}: validation suite {validation.get('suite', '?')!r} failed "
            f"({len(failed)} failed expectation(s){': ' + names if failed else ''})",
            hint="fix the data and re-run validation; a failed dataset never reaches the Hub",
        )
    if not isinstance(validation.get("files"), dict):
        raise PublishRefusedError(
            f"refusing to publish {folder}: {VERDICT} records no file digests, so it vouches for no bytes",
            hint=f"validate again: saga validate {folder}",
        )
    changes = unbound_changes(folder, validation["files"])
    if changes:
        listed = "; ".join(changes[:3]) + (f"; and {len(changes) - 3} more" if len(changes) > 3 else "")
        raise PublishRefusedError(
            f"refusing to publish {folder}: it is not what was validated: {listed}",
            hint=f"rebuild it (saga build) or validate it again (saga validate {folder})",
        )
    return validation


def _read_json(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PublishRefusedError(f"refusing to publish: cannot read {path}: {err}") from err
    if not isinstance(record, dict):
        raise PublishRefusedError(f"refusing to publish: {path} must hold a JSON object, not {type(record).__name__}")
    return record
