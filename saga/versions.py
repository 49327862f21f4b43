"""Installed library versions, recorded in every manifest and training record."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version


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
