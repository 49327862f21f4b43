"""`pairs` end to end on the bundled tiny policy and prompts, and its funnel on a hand-made scored set.

The chain prompts → completions → scored_completions → pairs runs through `run_stage` (build, validate, card);
TRL's `DPOTrainer` then trains one step on the pairs exactly as the folder holds them.
"""

import json

import jinja2
import polars as pl
import pytest
from trl import DPOConfig, DPOTrainer

from saga.builders.build import build
from saga.builders.pairs import Pairs
from saga.cards.dataset import TEMPLATE, dataset_card_inputs
from saga.hub.references import load_dataset_ref
from saga.models import load_model_and_tokenizer, resolve_model
from saga.stages import card_section, run_stage

GENERATION = {"n_samples": 2, "max_tokens": 32, "max_prompts": 4, "shard_size": 4, "device": "cpu", "threads": 1}
# The bundled tiny policy rarely writes a completion the scorer rates >= 0.2 (the seed's min_chosen), so these
# few prompts are paired with a lower bar; the default delta is kept.
PAIRS = {"min_delta": 0.25, "min_chosen": -0.5}


@pytest.fixture(scope="module")
def chain(prompts_root):
    """The generation stages built on the shared prompts root, with the default grid and the `PAIRS` thresholds."""
    run_stage("completions", GENERATION, root=prompts_root)
    run_stage("scored_completions", root=prompts_root)
    result, report = run_stage("pairs", PAIRS, root=prompts_root)
    return prompts_root, result, report


def test_pairs_are_non_empty_and_every_row_meets_the_thresholds(chain):
    root, result, report = chain
    pairs = pl.read_parquet(root / "pairs" / "data" / "*.parquet")
    assert pairs.height == sum(result.rows.values()) > 0
    assert (pairs["delta"] >= PAIRS["min_delta"]).all() and (pairs["chosen_score"] >= PAIRS["min_chosen"]).all()
    chosen = pairs["chosen"].list.first().struct.field("content")
    rejected = pairs["rejected"].list.first().struct.field("content")
    assert (chosen != rejected).all()
    assert pairs["prompt_id"].n_unique() == pairs.height, "best_worst: one pair per prompt"
    assert report.success and report.suite == "pairs-1.1.0"


def test_pairs_keep_the_prompt_split(chain):
    root, result, _ = chain
    prompts = pl.read_parquet(root / "prompts" / "data" / "test-*.parquet")
    completions = pl.read_parquet(root / "completions" / "data" / "*.parquet")
    assert completions.height == 8 * 3 * 2, "4 prompts per split x 3 temperatures x 2 samples"
    for split in result.rows:
        ids = set(pl.read_parquet(root / "pairs" / "data" / f"{split}-*.parquet")["prompt_id"])
        assert (ids <= set(prompts["prompt_id"])) == (split == "test")


def test_funnel_accounts_for_every_prompt(chain):
    root, result, _ = chain
    funnel = {step["step"]: step for step in json.loads((root / "pairs" / "saga" / "funnel.json").read_text())}
    assert funnel["candidates"]["in"] == 48
    assert funnel["prompts"]["in"] == 8
    assert funnel["prompts"]["out"] + sum(funnel["prompts"]["dropped"].values()) == 8
    assert funnel["pairs"]["out"] == sum(result.rows.values())


def test_card_shows_the_pair_statistics_and_histograms(chain):
    root, _, _ = chain
    card = (root / "pairs" / "README.md").read_text()
    assert "| split | pairs | prompts | mean chosen | mean rejected | mean delta |" in card
    for plot in ("chosen", "rejected", "delta"):
        assert f"(saga/plots/{plot}.png)" in card
        assert (root / "pairs" / "saga" / "plots" / f"{plot}.png").read_bytes()[:4] == b"\x89PNG"
    extra, plots = card_section(root / "pairs")
    card_data, variables = dataset_card_inputs(root / "pairs", extra=extra, plots=plots)
    template = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(TEMPLATE.read_text(encoding="utf-8"))
    assert "pairs-1.1.0`: **passed**" in template.render(card_data=card_data.to_yaml(), **variables)
    assert "### Completions by temperature" in (root / "scored_completions" / "README.md").read_text()


