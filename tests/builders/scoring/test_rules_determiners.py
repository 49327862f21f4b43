"""What quantifiers and possessives ask of their noun, read from the noun's form."""

import pytest

from saga.builders.scoring.rules.determiners import plural_quantifier_number, possessive_definiteness


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("Jeg har mange venn i byen.", "Jeg har mange venner i byen."),
        ("Det finnes flere skole her.", "Det finnes flere skoler her."),
        ("Vi så tre bil på veien.", "Vi så tre biler på veien."),
    ],
)
def test_plural_quantifier_asks_for_a_plural_noun(nlp, wrong, right):
    [violation] = plural_quantifier_number(nlp(wrong))
    assert "asks for a plural noun" in violation.message
    assert list(plural_quantifier_number(nlp(right))) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Hun har bodd her i mange år.",  # neuter: the plural is the singular
        "Prisen steg med to prosent.",  # a unit stays singular
        "Alle mann må hjelpe til.",  # "alle" is not checked
        "Vi har mange barn.",
    ],
)
def test_plural_quantifier_leaves_plurals_like_the_singular_alone(nlp, sentence):
    assert list(plural_quantifier_number(nlp(sentence))) == []


def test_possessive_before_a_definite_noun(nlp):
    [violation] = possessive_definiteness(nlp("Min bilen står i garasjen."))
    assert violation.message == "after the possessive 'Min' the noun takes its indefinite form, not 'bilen'"
    assert list(possessive_definiteness(nlp("Min bil står i garasjen."))) == []
    assert list(possessive_definiteness(nlp("Bilen min står i garasjen."))) == []
