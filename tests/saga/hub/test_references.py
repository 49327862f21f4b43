"""`ORG/NAME@REV` and local folders resolve to immutable revisions; loading pins them."""

from __future__ import annotations

from pathlib import Path

import pytest

from saga.errors import ReferenceResolutionError
from saga.hub.references import Reference, load_dataset_ref, parse_reference, resolve_revision
from saga.versions import folder_fingerprint

REPO = "saga-org/nb-dpo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("saga-org/nb-dpo@v1.0.0", Reference(repo_id="saga-org/nb-dpo", revision="v1.0.0")),
        ("saga-org/nb-dpo", Reference(repo_id="saga-org/nb-dpo", revision="main")),
        (
            "saga-org/nb-dpo@refs/convert/parquet",
            Reference(repo_id="saga-org/nb-dpo", revision="refs/convert/parquet"),
        ),
        ("a/b@" + "0" * 40, Reference(repo_id="a/b", revision="0" * 40)),
    ],
)
def test_hub_references_parse(text, expected):
    assert parse_reference(text) == expected


@pytest.mark.parametrize("text", ["nb-dpo", "a/b/c", "./missing/folder", "a/b@", "a/b@v1@v2", "a/..b@v1"])
def test_malformed_references_are_refused(text):
    with pytest.raises(ReferenceResolutionError, match="reference"):
        parse_reference(text)


def test_an_existing_folder_is_a_local_reference(tmp_path):
    assert parse_reference(str(tmp_path)) == Reference(folder=Path(tmp_path))


def test_tags_branches_and_shas_resolve_to_the_commit_sha(hub, hub_env):
    first = hub.store.seed("dataset", REPO, {"a.txt": b"1\n"})
    repo = hub.store.get("dataset", REPO)
    repo.tags["v1.0.0"] = first.oid
    second = hub.store.seed("dataset", REPO, {"a.txt": b"2\n"})

    assert resolve_revision(f"{REPO}@v1.0.0") == first.oid
    assert resolve_revision(f"{REPO}@main") == resolve_revision(REPO) == second.oid
    assert resolve_revision(f"{REPO}@{first.oid}") == first.oid
    with pytest.raises(ReferenceResolutionError, match="revision 'v9.9.9' not found in dataset saga-org/nb-dpo"):
        resolve_revision(f"{REPO}@v9.9.9")
    with pytest.raises(ReferenceResolutionError, match="model saga-org/nb-dpo not found on the Hub"):
        resolve_revision(f"{REPO}@v1.0.0", repo_type="model")


def test_a_local_folder_loads_its_splits_and_records_its_fingerprint(dataset_folder, tmp_path):
    data = [{"text": f"Setning {i}.", "score": i / 10} for i in range(4)]
    folder = dataset_folder("local", data, shards=2)
    (folder / "data" / "test-00000-of-00001.parquet").write_bytes(
        (folder / "data" / "train-00000-of-00002.parquet").read_bytes()
    )

    splits, revision = load_dataset_ref(str(folder), cache_dir=tmp_path / "cache")

    assert revision == folder_fingerprint(folder)
    assert splits["train"].to_list() == data
    assert splits["test"].to_list() == data[:2]
