"""Evaluation metrics on the bundled tiny model, and `saga eval` writing eval.json and the card table."""

from __future__ import annotations

import json
import math

import polars as pl
import pytest

from saga.cli.main import main
from saga.trainers.eval_config import EvalConfig
from saga.trainers.evaluation import distinct_n, perplexity


def test_distinct_n_counts_bigrams_within_texts():
    assert distinct_n(["Huset er stort", "huset er lite"]) == 0.75
    assert distinct_n(["ja ja ja ja"]) == pytest.approx(1 / 3)
    assert distinct_n(["ett", ""]) == 0.0


def test_eval_config_rejects_bad_values():
    with pytest.raises(ValueError, match="backend must be one of"):
        EvalConfig(backend="hf")
    with pytest.raises(ValueError, match="temperature must be > 0"):
        EvalConfig(temperature=0.0)


def sft_rows(folder, count: int) -> list[dict]:
    return pl.read_parquet(folder / "data" / "train-00000-of-00001.parquet").head(count).to_dicts()


def test_perplexity_is_finite_and_lower_on_real_text(sft_folder):
    from saga.models import load_model_and_tokenizer, resolve_model

    model, tokenizer = load_model_and_tokenizer(resolve_model("tiny_nb_mistral"), bf16=False)
    texts = [row["text"] for row in sft_rows(sft_folder, 8)]
    real = perplexity(model.eval(), tokenizer, texts, batch_size=3)
    shuffled = perplexity(model, tokenizer, [" ".join(reversed(text.split())).lower() for text in texts])
    assert 1.0 < real < 8000 and math.isfinite(shuffled)
    assert real < shuffled  # the tiny model has learnt Norwegian word order


@pytest.fixture(scope="module")
def prompts_folder(tmp_path_factory, sft_folder):
    """Three prompts in a `test` split, with the manifest `input_fingerprint` reads."""
    rows = [
        {"prompt": [{"role": "user", "content": f"Skriv en kort tekst om {row['title']}."}]}
        for row in sft_rows(sft_folder, 3)
    ]
    folder = tmp_path_factory.mktemp("eval") / "prompts"
    (folder / "data").mkdir(parents=True)
    pl.DataFrame(rows).write_parquet(folder / "data" / "test-00000-of-00001.parquet")
    (folder / "saga").mkdir()
    (folder / "saga" / "manifest.json").write_text(json.dumps({"fingerprint": "p" * 32}))
    return folder


def test_saga_eval_writes_eval_json_and_card(tmp_path, prompts_folder, sft_folder, fast, capsys):
    from saga.trainers.kl_sft_config import KLSFTConfig
    from saga.trainers.runs import train_adapter

    (sft_folder / "saga").mkdir(exist_ok=True)
    (sft_folder / "saga" / "manifest.json").write_text(json.dumps({"fingerprint": "s" * 32}))
    adapter = tmp_path / "sft"
    train_adapter("sft", KLSFTConfig(output_dir="unused", **{**fast, "max_steps": 1}), str(sft_folder), adapter)
    code = main(
        [
            "eval",
            "--model",
            "tiny_nb_mistral",
            "--adapter",
            str(adapter),
            "--prompts",
            str(prompts_folder),
            "--heldout-text",
            str(sft_folder),
            "--heldout_split",
            "train",
            "--max_heldout",
            "6",
            "--n_samples",
            "2",
            "--max_tokens",
            "16",
            "--threads",
            "1",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "| model | completions | parse success |" in out  # after the training logs of the fixture run
    report = json.loads((adapter / "eval.json").read_text())
    assert report["adapter_row"] == "KL-SFT"
    assert [row["model"] for row in report["rows"]] == ["base", "KL-SFT"]
    assert report["prompts"] == {"ref": str(prompts_folder), "fingerprint": "p" * 32, "rows": 3}
    for row in report["rows"]:
        assert row["completions"] == 6
        assert 0.0 <= row["parse_success"] <= 1.0 and -1.0 <= row["mean_score"] <= 1.0
        assert 0.0 <= row["mattr"] <= 1.0 and 0.0 <= row["distinct_2"] <= 1.0
        assert row["mean_words"] > 0 and 1.0 < row["perplexity"] < 8000
        assert 0.0 <= row["prompt_copy_rate"] <= 1.0 and 0.0 <= row["unknown_word_rate"] <= 1.0
    base, sft = report["rows"]
    assert base["length_vs_base"] == 1.0 and sft["length_vs_base"] == sft["mean_words"] / base["mean_words"]
    assert report["rows"][1]["adapter"] == str(adapter)
    card = (adapter / "README.md").read_text()
    assert "## Evaluation" in card and "**KL-SFT** (this adapter)" in card
    assert "| length vs base | prompt copies | with unknown words |" in card
    assert f"{report['rows'][0]['perplexity']:.1f}" in card


def test_completion_metrics_monitor_prompt_copies_and_unknown_words():
    from saga.builders.scoring import GrammarScorer
    from saga.trainers.evaluation import completion_metrics

    scorer = GrammarScorer()
    prompt = "Skriv en kort tekst om Oslo."
    texts = ["Skriv en kort tekst om Oslo.", "Oslo er en stor by.", "Oslo har en fin raport."]
    metrics = completion_metrics(texts, scorer, [prompt] * 3)
    assert metrics["prompt_copy_rate"] == pytest.approx(1 / 3)
    assert metrics["unknown_word_rate"] == pytest.approx(1 / 3)
    assert completion_metrics(texts, scorer)["prompt_copy_rate"] == 0.0  # no prompts: nothing to copy
