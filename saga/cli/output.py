"""One output path for every command: a command's result is one JSON-ready dict, printed as JSON with `--json` or
as text for people otherwise.

Both renderings come from the same dict, so what a script reads and what a person reads cannot drift apart.
Progress, logs and the Trainer's lines go to stderr; stdout holds only the result. (`saga score` streams one JSON
object per input line instead: its output is data, not a result.)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """The `--json` flag, the same on every command that has one result."""
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object instead of text")


def emit(args: argparse.Namespace, result: dict, text: Callable[[dict], str]) -> None:
    """Print `result`: as JSON when `args.json` is set, else as `text(result)`.

    Args:
        args (`argparse.Namespace`): the parsed command line (`json` is read when present).
        result (`dict`): the command's result; values JSON cannot hold (paths) are written with `str()`.
        text (`Callable[[dict], str]`): the command's rendering of `result` for people.

    Example:

    ```python
    >>> emit(argparse.Namespace(json=True), {"rows": 3}, lambda result: f"rows: {result['rows']}")
    {
      "rows": 3
    }
    >>> emit(argparse.Namespace(json=False), {"rows": 3}, lambda result: f"rows: {result['rows']}")
    rows: 3
    ```
    """
    if getattr(args, "json", False):
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print(text(result))
