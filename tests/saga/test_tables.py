"""The one Markdown table formatter: shape, alignment and the errors that name what is wrong."""

import pytest

from saga.tables import markdown_table


def test_alignment_letters_set_the_rule_row_and_missing_letters_mean_left():
    table = markdown_table(["a", "b", "c"], [[1, 2.5, None]], align="r")
    assert table.splitlines() == ["| a | b | c |", "|---:|---|---|", "| 1 | 2.5 | None |"]


def test_a_table_without_rows_is_its_header():
    assert markdown_table(["a"], []) == "| a |\n|---|"


@pytest.mark.parametrize(
    ("rows", "align", "message"),
    [([[1, 2], [3]], "", "table row 1 has 1 cells for 2 columns"), ([[1, 2]], "lc", "alignment letters are l or r")],
)
def test_a_malformed_table_is_refused(rows, align, message):
    with pytest.raises(ValueError, match=message):
        markdown_table(["a", "b"], rows, align)
