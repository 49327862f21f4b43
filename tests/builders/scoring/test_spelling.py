"""The speller: Ordbank forms, misspellings one edit from a common word, unknown words."""

import pytest

from saga.builders.scoring.spelling import Speller, SpellingVerdict, edits1, load_speller


def test_edits1_covers_deletions_swaps_replacements_and_insertions():
    edits = edits1("kat")
    assert {"at", "akt", "kot", "katt"} <= edits and "kat" not in edits


@pytest.mark.parametrize(
    "word",
    ["retning", "regjeringskontorene", "landets", "jf", "høyre-velgerne", "voldspotensialet", "mere"],
)
def test_known_words(word):
    assert load_speller().verdict(word) is None


@pytest.mark.parametrize(
    ("word", "suggestion"),
    [
        ("rettning", "retning"),
        ("kansje", "kanskje"),
        ("raport", "rapport"),  # "ra" + "port"
        ("ungdomer", "ungdommer"),  # "ung" + "domer"
        ("kontak", "kontakt"),  # "kon" + "tak"
        ("altid", "alltid"),
    ],
)
def test_misspellings_get_the_common_word_one_edit_away(word, suggestion):
    assert load_speller().verdict(word) == SpellingVerdict("misspelling", suggestion)


def test_unknown_words():
    assert load_speller().verdict("xqzter") == SpellingVerdict("unknown")


def test_margin_and_common_frequency_decide():
    lexicon = load_speller().lexicon
    # "huset" is an Ordbank form; "husett" is one edit from it.
    frequencies = {"huset": 1e-5, "husett": 1e-8}  # Zipf 4 and 1
    assert Speller(lexicon, frequencies).verdict("husett") == SpellingVerdict("misspelling", "huset")
    assert Speller(lexicon, frequencies, margin=3.5).verdict("husett") != SpellingVerdict("misspelling", "huset")
    assert Speller(lexicon, frequencies, common_zipf=4.5).suggestion("husett") is None


def test_zipf():
    speller = Speller(load_speller().lexicon, {"a": 1e-3})
    assert speller.zipf("a") == pytest.approx(6.0) and speller.zipf("b") == 0.0
