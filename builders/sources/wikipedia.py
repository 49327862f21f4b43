"""Norwegian Wikipedia articles in the schema of the Hub dataset `wikimedia/wikipedia` (`id, url, title, text`).

Three kinds of source, one reader: the Hub (`wikimedia/wikipedia`, config `20231101.nb`), local parquet/JSONL
files, and the bundled 352-article sample (`assets/wiki_nb`). Everything is read with `datasets`, so a Hub
revision, a cache and streaming work the same way for all three.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import datasets
import pyarrow as pa

from saga.builders.progress import quiet_datasets_progress
from saga.errors import InputDataError

BUNDLED_SAMPLE = "bundled"
BUNDLED_PATH = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
HUB_DATASET = "wikimedia/wikipedia"
HUB_CONFIG = "20231101.nb"
REQUIRED_COLUMNS = ("id", "title", "text")
STRING_TYPES = ("string", "large_string")
# Numeric ids ("id": 42) are read as numbers and cast to strings.
NUMBER_TYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
LOCAL_FORMATS = {".parquet": "parquet", ".jsonl": "json", ".json": "json"}


@dataclass(frozen=True)
class WikiSource:
    """Where the articles come from.

    Args:
        source (`str`): `"bundled"`, a local `.parquet`/`.jsonl` file or folder of them, or a Hub dataset id.
        config (`str`, defaults to `"20231101.nb"`): the Hub config (the dump date and language).
        revision (`str`, *optional*): the Hub revision (tag, branch or commit) to read.
    """

    source: str = BUNDLED_SAMPLE
    config: str = HUB_CONFIG
    revision: str | None = None

    def local_files(self) -> list[Path] | None:
        """The local files this source reads, or `None` for a Hub dataset."""
        if self.source == BUNDLED_SAMPLE:
            return [Path(str(BUNDLED_PATH))]
        path = Path(self.source).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in LOCAL_FORMATS)
            if not found:
                raise InputDataError(f"{path}: no .parquet or .jsonl files in this folder")
            return found
        if path.exists():
            if path.suffix not in LOCAL_FORMATS:
                raise InputDataError(f"{path}: unsupported file type {path.suffix!r} (use .parquet or .jsonl)")
            return [path]
        if "/" in self.source and not self.source.startswith((".", "/")):
            return None
        raise InputDataError(f"article source not found: {self.source}")

    def describe(self) -> str:
        """Where the articles come from, in words, without the folders (the same data anywhere reads the same)."""
        local = self.local_files()
        if self.source == BUNDLED_SAMPLE:
            return "the bundled sample of 352 Norwegian Wikipedia articles collected by NorQuAD"
        if local is None:
            return f"the Hub dataset {self.source}, config {self.config}, revision {self.revision or 'main'}"
        return "local file(s) " + ", ".join(path.name for path in local)

    def fingerprint(self) -> str:
        """sha256 of the local files' bytes, or the Hub id + config + revision (resolved by the publisher)."""
        local = self.local_files()
        if local is None:
            return f"hub:{self.source}:{self.config}@{self.revision or 'main'}"
        digest = hashlib.sha256()
        for path in local:
            digest.update(path.name.encode())
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        return f"sha256:{digest.hexdigest()}"


def load_articles(source: WikiSource, cache_dir: str | None = None) -> datasets.Dataset:
    """Read the articles as one `datasets.Dataset` with at least `id`, `title`, `text` (all strings).

    Args:
        source (`WikiSource`): where the articles come from.
        cache_dir (`str`, *optional*): the `datasets` cache to convert local files in (default: `datasets`' own).

    Raises:
        `InputDataError`: naming the file for an empty file, unreadable parquet, non-UTF-8 JSON or a missing column.
    """
    local = source.local_files()
    if local is None:
        dataset = datasets.load_dataset(
            source.source, source.config, revision=source.revision, split="train", cache_dir=cache_dir
        )
        return _check_columns(dataset, f"{source.source}:{source.config}")
    parts = [_load_local(path, cache_dir) for path in local]
    return parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts)


def _load_local(path: Path, cache_dir: str | None = None) -> datasets.Dataset:
    if path.stat().st_size == 0:
        raise InputDataError(f"{path}: the file is empty")
    builder = LOCAL_FORMATS[path.suffix]
    if builder == "json":
        _check_utf8(path)
    try:
        with quiet_datasets_progress():
            dataset = datasets.load_dataset(builder, data_files=str(path), split="train", cache_dir=cache_dir)
    except (pa.ArrowInvalid, UnicodeDecodeError, datasets.exceptions.DatasetGenerationError) as err:
        cause = err.__cause__ or err
        raise InputDataError(f"{path}: cannot read as {builder}: {type(cause).__name__}: {cause}") from err
    except ValueError as err:  # `datasets` names a file without rows by the split it cannot fill
        if "corresponds to no data" not in str(err):
            raise
        raise InputDataError(f"{path}: the file holds no articles (0 rows)") from err
    return _check_columns(dataset, str(path))


def _check_utf8(path: Path) -> None:
    """The JSON loader replaces invalid bytes with U+FFFD silently; name the first bad line instead."""
    with open(path, "rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as err:
                raise InputDataError(
                    f"{path}:{lineno}: not valid UTF-8 "
                    f"(byte {err.start} of the line: {line[err.start : err.start + 4]!r})",
                    hint="re-encode the file as UTF-8",
                ) from err


def _check_columns(dataset: datasets.Dataset, where: str) -> datasets.Dataset:
    missing = [c for c in REQUIRED_COLUMNS if c not in dataset.column_names]
    if missing:
        raise InputDataError(
            f"{where}: missing column(s) {', '.join(missing)}; found {', '.join(dataset.column_names)}",
            hint="articles need the wikimedia/wikipedia schema: id, url, title, text",
        )
    if _dtype(dataset.features["id"]) in NUMBER_TYPES:
        dataset = dataset.cast_column("id", datasets.Value("string"))
    wrong = {
        c: _dtype(dataset.features[c]) for c in REQUIRED_COLUMNS if _dtype(dataset.features[c]) not in STRING_TYPES
    }
    if wrong:
        found = ", ".join(f"{column} ({kind})" for column, kind in wrong.items())
        raise InputDataError(
            f"{where}: column(s) {found} must hold strings in every row",
            hint="a column whose rows mix types (a number here, text there) is read as JSON: make each a string",
        )
    return dataset


def _dtype(feature: object) -> str:
    """A feature's Arrow type name ("string", "int64"), or its class name for features without one ("Json", a list)."""
    return getattr(feature, "dtype", None) or type(feature).__name__
