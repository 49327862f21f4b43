"""Persistent score cache: re-scoring a known text with the same scorer skips spaCy entirely.

Rows are keyed by (SHA-256 of the text, scorer fingerprint), so a new rule set, weight, formula or pipeline never
reads a stale score. SQLite in WAL mode; `put_many` commits once per call, and the scorer calls it once per batch,
so a killed run loses at most the batch in flight and never leaves a half-written row.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from saga.builders.scoring.errors import ScoreCacheError
from saga.builders.scoring.results import ScoreResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS scores (
    text_sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (text_sha256, fingerprint)
) WITHOUT ROWID
"""
# SQLite's default limit on host parameters per statement is 999 on old builds; stay under it.
LOOKUP_CHUNK = 900


def text_key(text: str, prompt: str | None = None) -> str:
    """SHA-256 hex digest of the UTF-8 text, and of the prompt it answers when there is one: the cache key (neither
    is stored). A completion scores differently against different prompts (`saga.builders.scoring.rules.completion`).

    Args:
        text (`str`): the exact text scored.
        prompt (`str`, *optional*): the prompt it was scored against.
    """
    payload = text if prompt is None else f"{text}\x00prompt\x00{prompt}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ScoreCache:
    """A SQLite file of `ScoreResult`s keyed by (text hash, fingerprint).

    Args:
        path (`str` or `Path`): the database file; created with its parent folder when missing.

    Example:
        ```python
        >>> with ScoreCache("/tmp/scores.sqlite") as cache:
        ...     cache.put_many("fp", [(text_key("Hei."), ScoreResult.rejected("empty"))])
        ...     cache.get_many("fp", [text_key("Hei.")])[text_key("Hei.")].reason
        'empty'
        ```
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(self.path)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute(SCHEMA)
            self.connection.commit()
        except sqlite3.DatabaseError as err:
            raise ScoreCacheError(
                f"cannot open score cache {self.path}: {err}", hint="delete the file or pass another --cache path"
            ) from err

    def get_many(self, fingerprint: str, keys: Iterable[str]) -> dict[str, ScoreResult]:
        """Cached results for those of `keys` that are present.

        Args:
            fingerprint (`str`): the scorer fingerprint the results must have been computed with.
            keys (`Iterable[str]`): text hashes (`text_key`).
        """
        unique = list(dict.fromkeys(keys))
        found: dict[str, ScoreResult] = {}
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT text_sha256, result FROM scores WHERE fingerprint = ? AND text_sha256 IN ({marks})",
                [fingerprint, *chunk],
            )
            for key, result in rows:
                found[key] = ScoreResult.from_dict(json.loads(result))
        return found

    def put_many(self, fingerprint: str, items: Iterable[tuple[str, ScoreResult]]) -> None:
        """Store results and commit, in one transaction.

        Args:
            fingerprint (`str`): the scorer fingerprint the results were computed with.
            items (`Iterable[tuple[str, ScoreResult]]`): (text hash, result) pairs.
        """
        rows = [(key, fingerprint, json.dumps(result.to_dict(), sort_keys=True)) for key, result in items]
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM scores").fetchone()[0]

    def close(self) -> None:
        """Close the database connection."""
        self.connection.close()

    def __enter__(self) -> ScoreCache:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
