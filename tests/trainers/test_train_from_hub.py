"""Training from Hub revisions against the Hub-protocol test server: pinned SHAs, card metadata, push, bad revisions.

`datasets` reads the Hub endpoint at import time, so the training run that loads from the server runs in a fresh
process configured only by the `hub_env` environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import HfApi, ModelCard

from saga.cli.main import main
from saga.models import resolve_model

MODEL_REPO, DATASET_REPO, ADAPTER_REPO = "saga-org/tiny-nb", "saga-org/nb-sft", "saga-org/nb-sft-lora"


@pytest.fixture
def published(hub, sft_folder):
    """The bundled tiny model and the SFT fixture on the test server; returns their `main` commit SHAs."""
    model_dir = Path(resolve_model("tiny_nb_mistral").location)
    model_files = {p.relative_to(model_dir).as_posix(): p.read_bytes() for p in model_dir.rglob("*") if p.is_file()}
    dataset_files = {
        p.relative_to(sft_folder).as_posix(): p.read_bytes() for p in sft_folder.rglob("*") if p.is_file()
    }
    dataset_files["README.md"] = b"---\nlicense: cc-by-sa-4.0\n---\n# SFT fixture\n"
    return {
        "model": hub.store.seed("model", MODEL_REPO, model_files).oid,
        "dataset": hub.store.seed("dataset", DATASET_REPO, dataset_files).oid,
    }


def test_adapter_trained_from_hub_revisions_records_pinned_shas_and_is_published_with_its_card(
    hub, hub_env, published, fast_flags, tmp_path
):
    out = tmp_path / "adapter"
    command = [sys.executable, "-m", "saga.cli.main", "train", "sft", "--dataset", f"{DATASET_REPO}@main"]
    command += ["--model", f"{MODEL_REPO}@main", "--out", str(out), "--push-to", ADAPTER_REPO, "--tag", "v1.0.0"]
    env = {**hub_env, "OMP_NUM_THREADS": "1"}  # one torch thread, as in the other trainer tests
    result = subprocess.run(command + fast_flags(), env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    record = json.loads((out / "saga" / "training.json").read_text())
    assert record["dataset"]["revision"] == published["dataset"] and record["dataset"]["repo_id"] == DATASET_REPO
    assert record["base_model"] == {
        "ref": f"{MODEL_REPO}@main",
        "kind": "hub",
        "revision": published["model"],
        "repo_id": MODEL_REPO,
        "merged_from": None,
    }
    adapter_config = json.loads((out / "adapter_config.json").read_text())
    assert adapter_config["base_model_name_or_path"] == MODEL_REPO and adapter_config["revision"] == published["model"]

    tags = {ref.name: ref.target_commit for ref in HfApi().list_repo_refs(ADAPTER_REPO).tags}
    assert f"commit: {tags['v1.0.0']}" in result.stdout
    card_path = HfApi().hf_hub_download(ADAPTER_REPO, "README.md", revision="v1.0.0", cache_dir=tmp_path / "cache")
    card = ModelCard.load(card_path)
    assert card.data.base_model == MODEL_REPO and card.data.datasets == [DATASET_REPO]
    assert card.data.library_name == "peft" and card.data.license == "cc-by-sa-4.0"
    assert f'AutoModelForCausalLM.from_pretrained("{MODEL_REPO}", revision="{published["model"]}")' in card.text
    assert f'PeftModel.from_pretrained(base, "{ADAPTER_REPO}", revision="v1.0.0")' in card.text
    assert published["dataset"] in card.text
    for output in (result.stdout, result.stderr):
        assert hub_env["HF_TOKEN"] not in output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--dataset", f"{DATASET_REPO}@v9.9.9"], f"revision 'v9.9.9' not found in dataset {DATASET_REPO}"),
        (["--model", f"{MODEL_REPO}@v9.9.9"], f"revision 'v9.9.9' not found in model {MODEL_REPO}"),
        (["--dataset", "saga-org/no-such-data@v1.0.0"], "dataset saga-org/no-such-data not found on the Hub"),
    ],
)
def test_a_revision_that_does_not_exist_fails_before_training(
    hub, hub_env, published, flags, message, tmp_path, capsys
):
    options = {"--dataset": f"{DATASET_REPO}@main", "--model": f"{MODEL_REPO}@main"}
    options.update(dict(zip(flags[::2], flags[1::2], strict=True)))
    out = tmp_path / "out"
    args = [part for pair in options.items() for part in pair]
    assert main(["train", "sft", *args, "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("saga: error: ") and message in error
    assert not out.exists()
    assert hub.calls("resolve") == []  # no file was downloaded: the revision is checked first
