"""Reading texts to score: one text per line of a file or stdin, JSON lines with prompts, or one column of a
Parquet file, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from saga.errors import InputDataError

PARQUET_BATCH_ROWS = 4096


def iter_lines(stream: BinaryIO, name: str) -> Iterator[str]:
    """Each line of `stream` decoded as UTF-8, without its line break; an empty line stays an (empty) text, so
    output lines match input lines one to one.

    Args:
        stream (`BinaryIO`): an open binary stream (a file opened with `"rb"`, or `sys.stdin.buffer`); lines are
            decoded one by one so an error names the right line.
        name (`str`): how to name the stream in errors, e.g. the file path or `"<stdin>"`.

    Raises:
        `InputDataError`: when a line is not valid UTF-8, naming the stream and line number.
    """
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputDataError(
                f"{name}: line {number} is not valid UTF-8 ({err.reason})", hint="convert the file to UTF-8"
            ) from err
        yield line.rstrip("\r\n")


def iter_parquet_column(path: str | Path, column: str) -> Iterator[object]:
    """The values of one column of a Parquet file, in row order, read in batches.

    Values are yielded as they are (a null is `None`, which the scorer rejects with a reason).

    Args:
        path (`str` or `Path`): the Parquet file.
        column (`str`): the column holding the texts.

    Raises:
        `InputDataError`: when the file cannot be read as Parquet, has no such column, or the column is not text.
    """
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as err:
        raise InputDataError(f"{path}: cannot read as Parquet: {err}") from err
    names = parquet.schema_arrow.names
    if column not in names:
        raise InputDataError(f"{path}: no column {column!r}", hint=f"columns: {', '.join(names)}")
    kind = parquet.schema_arrow.field(column).type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise InputDataError(f"{path}: column {column!r} holds {kind}, not text", hint="name a column of strings")
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=[column]):
        yield from batch.column(0).to_pylist()


def iter_jsonl(stream: BinaryIO, name: str) -> Iterator[tuple[object, str | None]]:
    """(text, prompt) of each line of a JSON-lines stream: an object with `text` and an optional `prompt` (the
    prompt the text answers, a string or null).

    Args:
        stream (`BinaryIO`): an open binary stream of JSON lines.
        name (`str`): how to name the stream in errors.

    Raises:
        `InputDataError`: naming the stream and line of a line that is not UTF-8, not a JSON object, has no
            `text`, or has a `prompt` that is not a string.
    """
    for number, line in enumerate(iter_lines(stream, name), start=1):
        try:
            record = json.loads(line)
        except ValueError as err:
            raise InputDataError(f"{name}: line {number} is not JSON ({err})") from err
        if not isinstance(record, dict) or "text" not in record:
            raise InputDataError(
                f"{name}: line {number} is not an object with a 'text' field",
                hint='write {"text": ..., "prompt": ...}',
            )
        prompt = record.get("prompt")
        if prompt is not None and not isinstance(prompt, str):
            raise InputDataError(
                f"{name}: line {number}: 'prompt' must be a string or null, got {type(prompt).__name__}"
            )
        yield record["text"], prompt
