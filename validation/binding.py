"""Tie a validation verdict to the bytes it judged: what `saga push` publishes is exactly what was validated.

The verdict (`saga/validation.json`) records the sha256 of every file of the dataset folder at validation time:
the data, the manifest, the funnel, anything else a build wrote. Only what the card step writes after validation is
left out (`README.md`, `saga/plots/`) and the verdict itself. Before any request, publishing recomputes the digests
and refuses a folder where a validated file changed or went missing, or where a file appeared that was never
validated: a rebuild killed between writing its data and its verdict, a parquet file replaced by hand.
"""

from __future__ import annotations

from pathlib import Path

from saga.versions import file_sha256

VERDICT = "saga/validation.json"
# Written after validation by the card step: presentation, not data.
CARD_FILES = ("README.md",)
CARD_FOLDERS = ("saga/plots/",)


def is_card_file(relative: str) -> bool:
    """True for the verdict and what the card step writes after it (`README.md`, `saga/plots/*`)."""
    return relative == VERDICT or relative in CARD_FILES or relative.startswith(CARD_FOLDERS)


def bound_files(folder: Path) -> dict[str, str]:
    """Relative POSIX path → sha256 of every file of `folder` a verdict vouches for, sorted by path.

    Args:
        folder (`Path`): a dataset folder.
    """
    paths = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return {relative: file_sha256(folder / relative) for relative in paths if not is_card_file(relative)}


def unbound_changes(folder: Path, recorded: dict[str, str]) -> list[str]:
    """What differs between `folder` and the digests a verdict recorded, one line per file; empty when nothing.

    Args:
        folder (`Path`): the dataset folder.
        recorded (`dict[str, str]`): the verdict's `files`.

    Example:
        ```python
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "data.txt").write_text("a")
        >>> recorded = bound_files(folder)
        >>> _ = (folder / "data.txt").write_text("b")
        >>> unbound_changes(folder, recorded)
        ['data.txt changed since validation']
        ```
    """
    current = bound_files(folder)
    problems = [f"{path} is missing (validated, then removed)" for path in sorted(set(recorded) - set(current))]
    problems += [f"{path} was never validated" for path in sorted(set(current) - set(recorded))]
    both = sorted(set(current) & set(recorded))
    problems += [f"{path} changed since validation" for path in both if current[path] != recorded[path]]
    return problems
