"""Surface rules: capital letter, closing punctuation, balanced brackets and quotes."""

import pytest

from saga.builders.scoring.rules.orthography import (
    capital_inside_sentence,
    closing_punctuation,
    lowercase_name,
    sentence_capitalisation,
    unbalanced_delimiters,
)

FIN = "Mood=Ind|Tense=Past|VerbForm=Fin"


def sentence(first: str, last: str = ".") -> str:
    return f"""
{first} han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 2 nsubj
kom komme VERB {FIN} 0 root
{last} {last} PUNCT _ 2 punct
"""


def test_capital_letter(ud):
    assert [v.message for v in sentence_capitalisation(ud(sentence("han")))] == [
        "the sentence starts in lower case: 'han'"
    ]
    assert list(sentence_capitalisation(ud(sentence("Han")))) == []


def test_closing_punctuation_at_the_end_and_between_sentences(ud):
    assert list(closing_punctuation(ud(sentence("Han")))) == []
    no_stop = """
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 2 nsubj
kom komme VERB Mood=Ind|Tense=Past|VerbForm=Fin 0 root
"""
    assert [v.rule_id for v in closing_punctuation(ud(no_stop))] == ["closing_punctuation"]
    run_on = no_stop + "\n" + sentence("Han")
    assert [v.message for v in closing_punctuation(ud(run_on))] == ["'Han kom' runs into the next sentence"]


def test_unbalanced_delimiters(ud):
    text = f"""
« « PUNCT _ 3 punct
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 3 nsubj
kom komme VERB {FIN} 0 root
. . PUNCT _ 3 punct
"""
    assert [v.message for v in unbalanced_delimiters(ud(text))] == ["'«' is never closed"]
    closed = text.replace(". . PUNCT _ 3 punct", ". . PUNCT _ 3 punct\n» » PUNCT _ 3 punct")
    assert list(unbalanced_delimiters(ud(closed))) == []


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("Vi reiser på Mandag.", "Vi reiser på mandag."),
        ("Jeg liker Norsk mat.", "Jeg liker norsk mat."),
        ("For Første gang så jeg havet.", "For første gang så jeg havet."),
    ],
)
def test_capital_inside_sentence(nlp, wrong, right):
    [violation] = capital_inside_sentence(nlp(wrong))
    assert violation.message.endswith("is written in lower case inside a sentence")
    assert list(capital_inside_sentence(nlp(right))) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Han jobber i Norsk Hydro.",  # a multi-word name
        "Hun stemte på Høyre.",  # a word edited text capitalises
        "Vi gikk langs Bryggen.",  # a definite noun as a name
        "Han sa: Det er sant.",  # after a colon
        "Hun bor i Nairobi.",  # a name Ordbank lists with a capital
    ],
)
def test_capital_inside_sentence_leaves_names_alone(nlp, sentence):
    assert list(capital_inside_sentence(nlp(sentence))) == []


def test_lowercase_name(nlp):
    [violation] = lowercase_name(nlp("Han kommer fra norge."))
    assert violation.message == "'norge' is a name and takes a capital letter"
    assert list(lowercase_name(nlp("Han kommer fra Norge."))) == []
