"""Reading texts for `saga score`: lines of a file or stdin, a Parquet column."""

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saga.builders.scoring.inputs import iter_lines, iter_parquet_column
from saga.errors import InputDataError


def test_lines_keep_empty_lines_and_strip_only_line_breaks():
    lines = io.BytesIO("Hei.\r\n\n  Blåbær. \n".encode())
    assert list(iter_lines(lines, "<test>")) == ["Hei.", "", "  Blåbær. "]


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Hei.\n" + b"\xff\xfe\n")
    with path.open("rb") as stream, pytest.raises(InputDataError, match="bad.txt: line 2 is not valid"):
        list(iter_lines(stream, str(path)))


def test_parquet_column_in_row_order_with_nulls(tmp_path):
    path = tmp_path / "texts.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["Hei.", None, "Hallo."]}), path, row_group_size=2)
    assert list(iter_parquet_column(path, "text")) == ["Hei.", None, "Hallo."]
    with pytest.raises(InputDataError, match="no column 'tekst'") as error:
        list(iter_parquet_column(path, "tekst"))
    assert error.value.hint == "columns: id, text"
    with pytest.raises(InputDataError, match="cannot read as Parquet"):
        list(iter_parquet_column(tmp_path / "missing.parquet", "text"))
