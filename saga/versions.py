"""Installed library versions and digests of source code and files, recorded in every manifest and training record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


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
