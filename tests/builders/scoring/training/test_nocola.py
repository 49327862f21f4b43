"""The NoCoLA evaluation: reading the class format, the measures, and `saga scorer eval --nocola`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from saga.builders.scoring.training.nocola import (
    JudgedSentence,
    evaluate_nocola,
    format_reports,
    length_matched_pairs,
    read_nocola,
    report,
)
from saga.errors import InputDataError

SAMPLE = Path(__file__).parents[3] / "fixtures" / "nocola" / "nocola_sample.txt"


def test_read_nocola_keeps_labels_codes_and_order():
    sentences = read_nocola(SAMPLE)
    assert len(sentences) == 20
    assert sentences[0] == JudgedSentence("Jeg har mange venn i byen.", False, "F")
    assert sentences[10] == JudgedSentence("Jeg har mange venner i byen.", True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Jeg er her.\n", "line 1: a sentence before any"),
        ("Ungrammatical:\nJeg er her uten kode.\nGrammatical:\nJeg er her.\n", "line 2: expected 'sentence<TAB>"),
        ("Grammatical:\nJeg er her.\n", "needs both acceptable and unacceptable"),
    ],
)
def test_read_nocola_names_the_file_and_line_of_bad_input(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputDataError, match=message):
        read_nocola(path)


def test_length_matched_pairs_match_word_counts_and_skip_unmatched():
    sentences = [
        JudgedSentence("a b c", False, "F"),
        JudgedSentence("a b c d e f g", False, "W"),
        JudgedSentence("x y z", True),
        JudgedSentence("x y", True),
    ]
    assert length_matched_pairs(sentences) == [(0, 2)]


def test_report_measures():
    sentences = [
        JudgedSentence("a b", True),
        JudgedSentence("a b c", True),
        JudgedSentence("a b", False, "F"),
        JudgedSentence("a b c", False, "ORT"),
    ]
    result = report("test", sentences, [0.9, -0.2, 0.5, -0.5])
    # Pairs (good > bad): 0.9 > 0.5, 0.9 > -0.5, -0.2 > -0.5; -0.2 < 0.5.
    assert result.auroc == pytest.approx(0.75)
    # Each bad sentence is matched with the good one of its length: the same four scores here.
    assert result.length_matched_auroc == pytest.approx(0.75) and result.matched_pairs == 2
    assert result.length_auroc == 0.5  # both classes have one 2-word and one 3-word sentence
    assert (result.below_zero, result.at_sft_threshold) == (0.5, 0.5)
    assert result.by_code == {}  # fewer than MIN_CODE_SENTENCES per code


def test_the_scorer_separates_the_sample(scorer):
    [result] = evaluate_nocola({"default": scorer}, SAMPLE)
    assert result.auroc >= 0.9 and result.length_matched_auroc >= 0.9
    assert result.below_zero == 0.0 and result.at_sft_threshold >= 0.9
    table = format_reports([result])
    assert "| AUROC, length-matched |" in table and "10 acceptable, 10 unacceptable" in table


def test_saga_scorer_eval_nocola_prints_both_weights(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "saga.cli.main", "scorer", "eval", "--nocola", str(SAMPLE), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report_ = json.loads(run.stdout)
    labels = [r["label"] for r in report_["nocola"]]
    assert labels == ["default (κ = 0)", "κ = 3"]
    assert report_["nocola"][0]["acceptable"] == 10 and report_["rows"]
