"""The capitals table: which words edited text capitalises inside a sentence."""

import json

import pytest

from saga.builders.scoring.capitals import read_capitals
from saga.builders.scoring.errors import ScorerConfigError
from saga.builders.scoring.training.capital_counts import count_capitals, inner_words, write_capitals


def test_inner_words_skip_sentence_starts_and_mark_multi_word_names():
    words = list(inner_words("Han bor i Norge. Det «Store» huset eies av Norsk Hydro"))
    assert [w for w, _ in words] == ["bor", "i", "Norge", "huset", "eies", "av", "Norsk", "Hydro"]
    assert dict(words)["Norge"] is True and dict(words)["Norsk"] is False


def test_count_write_and_read_round_trip(tmp_path):
    counts = count_capitals(["Han bor i Norge nå.", "Vi reiser til Norge.", "Det er norge sitt", "Han er fra Høyre."])
    assert counts == {"høyre": (1, 0), "norge": (2, 1)}
    path = write_capitals(counts, tmp_path / "capitals.json")
    assert path.read_bytes() == write_capitals(dict(reversed(counts.items())), tmp_path / "again.json").read_bytes()
    table = read_capitals(path)
    assert (table.capitalised("norge"), table.lower_case("norge"), table.capitalised("huset")) == (2, 1, 0)


def test_the_bundled_table_knows_names_and_common_words():
    table = read_capitals()
    assert table.capitalised("norge") > 100 and table.lower_case("norge") == 0
    assert table.lower_case("staten") > 20 * table.capitalised("staten")


def test_a_file_that_is_no_table_is_one_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ScorerConfigError, match="is not a saga-capitals-v1 table"):
        read_capitals(path)
    with pytest.raises(ScorerConfigError, match="capitals table .*missing.json"):
        read_capitals(tmp_path / "missing.json")


def test_saga_scorer_build_capitals_counts_the_training_sentences(acceptability_data, tmp_path, capsys):
    from saga.cli.main import main

    data, _ = acceptability_data
    out = tmp_path / "capitals.json"
    assert main(["scorer", "build-capitals", "--data", str(data), "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (
        summary["out"] == str(out) and summary["sentences"] > 0 and summary["words"] == len(read_capitals(out).counts)
    )
