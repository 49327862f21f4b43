"""Which folders may be published, and the fingerprint that names a local folder's revision."""

from __future__ import annotations

import json
import shutil

import pytest

from saga.errors import PublishRefusedError
from saga.hub.folders import check_publishable
from saga.versions import folder_files, folder_fingerprint


@pytest.fixture
def folder(dataset_folder):
    return dataset_folder("ds", [{"text": "Hei.", "score": 0.9}])


def test_a_validated_dataset_folder_is_publishable(folder):
    verdict = check_publishable(folder, "dataset")
    assert (verdict["success"], verdict["suite"], verdict["failed"]) == (True, "saga_test_suite.v1", [])
    assert sorted(verdict["files"]) == ["data/train-00000-of-00001.parquet", "saga/funnel.json", "saga/manifest.json"]


def test_a_card_re_rendered_after_validation_is_still_publishable(folder):
    (folder / "README.md").write_text("---\nlicense: cc-by-sa-4.0\n---\n# New card\n", encoding="utf-8")
    (folder / "saga" / "plots" / "scores.png").write_bytes(b"png")
    assert check_publishable(folder, "dataset")["success"] is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: (f / "data" / "train-00000-of-00001.parquet").write_bytes(b"garbage"), "parquet changed since"),
        (lambda f: (f / "saga" / "manifest.json").write_text("{}"), "saga/manifest.json changed since validation"),
        (lambda f: (f / "data" / "extra-00000-of-00001.parquet").write_bytes(b"x"), "extra.* was never validated"),
        (lambda f: (f / "saga" / "funnel.json").unlink(), "saga/funnel.json is missing"),
    ],
)
def test_files_that_are_not_what_was_validated_are_refused(folder, change, message):
    change(folder)
    with pytest.raises(PublishRefusedError, match=message):
        check_publishable(folder, "dataset")


def test_a_verdict_without_file_digests_vouches_for_nothing(folder):
    verdict = json.loads((folder / "saga" / "validation.json").read_text())
    del verdict["files"]
    (folder / "saga" / "validation.json").write_text(json.dumps(verdict))
    with pytest.raises(PublishRefusedError, match="records no file digests"):
        check_publishable(folder, "dataset")


@pytest.mark.parametrize(
    ("validation", "message"),
    [
        ('{"success": false, "suite": "s.v1", "failed": ["a", "b", "c", "d"]}', r"suite 's.v1' failed \(4 failed"),
        ('{"suite": "s.v1"}', r"suite 's.v1' failed \(0 failed expectation\(s\)\)"),
        ('{"success": "yes"}', "failed"),
        ("not json", r"cannot read .*validation.json"),
        ("[1, 2]", "must hold a JSON object, not list"),
    ],
)
def test_a_dataset_without_successful_validation_is_refused(folder, validation, message):
    (folder / "saga" / "validation.json").write_text(validation, encoding="utf-8")
    with pytest.raises(PublishRefusedError, match=message):
        check_publishable(folder, "dataset")


def test_a_dataset_without_data_files_is_refused(folder):
    shutil.rmtree(folder / "data")
    with pytest.raises(PublishRefusedError, match=r"no data/\{split\}-\*.parquet files"):
        check_publishable(folder, "dataset")


def test_an_adapter_folder_needs_its_training_record(tmp_path):
    (tmp_path / "saga").mkdir()
    for name in ("adapter_model.safetensors", "adapter_config.json", "README.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(PublishRefusedError, match="missing saga/training.json"):
        check_publishable(tmp_path, "model")
    (tmp_path / "saga" / "training.json").write_text(json.dumps({"dataset_revision": "abc"}), encoding="utf-8")
    assert check_publishable(tmp_path, "model") == {"dataset_revision": "abc"}


def test_fingerprint_is_deterministic_and_sees_every_change(folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    fingerprint = folder_fingerprint(folder)
    assert fingerprint == folder_fingerprint(copy) and len(fingerprint) == 64
    assert folder_files(folder) == sorted(folder_files(folder))

    (copy / "saga" / "manifest.json").rename(copy / "saga" / "manifest2.json")
    renamed = folder_fingerprint(copy)
    (copy / "saga" / "manifest2.json").write_text('{"rows": 2}', encoding="utf-8")
    edited = folder_fingerprint(copy)
    assert len({fingerprint, renamed, edited}) == 3
