"""Merge an SFT adapter into its base, train DPO on the merged checkpoint, and show the matching usage in the card."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from huggingface_hub import ModelCard
from peft import PeftModel
from transformers import AutoModelForCausalLM

from saga.cli.main import main
from saga.errors import ReferenceResolutionError
from saga.models import resolve_model
from saga.permissions import umask
from saga.trainers.merge import merge_adapter


@pytest.fixture(scope="module")
def sft_adapter(sft_folder, fast_flags, tmp_path_factory):
    """A KL-SFT adapter trained on a copy of the bundled model (a local-folder base), with a large step."""
    root = tmp_path_factory.mktemp("sft")
    base = shutil.copytree(resolve_model("tiny_nb_mistral").location, root / "base")
    out = root / "adapter"
    flags = fast_flags(learning_rate=0.01)
    assert main(["train", "sft", "--dataset", str(sft_folder), "--model", str(base), "--out", str(out), *flags]) == 0
    return out


@pytest.fixture(scope="module")
def merged(sft_adapter, tmp_path_factory):
    out = tmp_path_factory.mktemp("merged") / "sft-merged"
    assert main(["merge", str(sft_adapter), "--out", str(out)]) == 0
    return out


def test_merge_names_its_adapter_once(sft_adapter, tmp_path, capsys):
    assert main(["merge", "--out", str(tmp_path / "m")]) == 1
    assert main(["merge", str(sft_adapter), "--adapter", str(sft_adapter), "--out", str(tmp_path / "m")]) == 1
    assert capsys.readouterr().err.count("name the adapter once: saga merge ADAPTER --out DIR") == 2


def test_merged_checkpoint_computes_what_base_plus_adapter_computes(sft_adapter, merged):
    record = json.loads((sft_adapter / "saga" / "training.json").read_text())
    base = AutoModelForCausalLM.from_pretrained(record["base_model"]["ref"], dtype=torch.float32)
    with_adapter = PeftModel.from_pretrained(base, str(sft_adapter)).eval()
    standalone = AutoModelForCausalLM.from_pretrained(merged, dtype=torch.float32).eval()
    input_ids = torch.tensor([[1, 4, 300, 301, 302, 5]])
    with torch.no_grad():
        expected, actual = with_adapter(input_ids=input_ids).logits, standalone(input_ids=input_ids).logits
        plain = with_adapter.get_base_model()
        with with_adapter.disable_adapter():
            unadapted = plain(input_ids=input_ids).logits
    torch.testing.assert_close(actual, expected, rtol=1e-4, atol=1e-4)
    assert not torch.allclose(actual, unadapted, atol=1e-4)  # the adapter did change the model

    merge = json.loads((merged / "saga" / "merge.json").read_text())
    assert merge["base_model"] == record["base_model"] and merge["adapter"]["ref"] == str(sft_adapter)
    assert merge["adapter"]["adapter_sha256"] == record["adapter_sha256"]
    assert (merged / "tokenizer.json").is_file() and (merged / "chat_template.jinja").is_file()
    card = ModelCard.load(merged / "README.md")
    assert "merged" in card.data.tags and record["adapter_sha256"] in card.text


def test_merge_refuses_a_base_that_changed_since_training(sft_adapter, tmp_path):
    record = json.loads((sft_adapter / "saga" / "training.json").read_text())
    readme = Path(record["base_model"]["ref"]) / "README.md"
    original = readme.read_text(encoding="utf-8")
    try:
        readme.write_text(original + "\nedited\n", encoding="utf-8")
        with pytest.raises(ReferenceResolutionError, match="but adapter .* was trained on"):
            merge_adapter(str(sft_adapter), tmp_path / "merged")
    finally:
        readme.write_text(original, encoding="utf-8")
    assert not (tmp_path / "merged").exists()


def test_dpo_on_the_merged_checkpoint_raises_rewards_accuracy_and_its_card_shows_matching_usage(
    merged, sft_adapter, pairs_folder, fast_flags, tmp_path
):
    outs = {}
    for precompute in (False, True):
        out = outs[precompute] = tmp_path / f"dpo-{precompute}"
        flags = fast_flags(max_steps=4, learning_rate=0.005, precompute_ref_log_probs=precompute)
        assert (
            main(["train", "dpo", "--dataset", str(pairs_folder), "--model", str(merged), "--out", str(out), *flags])
            == 0
        )

    record = json.loads((outs[False] / "saga" / "training.json").read_text())
    logs = [entry for entry in record["log_history"] if "rewards/accuracies" in entry]
    assert [entry["step"] for entry in logs] == [1, 2, 3, 4]
    assert logs[0]["rewards/margins"] == 0.0  # the adapter starts as the reference
    assert logs[-1]["rewards/accuracies"] > 0.5 and logs[-1]["rewards/margins"] > 0
    assert record["base_model"]["merged_from"]["adapter"]["ref"] == str(sft_adapter)
    precomputed = json.loads((outs[True] / "saga" / "training.json").read_text())
    assert precomputed["config"]["precompute_ref_log_probs"] is True
    for ours, theirs in zip(logs, [e for e in precomputed["log_history"] if "rewards/accuracies" in e], strict=True):
        assert ours["rewards/accuracies"] == pytest.approx(theirs["rewards/accuracies"])
        assert ours["loss"] == pytest.approx(theirs["loss"], rel=1e-4)

    card = ModelCard.load(outs[False] / "README.md")
    assert card.data.library_name == "peft" and "dpo" in card.data.tags
    assert "| rewards accuracy |" in card.text and "merged SFT checkpoint" in card.text
    usage = card.text.split("## Usage", 1)[1]
    sft_base = json.loads((sft_adapter / "saga" / "training.json").read_text())["base_model"]["ref"]
    assert f'base = AutoModelForCausalLM.from_pretrained("{sft_base}")' in usage
    assert f'sft_checkpoint = PeftModel.from_pretrained(base, "{sft_adapter}").merge_and_unload()' in usage
    assert f'model = PeftModel.from_pretrained(sft_checkpoint, "{outs[False]}")' in usage
    assert 'PeftModel.from_pretrained(base, "' + str(outs[False]) not in usage  # never on the bare base


def test_adapter_and_merged_weights_are_readable_like_their_configs(sft_adapter, merged):
    """safetensors leaves mode 0600; the stages give weights the mode their other files got."""
    expected = 0o666 & ~umask()
    for folder in (sft_adapter, merged):
        weights = sorted(folder.glob("*.safetensors"))
        assert weights
        assert {w.stat().st_mode & 0o777 for w in weights} == {expected}