def test_dpo_trainer_accepts_the_pairs_unchanged(chain, tmp_path):
    root, _, _ = chain
    splits, _ = load_dataset_ref(str(root / "pairs"), cache_dir=tmp_path / "hf")
    model, tokenizer = load_model_and_tokenizer(resolve_model("tiny_nb_mistral"), bf16=False)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    args = DPOConfig(
        output_dir=str(tmp_path / "dpo"),
        max_steps=1,
        per_device_train_batch_size=2,
        max_length=128,
        use_cpu=True,
        bf16=False,
        report_to="none",
        save_strategy="no",
        logging_steps=1,
        disable_tqdm=True,
    )
    trainer = DPOTrainer(model=model, args=args, train_dataset=splits["train"], processing_class=tokenizer)
    trainer.train()
    assert any("loss" in entry for entry in trainer.state.log_history)
    assert any(not (p.detach() == before[name]).all() for name, p in model.named_parameters())


def write_scored(folder, rows):
    (folder / "data").mkdir(parents=True)
    frame = pl.DataFrame(rows, schema_overrides={"reject_reason": pl.String})
    frame.filter(pl.col("split") == "train").drop("split").write_parquet(
        folder / "data" / "train-00000-of-00001.parquet"
    )
    return folder


def scored_row(prompt_id, text, score, temperature=0.7, sample_idx=0, reason=None):
    return {
        "prompt_id": prompt_id,
        "prompt": [{"role": "user", "content": f"Skriv om {prompt_id}."}],
        "completion": text,
        "score": score,
        "reject_reason": reason,
        "temperature": temperature,
        "sample_idx": sample_idx,
        "split": "train",
    }


@pytest.mark.parametrize(
    ("strategy", "pairs", "over_cap"),
    [("best_worst", 1, 0), ("all", 2, 1)],
)
def test_funnel_counts_each_reason_on_a_hand_made_set(tmp_path, strategy, pairs, over_cap):
    rows = [
        scored_row("good", "Huset er stort.", 0.9),
        scored_row("good", "Huset stort.", 0.3, 0.9),
        scored_row("good", "huset", -0.5, 1.1),
        scored_row("good", "", -1.0, 1.1, 1, reason="empty"),
        scored_row("same", "Bilen er rød.", 0.8),
        scored_row("same", "Bilen er rød.", 0.8, 1.1),
        scored_row("low", "bil", 0.1),
        scored_row("low", "rød", -0.9, 0.9),
        scored_row("close", "Bilen er rød.", 0.6),
        scored_row("close", "Bilen var rød.", 0.5, 0.9),
        scored_row("alone", "Det regner.", 0.9),
    ]
    folder = write_scored(tmp_path / "scored_completions", rows)
    config = {"input_dir": str(folder), "strategy": strategy, "max_pairs_per_prompt": 2}
    result = build(Pairs, tmp_path / "pairs", config, {"input": "hand-made"}, cache_dir=tmp_path / "cache")
    funnel = {step["step"]: step for step in json.loads((tmp_path / "pairs" / "saga" / "funnel.json").read_text())}
    assert funnel["candidates"] == {
        "step": "candidates",
        "unit": "completions",
        "in": 11,
        "out": 10,
        "dropped": {"unscorable_empty": 1},
    }
    assert funnel["prompts"]["dropped"] == {
        "identical": 1,
        "chosen_too_low": 1,
        "delta_too_small": 1,
        "no_candidates": 1,
    }
    assert funnel["pairs"] == {
        "step": "pairs",
        "unit": "pairs",
        "in": pairs + over_cap,
        "out": pairs,
        "dropped": {"over_max_pairs_per_prompt": over_cap} if over_cap else {},
    }
    assert result.rows == {"train": pairs}
