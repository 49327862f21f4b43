"""Dataset cards render every variable (StrictUndefined), parse back with their metadata, and show the plots."""

import json

import jinja2
import pytest
from huggingface_hub import DatasetCard

from saga.builders.build import build
from saga.builders.sentences import Sentences
from saga.builders.sources.wikipedia import WikiSource
from saga.cards.dataset import TEMPLATE, dataset_card_inputs, render_dataset_card
from saga.validation.runner import validate_dataset


@pytest.fixture
def sentences_dir(articles_file, tmp_path):
    out = tmp_path / "sentences"
    inputs = {"articles": WikiSource(str(articles_file)).fingerprint()}
    build(Sentences, out, {"source": str(articles_file)}, inputs, cache_dir=tmp_path / "cache")
    validate_dataset(out)
    return out


@pytest.fixture
def articles_file(tmp_path):
    path = tmp_path / "a.jsonl"
    rows = [
        {"id": "1", "title": "Bergen", "text": "Bergen er en by på Vestlandet. Byen har mange fjell rundt seg."},
        {"id": "2", "title": "Oslo", "text": "Oslo er hovedstaden i Norge. Byen ligger innerst i Oslofjorden."},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_template_has_no_undefined_variables(sentences_dir):
    card_data, variables = dataset_card_inputs(sentences_dir, repo_id="me/nb-sentences", revision="v1.2.3")
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(TEMPLATE.read_text(encoding="utf-8"))
    text = template.render(card_data=card_data.to_yaml(), **variables)
    assert 'load_dataset("me/nb-sentences", revision="v1.2.3")' in text


def test_card_parses_back_with_metadata_and_plots(sentences_dir):
    render_dataset_card(sentences_dir)
    card = DatasetCard.load(sentences_dir / "README.md")
    data = card.data.to_dict()
    assert data["language"] == ["nb"] and data["license"] == "cc-by-sa-4.0"
    assert data["configs"] == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*.parquet"}]}
    ]
    assert data["size_categories"] == ["n<1K"] and data["source_datasets"] == ["wikimedia/wikipedia"]
    assert "![Rows dropped per step and reason](saga/plots/funnel.png)" in card.text
    assert (sentences_dir / "saga" / "plots" / "funnel.png").read_bytes()[:4] == b"\x89PNG"
    assert "sentences-1.1.0`: **passed**" in card.text


def test_the_card_names_a_local_source_and_credits_only_what_it_used(sentences_dir):
    render_dataset_card(sentences_dir)
    text = DatasetCard.load(sentences_dir / "README.md").text
    assert "Source: local file(s) a.jsonl." in text
    assert "`source_config`" not in text and "NorQuAD" not in text  # a local file has no Hub config or NorQuAD part
    assert "Norwegian Wikipedia articles" in text


def test_the_bundled_sample_is_credited_to_norquad(tmp_path):
    from saga.stages import run_stage

    result, _ = run_stage("sentences", {"max_articles": 5}, root=tmp_path / "datasets")
    text = (result.out_dir / "README.md").read_text(encoding="utf-8")
    assert "Source: the bundled sample of 352 Norwegian Wikipedia articles collected by NorQuAD." in text
    assert "The bundled sample was collected by NorQuAD (CC0)." in text
