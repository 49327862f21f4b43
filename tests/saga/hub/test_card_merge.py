"""Merging the published card into the card on the Hub keeps what saga does not write."""

from __future__ import annotations

import pytest
from huggingface_hub import DatasetCard, ModelCard

from saga.errors import PublishRefusedError
from saga.hub.card_merge import merge_card_metadata, merge_card_text

NEW = "---\nlicense: cc-by-sa-4.0\nconfigs:\n- config_name: default\n  data_files: data/*.parquet\n---\n# New\n"
HUB = (
    "---\nlicense: unknown\nconfigs:\n- config_name: default\n  data_files: old/*.parquet\n"
    "- config_name: raw\n  data_files: raw/*.jsonl\ndataset_info:\n  config_name: raw\n  features:\n"
    "  - name: text\n    dtype: string\nsize_categories:\n- n<1K\n---\n# Old prose\n"
)


def test_new_keys_win_and_configs_merge_by_name():
    card = DatasetCard(merge_card_text(NEW, HUB, "dataset"))

    assert card.data.license == "cc-by-sa-4.0"
    assert card.data.configs == [
        {"config_name": "default", "data_files": "data/*.parquet"},  # replaced in place by the new card's entry
        {"config_name": "raw", "data_files": "raw/*.jsonl"},  # kept
    ]
    assert card.data.dataset_info == {"config_name": "raw", "features": [{"name": "text", "dtype": "string"}]}
    assert card.data.size_categories == ["n<1K"]
    assert card.text == "# New\n"


def test_without_a_hub_card_the_new_card_is_published_as_is():
    assert DatasetCard(merge_card_text(NEW, None, "dataset")).data.to_dict() == DatasetCard(NEW).data.to_dict()


def test_merging_is_idempotent():
    once = merge_card_text(NEW, HUB, "dataset")
    assert merge_card_text(NEW, once, "dataset") == once  # re-publishing the same card changes nothing


def test_dataset_info_entries_merge_by_config_name():
    merged = merge_card_metadata(
        {"dataset_info": {"features": [{"name": "score", "dtype": "float64"}]}},
        {"dataset_info": [{"config_name": "raw", "features": []}, {"features": [{"name": "x", "dtype": "int64"}]}]},
    )
    assert merged["dataset_info"] == [
        {"config_name": "raw", "features": []},
        {"features": [{"name": "score", "dtype": "float64"}]},
    ]


def test_model_cards_keep_hub_keys():
    merged = ModelCard(
        merge_card_text("---\nbase_model: a/b\n---\n# LoRA\n", "---\npipeline_tag: text-generation\n---\n", "model")
    )
    assert merged.data.base_model == "a/b" and merged.data.pipeline_tag == "text-generation"


def test_a_hub_card_with_broken_front_matter_is_refused():
    with pytest.raises(PublishRefusedError, match="the card on the Hub has invalid YAML front matter"):
        merge_card_text(NEW, "---\n- just\n- a list\n---\n", "dataset")
