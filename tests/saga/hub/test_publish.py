"""`saga push` against the Hub-protocol test server, with the real `huggingface_hub` and `datasets` clients."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest
from huggingface_hub import DatasetCard, HfApi, constants
from huggingface_hub.errors import RepositoryNotFoundError

from saga.cli.main import main
from saga.errors import ReferenceResolutionError
from saga.hub.references import Reference, cached_revision

from .conftest import CONSUMER

REPO = "saga-org/nb-sft"


def rows(prefix: str, count: int) -> list[dict]:
    return [{"text": f"{prefix} setning nummer {i}.", "score": round(0.5 + i / 100, 2)} for i in range(count)]


def push(folder, tag: str, *extra: str, repo: str = REPO, verbose: bool = False) -> int:
    return main([*(["-v"] if verbose else []), "push", str(folder), "--repo-id", repo, "--tag", tag, *extra])


def refs(repo: str = REPO, repo_type: str = "dataset"):
    return HfApi().list_repo_refs(repo, repo_type=repo_type)  # token from HF_TOKEN, as set by `hub_env`


def test_push_tags_revisions_that_load_back_exactly(hub, hub_env, dataset_folder, consume, capsys):
    v1_rows, v2_rows = rows("første", 5), rows("andre", 7)
    v1 = dataset_folder("v1", v1_rows)
    v2 = dataset_folder("v2", v2_rows, shards=2)  # other shard names: v1's file must not leak into v2

    # v1 through the real CLI in a fresh process configured only by the environment
    cli = subprocess.run(
        [sys.executable, "-m", "saga.cli.main", "push", str(v1), "--repo-id", REPO, "--tag", "v1.0.0"],
        env=hub_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert push(v2, "v2.0.0") == 0
    printed = capsys.readouterr().out

    tags = {ref.name: ref.target_commit for ref in refs().tags}
    assert set(tags) == {"v1.0.0", "v2.0.0"}
    assert f"commit: {tags['v1.0.0']}" in cli.stdout
    assert f"url: {hub.url}/datasets/{REPO}/commit/{tags['v1.0.0']}" in cli.stdout
    assert f"commit: {tags['v2.0.0']}" in printed
    assert len(hub.calls("commit")) == 2  # one commit per push: no half-published revision

    loaded, process = consume(f"raw:{REPO}@v1.0.0", f"{REPO}@v1.0.0", f"{REPO}@v2.0.0")
    assert loaded[f"raw:{REPO}@v1.0.0"]["rows"] == {"train": v1_rows}
    assert loaded[f"{REPO}@v1.0.0"] == {"revision": tags["v1.0.0"], "rows": {"train": v1_rows}}
    assert loaded[f"{REPO}@v2.0.0"] == {"revision": tags["v2.0.0"], "rows": {"train": v2_rows}}
    for output in (cli.stdout, cli.stderr, process.stdout, process.stderr):
        assert hub_env["HF_TOKEN"] not in output


def test_commit_failing_midway_leaves_no_revision_and_a_new_push_succeeds(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 4))
    hub.inject("commit", 500, times=6)  # the first attempt and all 5 retries fail, after the LFS uploads

    assert push(folder, "v1.0.0") == 1
    error = capsys.readouterr().err
    assert "saga: error: committing" in error and "HTTP 500" in error
    assert len(hub.calls("commit")) == 6
    assert len(hub.calls("lfs_upload")) == 2  # parquet shard + plot were uploaded before the commit failed
    before = refs()
    assert before.tags == [] and len(hub.store.get("dataset", REPO).commits) == 1  # only the repo's initial commit

    assert push(folder, "v1.0.0") == 0
    after = refs()
    assert [ref.name for ref in after.tags] == ["v1.0.0"]
    assert after.tags[0].target_commit == after.branches[0].target_commit != before.branches[0].target_commit
    assert len(hub.calls("lfs_upload")) == 2  # the retry reused the objects already on the server


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"success": False}, "validation suite 'saga_test_suite.v1' failed (1 failed expectation(s)"),
        ({"validation": False}, "missing saga/validation.json"),
    ],
)
def test_folder_without_passing_validation_is_refused_before_any_request(
    hub, hub_env, dataset_folder, capsys, options, message
):
    folder = dataset_folder("bad", rows("feil", 3), **options)

    assert push(folder, "v1.0.0") == 1
    error = capsys.readouterr().err
    assert error.startswith("saga: error: refusing to publish") and message in error
    assert hub.requests == []


def test_existing_card_configs_and_dataset_info_survive_a_new_card(hub, hub_env, dataset_folder, tmp_path):
    hub_card = """---
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*
- config_name: raw
  data_files: raw/*.jsonl
dataset_info:
  features:
  - name: text
    dtype: string
  - name: score
    dtype: float64
maintainer_note: curated by hand on the Hub
license: unknown
---
# Old card
"""
    hub.store.seed("dataset", REPO, {"README.md": hub_card.encode()})

    assert push(dataset_folder("v1", rows("første", 3)), "v1.0.0") == 0

    path = HfApi(token=False).hf_hub_download(
        REPO, "README.md", repo_type="dataset", revision="v1.0.0", cache_dir=tmp_path / "cards"
    )
    card = DatasetCard.load(path)
    assert card.data.configs == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}]},
        {"config_name": "raw", "data_files": "raw/*.jsonl"},
    ]
    assert card.data.dataset_info == {
        "features": [{"name": "text", "dtype": "string"}, {"name": "score", "dtype": "float64"}]
    }
    assert card.data.maintainer_note == "curated by hand on the Hub"
    assert card.data.license == "cc-by-sa-4.0"  # the new card's keys win
    assert card.text.strip().startswith("# saga publish test")  # and so does its prose


def test_token_never_appears_in_output_logs_or_files(hub, hub_env, dataset_folder, consume, capsys, caplog, tmp_path):
    token = hub_env["HF_TOKEN"]
    caplog.set_level(logging.DEBUG)
    folder = dataset_folder("v1", rows("første", 3))
    hub.inject("create_tag", 403)  # an auth failure path must not echo the token either

    assert push(folder, "v1.0.0", verbose=True) == 1
    assert push(folder, "v1.0.0") == 0
    _, process = consume(f"{REPO}@v1.0.0")  # fills HF_HOME with the hub and datasets caches
    assert all(request.authenticated for request in hub.requests if request.route in ("commit", "create_tag"))
    assert len(hub.calls("commit")) == 1  # the second push found nothing to change and only tagged the commit

    captured = capsys.readouterr()
    assert "the Hub refused the token (HTTP 403)" in captured.err
    assert caplog.records, "a verbose push logs its steps"
    for text in (captured.out, captured.err, caplog.text, process.stdout, process.stderr):
        assert token not in text
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.is_relative_to(tmp_path / "hf_home") for path in written)
    for path in written:
        assert token.encode() not in path.read_bytes(), path


def test_existing_tag_is_never_moved(hub, hub_env, dataset_folder, capsys):
    assert push(dataset_folder("v1", rows("første", 3)), "v1.0.0") == 0
    before = refs()
    capsys.readouterr()

    assert push(dataset_folder("v1b", rows("annen", 3)), "v1.0.0") == 1
    error = capsys.readouterr().err
    assert error.splitlines()[0] == (
        f"saga: error: tag v1.0.0 already exists on dataset {REPO} (commit {before.tags[0].target_commit}); "
        "tags are never moved"
    )
    assert refs() == before
    assert len(hub.calls("commit")) == 1 and len(hub.calls("preupload")) == 1  # nothing uploaded the second time


def test_transient_errors_are_retried_with_backoff(hub, hub_env, dataset_folder):
    statuses = {"refs": 500, "preupload": 429, "commit": 503, "create_tag": 429}
    hub.inject("refs", 500)
    hub.inject("preupload", 429)  # retried by huggingface_hub's own http_backoff
    hub.inject("commit", 503)  # commit, tag: sent once by the library, retried by saga
    hub.inject("create_tag", 429)

    assert push(dataset_folder("v1", rows("første", 3)), "v1.0.0") == 0
    for route in ("refs", "preupload", "commit", "create_tag"):
        assert [call.status for call in hub.calls(route)][:2] == [statuses[route], 200], route
    assert [ref.name for ref in refs().tags] == ["v1.0.0"]


def test_wrong_or_missing_token_gives_one_clear_line(hub, hub_env, dataset_folder, capsys, monkeypatch):
    folder = dataset_folder("v1", rows("første", 3))
    monkeypatch.setenv("HF_TOKEN", "hf_wrong_token_value")
    assert push(folder, "v1.0.0") == 1
    error = capsys.readouterr().err
    assert "the Hub refused the token (HTTP 401)" in error
    assert "hf_wrong_token_value" not in error

    monkeypatch.delenv("HF_TOKEN")
    hub.reset()
    assert push(folder, "v1.0.0") == 1
    assert "no Hugging Face token" in capsys.readouterr().err
    assert hub.requests == []


def test_branch_push_leaves_main_untouched(hub, hub_env, dataset_folder):
    data = rows("gren", 4)
    assert push(dataset_folder("v1", data), "v1.0.0-rc1", "--branch", "staging") == 0
    state = refs()
    branches = {ref.name: ref.target_commit for ref in state.branches}
    assert branches["staging"] == state.tags[0].target_commit != branches["main"]
    assert set(hub.store.get("dataset", REPO).commits[branches["main"]].files) == {".gitattributes"}


def test_concurrent_push_is_refused_instead_of_interleaved(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    hub.store.create_repo("dataset", REPO, private=False)
    hub.before_next("commit", lambda: hub.store.seed("dataset", REPO, {"notes.md": b"someone else's commit\n"}))

    assert push(folder, "v1.0.0") == 1
    error = capsys.readouterr().err
    assert "branch main moved while publishing (another push?); nothing was published" in error
    assert [call.status for call in hub.calls("commit")] == [412]  # a conflict is not retried
    assert refs().tags == []


def test_adapter_folder_is_published_as_a_model_repo(hub, hub_env, tmp_path, capsys):
    adapter = tmp_path / "adapter"
    (adapter / "saga").mkdir(parents=True)
    (adapter / "adapter_model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + bytes(64))
    (adapter / "adapter_config.json").write_text('{"peft_type": "LORA", "r": 8}', encoding="utf-8")
    (adapter / "README.md").write_text(
        "---\nlibrary_name: peft\nbase_model: tiny/base\n---\n# LoRA\n", encoding="utf-8"
    )
    repo = "saga-org/nb-sft-lora"

    (adapter / "saga" / "training.json").unlink(missing_ok=True)
    assert push(adapter, "v1.0.0", "--repo-type", "model", repo=repo) == 1
    assert "missing saga/training.json" in capsys.readouterr().err and hub.requests == []

    (adapter / "saga" / "training.json").write_text('{"dataset": "saga-org/nb-sft@abc"}', encoding="utf-8")
    assert push(adapter, "v1.0.0", "--repo-type", "model", "--private", repo=repo) == 0
    info = HfApi().model_info(repo, revision="v1.0.0", files_metadata=True)
    assert info.sha == refs(repo, "model").tags[0].target_commit
    assert info.private is True
    weights = next(sibling for sibling in info.siblings if sibling.rfilename == "adapter_model.safetensors")
    assert weights.lfs is not None  # binary weights went through LFS
    with pytest.raises(RepositoryNotFoundError):
        HfApi(token=False).model_info(repo)  # private: invisible without the token


def test_a_rerun_of_a_finished_push_succeeds_and_prints_the_same_commit(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    assert push(folder, "v1.0.0") == 0
    first = capsys.readouterr().out
    commits = len(hub.calls("commit"))
    assert push(folder, "v1.0.0") == 0
    assert capsys.readouterr().out == first  # tag, commit SHA and URL: the same lines
    assert len(hub.calls("commit")) == commits and len(hub.calls("create_tag")) == 1  # nothing sent again


def test_a_commit_applied_but_its_response_lost_is_found_and_tagged(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    hub.lose_response("commit", 502)  # the Hub applies the commit; the client sees 502 and retries (412)

    assert push(folder, "v1.0.0") == 0
    out = capsys.readouterr().out
    state = refs()
    assert [call.status for call in hub.calls("commit")] == [502, 412]
    assert [ref.name for ref in state.tags] == ["v1.0.0"]
    assert state.tags[0].target_commit == state.branches[0].target_commit
    assert f"commit: {state.tags[0].target_commit}" in out
    assert len(hub.store.get("dataset", REPO).commits) == 2  # the repo's first commit and ours: no second copy


def test_a_tag_created_but_its_response_lost_is_success_now_and_on_every_rerun(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    hub.lose_response("create_tag", 502)  # the tag is created; the client sees 502, retries and meets 409

    assert push(folder, "v1.0.0") == 0
    assert [call.status for call in hub.calls("create_tag")] == [502, 409]
    tagged = refs().tags[0].target_commit
    assert f"commit: {tagged}" in capsys.readouterr().out
    assert push(folder, "v1.0.0") == 0  # before, every later run failed with "tag exists"
    assert f"commit: {tagged}" in capsys.readouterr().out


def test_an_untagged_commit_of_an_earlier_run_is_tagged_not_committed_again(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    hub.inject("create_tag", 500, times=6)  # the tag never lands: the commit stays on main, untagged
    assert push(folder, "v1.0.0") == 1
    assert "tagging commit" in capsys.readouterr().err and refs().tags == []
    commits = len(hub.calls("commit"))

    assert push(folder, "v1.0.0") == 0
    assert len(hub.calls("commit")) == commits  # nothing committed twice
    state = refs()
    assert state.tags[0].target_commit == state.branches[0].target_commit


def test_a_failed_commit_does_not_adopt_someone_elses_commit(hub, hub_env, dataset_folder, capsys):
    folder = dataset_folder("v1", rows("første", 3))
    hub.store.create_repo("dataset", REPO, private=False)
    # Another writer commits, then our commit fails (not applied); the retry meets the moved branch (412).
    hub.before_next("commit", lambda: hub.store.seed("dataset", REPO, {"notes.md": b"someone else's commit\n"}))
    hub.inject("commit", 502)

    assert push(folder, "v1.0.0") == 1
    assert "branch main moved while publishing" in capsys.readouterr().err
    assert [call.status for call in hub.calls("commit")] == [502, 412] and refs().tags == []


def test_offline_mode_loads_a_cached_revision_and_names_a_missing_one(hub, hub_env, dataset_folder, consume):
    data = rows("første", 4)
    assert push(dataset_folder("v1", data), "v1.0.0") == 0
    loaded, _ = consume(f"{REPO}@v1.0.0")  # online: resolves the tag and fills the caches
    tagged = refs().tags[0].target_commit
    offline = {**hub_env, "HF_HUB_OFFLINE": "1"}
    requests = len(hub.requests)
    run = subprocess.run(
        [sys.executable, "-c", CONSUMER, f"{REPO}@v1.0.0"], env=offline, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1])[f"{REPO}@v1.0.0"] == {
        "revision": tagged,
        "rows": {"train": data},
    }
    assert len(hub.requests) == requests  # nothing asked of the Hub

    hub_cache = hub_env["HF_HOME"] + "/hub"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_CACHE", hub_cache)
        assert cached_revision(Reference(repo_id=REPO, revision="v1.0.0")) == tagged
        with pytest.raises(ReferenceResolutionError, match="not in the local Hub cache, and HF_HUB_OFFLINE is set"):
            cached_revision(Reference(repo_id=REPO, revision="v9.9.9"))


def test_a_pushed_dataset_cards_snippet_loads_the_published_tag_as_printed(hub, hub_env, tmp_path):
    import re

    from saga.stages import run_stage

    articles = tmp_path / "articles.jsonl"
    text = "Bergen er en by på Vestlandet. Byen ble grunnlagt i 1070. Den har mange innbyggere."
    articles.write_text(json.dumps({"id": "1", "title": "Bergen", "text": text}, ensure_ascii=False) + "\n")
    result, _ = run_stage("sentences", {"source": str(articles)}, root=tmp_path / "datasets")
    assert push(result.out_dir, "v1.2.0", repo="saga-org/nb-sentences") == 0

    card = DatasetCard.load("saga-org/nb-sentences", repo_type="dataset")  # the card at main, as a stranger reads it
    [snippet] = re.findall(r"```python\n(.*?)```", card.text, flags=re.DOTALL)
    assert 'load_dataset("saga-org/nb-sentences", revision="v1.2.0")' in snippet
    run = subprocess.run(
        [sys.executable, "-c", snippet + "\nprint(ds['train'].num_rows)"],
        env=hub_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.split()[-1]) == result.rows["train"]
