"""`saga train`: reproducible adapters (twice and from the card), records, and one clear error before training."""

from __future__ import annotations

import json
import os

import polars as pl
import pytest
from huggingface_hub import ModelCard
from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

from saga.cli.main import main
from saga.models import resolve_model


def train(*args: str) -> int:
    return main(["train", *args])


def test_same_revision_config_and_seed_give_bit_identical_adapters_and_the_card_retrains_them(
    sft_folder, tmp_path, fast_flags, capsys
):
    first, second, again = tmp_path / "first", tmp_path / "second", tmp_path / "again"
    for out in (first, second):
        assert train("sft", "--dataset", str(sft_folder), "--out", str(out), *fast_flags(kl_beta=0.2)) == 0
    assert train("--from-card", str(first), "--out", str(again)) == 0
    printed = capsys.readouterr().out

    weights = {out: (out / "adapter_model.safetensors").read_bytes() for out in (first, second, again)}
    assert weights[first] == weights[second] == weights[again]
    record = json.loads((first / "saga" / "training.json").read_text())
    assert f"adapter sha256: {record['adapter_sha256']}" in printed
    assert sorted(path.name for path in first.iterdir()) == [
        "README.md",
        "adapter_config.json",
        "adapter_model.safetensors",
        "saga",
    ]

    assert record["kind"] == "sft" and record["seed"] == 0 and record["config"]["kl_beta"] == 0.2
    assert record["dataset"]["ref"] == str(sft_folder) and len(record["dataset"]["revision"]) == 64
    assert record["base_model"]["ref"] == "tiny_nb_mistral"
    adapter_config = json.loads((first / "adapter_config.json").read_text())
    # the bundled model's published repository, not this machine's path
    assert (adapter_config["base_model_name_or_path"], adapter_config["revision"]) == (
        "saga-nlp/tiny-nb-mistral",
        "v1.0.0",
    )
    assert record["base_model"]["revision"] == resolve_model("tiny_nb_mistral").revision
    assert {"saga", "torch", "transformers", "trl", "peft", "datasets"} <= record["libraries"].keys()
    assert record["metrics"]["global_step"] == 3 and {"ce", "kl", "loss"} <= record["metrics"]["last_logged"].keys()
    assert record["parameters"]["trainable"] < record["parameters"]["total"]
    retrained = json.loads((again / "saga" / "training.json").read_text())
    assert retrained["config"] == {**record["config"], "output_dir": str(again)}

    card = ModelCard.load(first / "README.md")
    assert card.data.library_name == "peft" and card.data.license == "cc-by-sa-4.0"
    assert "kl-sft" in card.data.tags and card.data.base_model == "saga-nlp/tiny-nb-mistral"  # the bundled base's
    assert record["dataset"]["revision"] in card.text and "| `kl_beta` | `0.2` |" in card.text
    assert 'PeftModel.from_pretrained(base, "' + str(first) + '")' in card.text


def test_config_file_sets_fields_and_flags_override_it(sft_folder, tmp_path, fast_flags):
    config = tmp_path / "sft.yaml"
    config.write_text("kl_beta: 0.3\nlora_r: 4\nlearning_rate: 0.001\n")
    out = tmp_path / "out"
    assert (
        train("sft", "--config", str(config), "--dataset", str(sft_folder), "--out", str(out), *fast_flags(lora_r=8))
        == 0
    )
    recorded = json.loads((out / "saga" / "training.json").read_text())["config"]
    assert (recorded["kl_beta"], recorded["lora_r"], recorded["learning_rate"]) == (0.3, 8, 0.001)


@pytest.mark.parametrize(
    ("config_text", "message"),
    [
        ("kl_beta: 0.3\nno_such_field: 1\n", "Unknown arguments from config file: ['--no_such_field', '1']"),
        ("- kl_beta\n", "must contain a YAML mapping"),
        ("kl_beta: [0.3\n", "while parsing a flow sequence"),
    ],
)
def test_a_bad_config_file_is_one_error_naming_it(sft_folder, tmp_path, capsys, config_text, message):
    config = tmp_path / "sft.yaml"
    config.write_text(config_text)
    out = tmp_path / "out"
    assert train("sft", "--config", str(config), "--dataset", str(sft_folder), "--out", str(out)) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"saga: error: invalid KLSFTConfig from config file {config}: ") and message in error
    assert not out.exists()


