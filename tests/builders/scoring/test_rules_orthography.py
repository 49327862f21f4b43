"""Surface rules: capital letter, closing punctuation, balanced brackets and quotes."""

from builders.scoring.rules.orthography import closing_punctuation, sentence_capitalisation, unbalanced_delimiters

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
