"""Training from Hub revisions against the Hub-protocol test server: pinned SHAs, card metadata, push, bad revisions.

`datasets` reads the Hub endpoint at import time, so the training run that loads from the server runs in a fresh
process configured only by the `hub_env` environment.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import HfApi, ModelCard

from saga.cli.main import main
from saga.models import bundled_hub_reference, resolve_model

MODEL_REPO, DATASET_REPO, ADAPTER_REPO = "saga-org/tiny-nb", "saga-org/nb-sft", "saga-org/nb-sft-lora"


def bundled_model_files() -> dict[str, bytes]:
    model_dir = Path(resolve_model("tiny_nb_mistral").location)
    return {p.relative_to(model_dir).as_posix(): p.read_bytes() for p in model_dir.rglob("*") if p.is_file()}


def run_card_snippet(repo_id: str, tag: str, env: dict, tmp_path: Path) -> str:
    """Download the adapter card at `tag` from the test server, run its Python snippet as printed, return stdout."""
    card_path = HfApi().hf_hub_download(repo_id, "README.md", revision=tag, cache_dir=tmp_path / "card")
    [snippet] = re.findall(r"```python\n(.*?)```", ModelCard.load(card_path).text, flags=re.DOTALL)
    run = subprocess.run([sys.executable, "-c", snippet], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture
def published(hub, sft_folder):
    """The bundled tiny model and the SFT fixture on the test server; returns their `main` commit SHAs."""
    model_files = bundled_model_files()
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
    assert run_card_snippet(ADAPTER_REPO, "v1.0.0", env, tmp_path).strip(), "the snippet generates text"


def test_an_adapter_on_the_bundled_base_names_its_published_repo_and_its_snippet_runs(
    hub, hub_env, sft_folder, fast_flags, tmp_path
):
    """The bundled tiny model's card and adapter config name its documented Hub repository, never a path of the
    training machine; with that repository published, the card's snippet runs as printed."""
    bundled = bundled_hub_reference("tiny_nb_mistral")
    commit = hub.store.seed("model", bundled.repo_id, bundled_model_files()).oid
    HfApi().create_tag(bundled.repo_id, tag=bundled.revision, revision=commit)
    out, env = tmp_path / "adapter", {**hub_env, "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "saga.cli.main", "train", "sft", "--dataset", str(sft_folder), "--out", str(out)]
    command += ["--push-to", ADAPTER_REPO, "--tag", "v1.0.0"]
    result = subprocess.run(command + fast_flags(), env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    adapter_config = json.loads((out / "adapter_config.json").read_text())
    assert (adapter_config["base_model_name_or_path"], adapter_config["revision"]) == (bundled.repo_id, "v1.0.0")
    card = ModelCard.load(out / "README.md")
    assert card.data.base_model == bundled.repo_id and str(tmp_path) not in card.text
    assert f'from_pretrained("{bundled.repo_id}", revision="v1.0.0")' in card.text
    assert run_card_snippet(ADAPTER_REPO, "v1.0.0", env, tmp_path).strip(), "the snippet generates text"


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
