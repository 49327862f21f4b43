"""Merge a new dataset/model card into the card already on the Hub instead of overwriting it.

The Hub card may carry metadata saga does not produce: `configs` (which files form which subset) and `dataset_info`
written by the Hub or by hand, plus any other keys. Dropping them would break loading of other subsets. The new
card's prose and the keys it sets win; `configs` and `dataset_info` are merged entry by entry on `config_name`.
"""

from __future__ import annotations

import yaml
from huggingface_hub import DatasetCard, ModelCard, RepoCard

from saga.errors import PublishRefusedError

MERGED_BY_CONFIG_NAME = ("configs", "dataset_info")
_DEFAULT_CONFIG = "default"


def merge_card_text(new_text: str, existing_text: str | None, repo_type: str) -> str:
    """The card to publish: the new card's prose over the union of both cards' YAML metadata.

    Args:
        new_text (`str`): the card in the folder being published.
        existing_text (`str`, *optional*): the card at the head of the target branch, if any.
        repo_type (`str`): `"dataset"` or `"model"`, which picks `DatasetCard`/`ModelCard` for the metadata.

    Returns:
        `str`: the merged card (YAML front matter + the new card's Markdown body).

    Raises:
        [`PublishRefusedError`]: if either card's front matter is not a YAML mapping.
    """
    card_class: type[RepoCard] = DatasetCard if repo_type == "dataset" else ModelCard
    new_card = _parse(card_class, new_text, "the card being published")
    if existing_text is None:
        return str(new_card)
    existing = _parse(card_class, existing_text, "the card on the Hub").data.to_dict()
    merged = merge_card_metadata(new_card.data.to_dict(), existing)
    new_card.data = card_class.card_data_class(**merged)
    return str(new_card)


def merge_card_metadata(new: dict, existing: dict) -> dict:
    """Union of two card metadata dicts: `new` wins per key; `configs`/`dataset_info` merge per `config_name`.

    Args:
        new (`dict`): metadata of the card being published.
        existing (`dict`): metadata of the card on the Hub.

    Example:
        ```python
        >>> merged = merge_card_metadata(
        ...     {"license": "cc-by-sa-4.0", "configs": [{"config_name": "default", "data_files": "data/*.parquet"}]},
        ...     {"license": "unknown", "configs": [{"config_name": "raw", "data_files": "raw/*.parquet"}]},
        ... )
        >>> merged["license"], [config["config_name"] for config in merged["configs"]]
        ('cc-by-sa-4.0', ['raw', 'default'])
        ```
    """
    merged = dict(existing)
    for key, value in new.items():
        if key in MERGED_BY_CONFIG_NAME and key in existing:
            merged[key] = _merge_by_config_name(existing[key], value)
        else:
            merged[key] = value
    return merged


def _merge_by_config_name(existing: dict | list, new: dict | list) -> dict | list:
    """Entries of `existing` in order, each replaced by the `new` entry of the same config, then new configs."""
    by_name = {_config_name(entry): entry for entry in _as_list(existing)}
    for entry in _as_list(new):
        by_name[_config_name(entry)] = entry
    entries = list(by_name.values())
    return entries[0] if isinstance(new, dict) and len(entries) == 1 else entries


def _as_list(value: dict | list) -> list[dict]:
    return [value] if isinstance(value, dict) else list(value)


def _config_name(entry: dict) -> str:
    return entry.get("config_name", _DEFAULT_CONFIG) if isinstance(entry, dict) else _DEFAULT_CONFIG


def _parse(card_class: type[RepoCard], text: str, which: str) -> RepoCard:
    try:
        return card_class(text)
    except (ValueError, yaml.YAMLError) as err:
        raise PublishRefusedError(f"cannot merge cards: {which} has invalid YAML front matter ({err})") from err
