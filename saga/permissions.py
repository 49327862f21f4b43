"""File modes for written weights: safetensors files get the permissions of every other file a stage writes."""

from __future__ import annotations

import os
from pathlib import Path


def umask() -> int:
    """This process's umask (reading it means setting it, so it is set straight back)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def share_like_other_files(path: Path) -> None:
    """Give `path` (a `.safetensors` file) or every `.safetensors` file under it mode 0666 minus the umask.

    Why: safetensors writes through a private temporary file and keeps its mode 0600, so a model folder on a shared
    disk, in a container image or behind a web server held weights only their writer could read, beside a
    `config.json` everybody could.

    Args:
        path (`Path`): a file, or a folder searched recursively.
    """
    path = Path(path)
    mode = 0o666 & ~umask()
    for file in [path] if path.is_file() else sorted(path.rglob("*.safetensors")):
        file.chmod(mode)
