"""Finished generation shards on disk: what makes a killed `completions` build continue where it stopped.

A run's prompts are cut into shards of `shard_size` prompts per split. Each finished shard is written as one
JSON-lines file, atomically (a temporary file renamed into place), under a folder named by the run key: a hash of
everything the completions depend on (builder version and code, prompts and model fingerprints, sampling
settings, shard size). A restarted run with the same key reads the finished shards and generates only the rest;
any change to what the completions depend on gives a new key, so a stale shard is never reused.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from saga.errors import InputDataError


class ShardStore:
    """The finished shards of one generation run.

    Args:
        root (`Path`): the shard cache (e.g. `build/datasets/.cache/completions`).
        key (`str`): the run key; shards live in `root/key/`.
        description (`dict`, *optional*): what the key was computed from, written to `root/key/run.json` so a
            human can tell runs apart.

    Example:
        ```python
        >>> store = ShardStore(Path("/tmp/shards"), "abc")
        >>> store.save("train", 0, [{"completion": "Hei."}])
        >>> store.load("train", 0)
        [{'completion': 'Hei.'}]
        ```
    """

    def __init__(self, root: Path, key: str, description: dict | None = None):
        self.folder = Path(root) / key
        self.folder.mkdir(parents=True, exist_ok=True)
        if description is not None:
            text = json.dumps(description, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
            self._write_atomically(self.folder / "run.json", text)

    def path(self, split: str, index: int) -> Path:
        return self.folder / f"{split}-{index:05d}.jsonl"

    def load(self, split: str, index: int) -> list[dict] | None:
        """The rows of a finished shard, or `None` when it has not been written yet.

        Raises:
            [`InputDataError`]: a shard file that is not valid JSON lines (the file and line are named).
        """
        path = self.path(split, index)
        if not path.is_file():
            return None
        rows = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise InputDataError(f"{path}:{number}: corrupt shard ({err})", hint=f"delete {path}") from err
        return rows

    def save(self, split: str, index: int, rows: list[dict]) -> None:
        """Write a finished shard; a crash during the write leaves no partial shard behind."""
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        self._write_atomically(self.path(split, index), text)

    def _write_atomically(self, target: Path, text: str) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
