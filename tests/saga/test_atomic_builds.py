"""A build killed at any stage boundary leaves the dataset folder as it was, and `saga push` refuses every folder
that is not exactly what was validated; one build at a time writes a folder."""

import json
import shutil
import subprocess
import sys
import textwrap

import polars as pl
import pytest
from filelock import FileLock

from saga.errors import InputDataError, PublishRefusedError
from saga.hub.folders import check_publishable
from saga.stages import run_stage

# Runs `saga build sentences` with one step replaced by an abrupt exit (no cleanup, like a kill -9).
KILLED_BUILD = textwrap.dedent(
    """
    import functools, importlib, os, sys
    from pathlib import Path
    module, *attributes = sys.argv[1].split(".")
    target = importlib.import_module(module)
    while hasattr(target, "__path__") and attributes:  # a package: descend into its module
        module += "." + attributes.pop(0)
        target = importlib.import_module(module)
    *path, name = attributes
    target = functools.reduce(getattr, path, target)
    setattr(target, name, staticmethod(lambda *args, **kwargs: os._exit(9)))
    from saga.stages import run_stage
    run_stage("sentences", {"max_articles": int(sys.argv[3])}, root=Path(sys.argv[2]))
    """
)
# Each boundary of a build, with whether the killed build's own staging folder is then a whole, validated dataset:
# after the data (before the funnel), after the funnel (before the manifest), after the manifest (before
# validation), after validation (before the card), after the card (before the folder moves into place).
BOUNDARIES = [
    ("saga.builders.funnel.Funnel.write", False),
    ("saga.builders.build.installed_versions", False),
    ("saga.stages.validate_dataset", False),
    ("saga.stages.render_dataset_card", False),  # validated, but without its card
    ("saga.stages._move_into_place", True),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets")
    result, _ = run_stage("sentences", {"max_articles": 20}, root=root)
    return root, result.rows["train"]


@pytest.mark.parametrize(("boundary", "validated"), BOUNDARIES)
def test_a_killed_rebuild_leaves_the_validated_folder_and_push_refuses_the_rest(built, tmp_path, boundary, validated):
    source, rows = built
    root = tmp_path / "datasets"
    shutil.copytree(source, root)
    run = subprocess.run([sys.executable, "-c", KILLED_BUILD, boundary, str(root), "30"], capture_output=True)
    assert run.returncode == 9, run.stderr.decode()
    folder = root / "sentences"
    verdict = check_publishable(folder, "dataset")  # the previous build, whole
    assert verdict["success"] and pl.read_parquet(folder / "data" / "*.parquet").height == rows
    partial = root / ".sentences.partial"
    assert partial.is_dir()  # the killed build's own folder: publishable only once wholly validated
    if validated:
        assert check_publishable(partial, "dataset")["success"]
    else:
        with pytest.raises(PublishRefusedError):
            check_publishable(partial, "dataset")
    result, report = run_stage("sentences", {"max_articles": 30}, root=root)  # the next build completes it
    assert report.success and result.rows["train"] > rows and not partial.exists()
    assert (
        check_publishable(folder, "dataset")["files"]
        == json.loads((folder / "saga/validation.json").read_text())["files"]
    )


def test_new_data_beside_an_old_verdict_is_refused(built, tmp_path):
    source, _ = built
    root = tmp_path / "datasets"
    shutil.copytree(source, root)
    run_stage("sentences", {"max_articles": 30}, root=root, out_dir=tmp_path / "newer")
    mixed = root / "sentences"
    for name in ("data", "saga/manifest.json"):  # what a rebuild killed before validation used to leave
        target, new = mixed / name, tmp_path / "newer" / name
        if new.is_dir():
            shutil.rmtree(target)
            shutil.copytree(new, target)
        else:
            shutil.copy(new, target)
    with pytest.raises(PublishRefusedError, match="changed since validation"):
        check_publishable(mixed, "dataset")


def test_a_second_build_of_the_same_folder_is_one_clear_error(built, tmp_path):
    source, _ = built
    root = tmp_path / "datasets"
    shutil.copytree(source, root)
    with (
        FileLock(str(root / ".sentences.lock")),
        pytest.raises(InputDataError, match="is being built by another saga process"),
    ):
        run_stage("sentences", {"max_articles": 30}, root=root)
