"""NDT → UD conversion and the held-out split, on the bundled fixture treebank."""

from pathlib import Path

import pytest

from saga.builders.nlp.treebank import (
    FeatsTable,
    align_by_forms,
    convert_ndt_sentence,
    ndt_upos,
    read_conll,
    split_ud_test,
)

FIXTURE = Path(__file__).parents[2] / "fixtures" / "treebank"


def test_read_conll_names_file_and_line_of_a_bad_row(tmp_path):
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tHei\thei\tINTJ\n")
    with pytest.raises(ValueError, match=r"bad.conllu:1: expected 10 tab-separated columns, got 4"):
        list(read_conll(bad))


def test_contextual_upos_rules():
    sent = next(read_conll(FIXTURE / "ndt_nob" / "ndt_nob-test.conll"))  # "Honnørordene er ... formspråk ..."
    by_form = {t.form: t for t in sent.tokens}
    assert ndt_upos(sent, by_form["er"]) == "AUX"  # copula: være with a predicative (SPRED)
    assert ndt_upos(sent, by_form["Honnørordene"]) == "NOUN"
    assert ndt_upos(sent, by_form["og"]) == "CCONJ"
    assert ndt_upos(sent, by_form["."]) == "PUNCT"


def test_conversion_matches_ud_on_aligned_fixture_sentences():
    ndt = list(read_conll(FIXTURE / "ndt_nob" / "ndt_nob-test.conll"))
    ud = list(read_conll(FIXTURE / "ud_nb" / "no_bokmaal-ud-test.conllu"))
    pairs = align_by_forms(ndt, ud)
    assert len(pairs) > 40
    table = FeatsTable.calibrate(pairs[:30])
    tokens = agree = 0
    for n_sent, u_sent in pairs[30:]:
        for converted, gold in zip(convert_ndt_sentence(n_sent, table).tokens, u_sent.tokens, strict=True):
            tokens += 1
            agree += converted.upos == gold.upos
    assert agree / tokens > 0.97


def test_ud_test_split_is_by_document_and_deterministic():
    ndt = list(read_conll(FIXTURE / "ndt_nob" / "ndt_nob-test.conll"))
    ud = list(read_conll(FIXTURE / "ud_nb" / "no_bokmaal-ud-test.conllu"))
    trainable, heldout = split_ud_test(ndt, ud)
    assert len(trainable) + len(heldout) == len(ud)
    assert split_ud_test(ndt, ud) == (trainable, heldout)
    with pytest.raises(ValueError, match="not sentence-aligned"):
        split_ud_test(ndt[:-1], ud)
