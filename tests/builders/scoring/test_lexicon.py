"""Norsk Ordbank forms: compounds (with bound first parts and a consonant written once for three), genitives,
hyphens, abbreviations without their period, the gender and strength an adjective form shows, which
nouns have a plural of their own, noun genders from the definite forms with the treebank's veto, and which forms
are definite."""

import pytest

from saga.builders.scoring.lexicon import (
    ATTRIBUTION,
    definite_forms,
    definite_genders,
    lexicon_version,
    load_lexicon,
    merge_genders,
    weak_forms,
)


@pytest.mark.parametrize(
    "word", ["bilen", "gikk", "spiste", "stort", "regjeringskontorene", "voldspotensial", "landets", "Høyre-velgerne"]
)
def test_known_forms(word):
    assert load_lexicon().is_known(word)


@pytest.mark.parametrize("word", ["huzet", "epelet", "gjenomført", "spiset", "ikkje", "str", "hovedmeldingz"])
def test_unknown_forms(word):
    assert not load_lexicon().is_known(word)


@pytest.mark.parametrize(
    "word",
    [
        "hovedmeldingen",  # "hoved-" begins Ordbank compounds only
        "mediehus",
        "nettjenester",  # nett + tjenester: the third t is not written
        "jf",  # "jf." written without its period
        "nr",
    ],
)
def test_productive_forms_outside_ordbank(word):
    lexicon = load_lexicon()
    assert word not in lexicon
    assert lexicon.is_known(word)


def test_bound_parts_are_read_from_ordbank_compounds():
    parts = load_lexicon().bound_parts
    assert {"hoved", "mikro", "medie", "erke"} <= parts
    # Pieces of words that only look like first parts ("utb" of "utbetaling" = "ut" + "betaling") stay out, and so
    # does every part that is a word of its own.
    assert not parts & {"utb", "skr", "str", "by", "bil"}


@pytest.mark.parametrize(
    ("form", "gender"),
    [
        ("stort", "Neut"), ("stor", "Com"), ("grønt", "Neut"), ("grønn", "Com"), ("fysisk", None), ("lett", None),
        # Ordbank lists "nytt" and "klart" only under the verbs "nyte" and "klare"; the treebank confirms them.
        ("nytt", "Neut"), ("ny", "Com"), ("klart", "Neut"), ("klar", "Com"), ("bra", None), ("feil", None),
    ],
)  # fmt: skip
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


@pytest.mark.parametrize(
    ("noun", "gender"),
    [
        ("verktøy", "Neut"), ("operasjon", "Com"), ("bok", "Com"), ("år", "Neut"), ("konklave", "Neut"),
        ("hageverktøy", "Neut"), ("outsourcings-prosjekt", "Neut"),  # by the last part
        ("rom", None), ("kurs", None),  # homographs: "et rom" / "en rom", "et kurs" / "en kurs"
        ("kontrapunktikk", None),  # "kontrapunk" is no word, so "tikk" is not its last part
        ("beredskapsteam", None),  # "beredskap-steam" is common, "beredskaps-team" neuter
        ("xqzt", None),
    ],
)  # fmt: skip
def test_noun_gender(noun, gender):
    assert load_lexicon().noun_gender(noun) == gender


@pytest.mark.parametrize(
    ("noun", "listed"),
    [
        ("verktøy", True), ("hageverktøy", True),  # one gender
        ("kurs", True), ("hall", True), ("mathall", True),  # both genders, also by the last part
        ("kontrapunktikk", False), ("xqzt", False),
    ],
)  # fmt: skip
def test_listed_genders_tells_both_genders_from_unknown(noun, listed):
    # noun_gender is None for "kurs" and "xqzt" alike; only an unknown noun may take the tagger's gender.
    assert bool(load_lexicon().listed_genders(noun)) is listed


def test_listed_genders_keeps_both_genders_of_disagreeing_splits():
    # "beredskap-steam" is common, "beredskaps-team" neuter: listed, but no gender to check against.
    assert load_lexicon().listed_genders("beredskapsteam") == {"Com", "Neut"}


@pytest.mark.parametrize(
    ("word", "indefinite"),
    [
        ("ørken", True), ("dekret", True), ("petroleumsaktivitet", True),  # a lemma, a compound by its last part
        ("teksten", False), ("rekorden", False),  # definite forms that also split as "tek" + "sten", "rek" + "orden"
        ("tapet", False), ("verden", False),  # lemmas that are also a lemma plus "-et", "-en"
        ("xqzt", False),
    ],
)  # fmt: skip
def test_is_indefinite_noun(word, indefinite):
    assert load_lexicon().is_indefinite_noun(word) is indefinite


def test_definite_forms_show_gender_and_the_treebank_vetoes():
    forms = {"huset": ["hus"], "husa": ["hus"], "bilen": ["bil"], "kurset": ["kurs"], "kursen": ["kurs"]}
    forms |= {"eplet": ["eple"], "hagen": ["hage"]}
    ordbank = definite_genders(forms)
    assert ordbank == {"hus": "Neut", "eple": "Neut", "bil": "Com", "hage": "Com", "kurs": None}
    merged = merge_genders(ordbank, {"hus": "Com", "bil": "Com", "fall": None, "tikk": "Neut"})
    assert merged == {"hus": None, "eple": "Neut", "bil": "Com", "hage": "Com", "kurs": None, "fall": None} | {
        "tikk": "Neut"
    }


@pytest.mark.parametrize(
    ("word", "definite"),
    [
        ("regjeringen", True), ("tilbudet", True), ("jenta", True), ("bilene", True), ("programmet", True),
        ("mindretallsregjeringen", True), ("radioprogrammet", True),  # compounds by their last part
        ("regjering", False), ("radioprogram", False), ("laken", False), ("stigma", False),  # lemmas
        ("voksen", False), ("tegnet", False),  # also an adjective, also a participle: the tagger decides
        ("xqzt", False),
    ],
)  # fmt: skip
def test_definite_noun_forms(word, definite):
    assert load_lexicon().is_definite_noun(word) is definite


def test_definite_forms_come_from_each_forms_lemma():
    forms = {"bilen": ["bil"], "huset": ["hus"], "eplet": ["eple"], "jenta": ["jente"], "husene": ["hus"]}
    forms |= {"programmet": ["program"], "syklen": ["sykkel"], "laken": ["laken"], "lakenet": ["laken"]}
    forms |= {"stigma": ["stigme"], "stigmaet": ["stigma"], "biler": ["bil"]}
    assert definite_forms(forms) == {
        "bilen", "huset", "eplet", "jenta", "husene", "programmet", "syklen", "lakenet", "stigmaet"
    }  # fmt: skip


def test_attribution_and_version_are_recorded():
    assert "CC BY 4.0" in ATTRIBUTION and "Norsk Ordbank" in ATTRIBUTION and "Dependency Treebank" in ATTRIBUTION
    assert lexicon_version().startswith("spacy-lookups-data-") and "+genders-" in lexicon_version()
