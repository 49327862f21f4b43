"""One Markdown table formatter for everything saga prints or writes as a table: command output, cards, benchmarks.

Callers format their cells (a score to 3 decimals, a share as a percentage); this module only lays them out, so
every table has the same shape and alignment syntax.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A GitHub-flavoured Markdown table, without a trailing newline.

    Args:
        header (`Sequence[str]`): the column names.
        rows (`Iterable[Sequence[object]]`): one sequence of cells per row, as many as `header`; each cell is
            written with `str()`.
        align (`str`, *optional*): one letter per column, `l` (left, the default for missing letters) or `r`
            (right: numbers).

    Raises:
        `ValueError`: a row with another number of cells than the header, or an unknown alignment letter.

    Example:

    ```python
    >>> print(markdown_table(["model", "score"], [["base", "-0.228"], ["DPO", "-0.109"]], align="lr"))
    | model | score |
    |---|---:|
    | base | -0.228 |
    | DPO | -0.109 |
    ```
    """
    if set(align) - {"l", "r"}:
        raise ValueError(f"alignment letters are l or r, got {align!r}")
    rules = ["---:" if letter == "r" else "---" for letter in align.ljust(len(header), "l")]
    lines = [_row(header), "|" + "|".join(rules) + "|"]
    for number, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"table row {number} has {len(row)} cells for {len(header)} columns")
        lines.append(_row(row))
    return "\n".join(lines)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"