def test_the_config_files_env_mapping_sets_the_environment_as_trl_does(sft_folder, tmp_path, fast_flags, monkeypatch):
    monkeypatch.delenv("SAGA_TEST_FROM_CONFIG", raising=False)
    config = tmp_path / "sft.yaml"
    config.write_text("env:\n  SAGA_TEST_FROM_CONFIG: set\nkl_beta: 0.3\n")
    out = tmp_path / "out"
    assert train("sft", "--config", str(config), "--dataset", str(sft_folder), "--out", str(out), *fast_flags()) == 0
    assert os.environ["SAGA_TEST_FROM_CONFIG"] == "set"
    assert json.loads((out / "saga" / "training.json").read_text())["config"]["kl_beta"] == 0.3


def _gpt2_folder(path):
    tokenizer = AutoTokenizer.from_pretrained(resolve_model("tiny_nb_mistral").location)
    GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=1, n_head=2)).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_messages", "split train lacks column(s) messages (columns: text, title)"),
        ("pairs_for_sft", "split train lacks column(s) messages (columns: prompt, chosen, rejected)"),
        ("missing_folder", "is neither a local folder nor a Hub reference ORG/NAME@REV"),
        ("gpt2_base", "has no linear modules named q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj"),
    ],
)
def test_bad_input_gives_one_clear_error_before_training(case, message, sft_folder, pairs_folder, tmp_path, capsys):
    dataset, model = str(sft_folder), "tiny_nb_mistral"
    if case == "no_messages":
        (tmp_path / "plain" / "data").mkdir(parents=True)
        pl.DataFrame({"text": ["Huset er stort."], "title": ["Hus"]}).write_parquet(
            tmp_path / "plain" / "data" / "train-00000-of-00001.parquet"
        )
        dataset = str(tmp_path / "plain")
    elif case == "pairs_for_sft":
        dataset = str(pairs_folder)
    elif case == "missing_folder":
        dataset = str(tmp_path / "nowhere")
    else:
        model = str(_gpt2_folder(tmp_path / "gpt2"))
    out = tmp_path / "out"

    assert train("sft", "--dataset", dataset, "--model", model, "--out", str(out), "--use_cpu", "True") == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error[0].startswith("saga: error: ") and message in error[0]
    assert not out.exists()  # nothing trained, nothing written


def test_dpo_dataset_without_pairs_is_refused(sft_folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert train("dpo", "--dataset", str(sft_folder), "--out", str(out)) == 1
    error = capsys.readouterr().err
    assert "lacks column(s) prompt, chosen, rejected" in error and "hint: a dpo dataset needs" in error
    assert not out.exists()


def test_usage_errors_name_what_is_missing(tmp_path, capsys):
    assert train("sft", "--out", str(tmp_path / "x")) == 1
    assert "needs --dataset REF" in capsys.readouterr().err
    assert train("--out", str(tmp_path / "x")) == 1
    assert "saga train sft|dpo" in capsys.readouterr().err
    assert train("sft", "--dataset", "x", "--out", str(tmp_path / "x"), "--push-to", "me/x") == 1
    assert "--push-to needs --tag" in capsys.readouterr().err


def test_a_non_empty_output_folder_is_refused(sft_folder, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old-checkpoint.bin").write_bytes(b"stale")
    assert train("sft", "--dataset", str(sft_folder), "--out", str(out)) == 1
    assert f"output folder {out} already exists and is not empty" in capsys.readouterr().err
    assert [path.name for path in out.iterdir()] == ["old-checkpoint.bin"]


def test_trainer_fields_saga_replaces_are_hidden_and_refused(sft_folder, tmp_path, capsys):
    from saga.cli.main import build_parser

    kinds = build_parser(["train"])._subparsers._group_actions[0].choices["train"]._subparsers._group_actions[0]
    help_text = kinds.choices["sft"].format_help()
    assert "--out" in help_text and "--push-to" in help_text
    assert "--output_dir" not in help_text and "--push_to_hub" not in help_text and "--hub_model_id" not in help_text
    code = train("sft", "--dataset", str(sft_folder), "--out", str(tmp_path / "a"), "--push_to_hub", "true")
    assert code == 1
    assert "saga train sets these itself: --push_to_hub (use --push-to)" in capsys.readouterr().err
