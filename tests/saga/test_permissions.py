"""Weights are written with the same permissions as every other output file."""

from __future__ import annotations

import os

import pytest
import torch
from safetensors.torch import save_file

from saga.permissions import share_like_other_files, umask


@pytest.fixture
def team_umask():
    """A group-readable umask for the test, the caller's restored afterwards."""
    previous = os.umask(0o027)
    yield 0o027
    os.umask(previous)


def test_umask_is_read_without_changing_it(team_umask):
    assert umask() == team_umask == umask()


def test_safetensors_files_get_the_mode_other_files_get(tmp_path, team_umask):
    (tmp_path / "sub").mkdir()
    for path in (tmp_path / "a.safetensors", tmp_path / "sub" / "b.safetensors"):
        save_file({"w": torch.zeros(2)}, str(path))
        assert path.stat().st_mode & 0o777 == 0o600  # what safetensors leaves: why this module exists
    (tmp_path / "config.json").write_text("{}")
    share_like_other_files(tmp_path)
    modes = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.rglob("*") if p.is_file()}
    assert modes == {"a.safetensors": 0o640, "b.safetensors": 0o640, "config.json": 0o640}
    single = tmp_path / "c.safetensors"
    save_file({"w": torch.zeros(2)}, str(single))
    share_like_other_files(single)
    assert single.stat().st_mode & 0o777 == 0o640
