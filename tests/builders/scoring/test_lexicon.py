"""Norsk Ordbank forms: compounds, genitives, hyphens, the gender and strength an adjective form shows, and which
nouns have a plural of their own."""

import pytest

from builders.scoring.lexicon import ATTRIBUTION, lexicon_version, load_lexicon, weak_forms


@pytest.mark.parametrize(
    "word", ["bilen", "gikk", "spiste", "stort", "regjeringskontorene", "voldspotensial", "landets", "Høyre-velgerne"]
)
def test_known_forms(word):
    assert load_lexicon().is_known(word)


@pytest.mark.parametrize("word", ["huzet", "epelet", "gjenomført", "spiset", "ikkje"])
def test_unknown_forms(word):
    assert not load_lexicon().is_known(word)


@pytest.mark.parametrize(
    ("form", "gender"),
    [("stort", "Neut"), ("stor", "Com"), ("grønt", "Neut"), ("grønn", "Com"), ("fysisk", None), ("lett", None)],
)
def test_adjective_gender_from_form(form, gender):
    assert load_lexicon().adjective_gender(form) == gender


@pytest.mark.parametrize(
    ("form", "strength"),
    [
        ("store", "weak"), ("stor", "strong"), ("stort", "strong"), ("farlige", "weak"), ("gamle", "weak"),
        ("gammel", "strong"), ("tomme", "weak"), ("avslappede", "weak"), ("avslappete", "weak"), ("åpne", "weak"),
        ("moderne", None), ("grå", None), ("større", None), ("egne", None), ("kjære", None), ("huzet", None),
    ],
)  # fmt: skip
def test_adjective_strength_from_form(form, strength):
    assert load_lexicon().adjective_strength(form) == strength


def test_weak_form_candidates():
    assert {"gamle", "store"} <= weak_forms("gammel") | weak_forms("stor")
    assert "åne" not in weak_forms("åpen")  # only a doubled consonant is simplified (gamm-el → gam-le)
    assert {"avslappete", "avslappede"} <= weak_forms("avslappet")


@pytest.mark.parametrize(("noun", "distinct"), [("bil", True), ("periode", True), ("hus", False), ("opprør", False)])
def test_distinct_plural(noun, distinct):
    # "opprører" is a noun of its own (a rebel), not the plural of "opprør".
    assert load_lexicon().has_distinct_plural(noun) is distinct


def test_attribution_and_version_are_recorded():
    assert "CC BY 4.0" in ATTRIBUTION and "Norsk Ordbank" in ATTRIBUTION
    assert lexicon_version().startswith("spacy-lookups-data-")
