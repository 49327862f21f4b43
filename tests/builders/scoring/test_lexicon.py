"""Norsk Ordbank forms: compounds, genitives, hyphens, and the gender an adjective form shows."""

import pytest

from builders.scoring.lexicon import ATTRIBUTION, lexicon_version, load_lexicon


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


def test_attribution_and_version_are_recorded():
    assert "CC BY 4.0" in ATTRIBUTION and "Norsk Ordbank" in ATTRIBUTION
    assert lexicon_version().startswith("spacy-lookups-data-")
