"""Installed library versions and digests of source code and files, recorded in every manifest and training record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_READ_CHUNK = 1 << 20


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """`{distribution: version}` for each name, `"not installed"` for a missing one.

    Args:
        names (`Iterable[str]`): distribution names as on PyPI (e.g. `"great-expectations"`).
    """
    versions = {}
    for name in names:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def source_fingerprint(root: Path, paths: Iterable[Path]) -> str:
    """sha256 (16 hex digits) over the names, relative to `root`, and bytes of source files.

    Why: a cache keyed by its inputs alone would reuse output that older code computed; keying it by the code that
    computes it too makes an edit to that code rebuild it.

    Args:
        root (`Path`): the folder the names are taken relative to.
        paths (`Iterable[Path]`): the files, in a fixed order.
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes (hex): the identity of a model, table or adapter file in fingerprints and records.

    Args:
        path (`str | Path`): the file (a bundled resource's path too).
    """
    return hashlib.sha256(Path(str(path)).read_bytes()).hexdigest()


def folder_files(folder: Path) -> list[str]:
    """Every regular file under `folder`, as sorted POSIX paths relative to it.

    Sorting makes the upload order and the fingerprint independent of the file system's listing order.

    Args:
        folder (`Path`): the folder to list.
    """
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def folder_fingerprint(folder: Path) -> str:
    """sha256 over the sorted relative paths and bytes of every file: the revision of a local folder.

    Each file contributes its path, its size and its own sha256, so renaming, moving or editing any file changes
    the fingerprint while the listing order does not.

    Args:
        folder (`Path`): the folder to fingerprint.

    Returns:
        `str`: 64 hex digits (a git commit SHA has 40, so the two kinds of revision cannot be confused).
    """
    digest = hashlib.sha256()
    for relative in folder_files(folder):
        file_digest = hashlib.sha256()
        size = 0
        with open(folder / relative, "rb") as handle:
            while chunk := handle.read(_READ_CHUNK):
                file_digest.update(chunk)
                size += len(chunk)
        digest.update(relative.encode() + b"\0" + size.to_bytes(8, "big") + file_digest.digest())
    return digest.hexdigest()
