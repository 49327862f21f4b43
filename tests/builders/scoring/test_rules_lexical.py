"""Word-level rules: unknown forms, stutters, pronoun case, repeated sentences."""

from saga.builders.scoring.rules.lexical import (
    duplicate_sentence,
    misspelling,
    pronoun_case,
    repeated_word,
    unknown_word,
)

FIN = "Mood=Ind|Tense=Past|VerbForm=Fin"


def test_misspellings_and_unknown_words_but_not_names_compounds_or_genitives(ud):
    text = f"""
Regjeringskontorene regjeringskontor NOUN Definite=Def|Gender=Neut|Number=Plur 2 nsubj
kjøpte kjøpe VERB {FIN} 0 root
landets land NOUN Case=Gen|Definite=Def|Gender=Neut|Number=Sing 4 nmod:poss
epelet epelet NOUN Definite=Def|Gender=Neut|Number=Sing 2 obj
og og CCONJ _ 6 cc
xqzter xqzt NOUN Definite=Ind|Gender=Masc|Number=Plur 4 conj
fra fra ADP _ 8 case
Sallabanda Sallabanda PROPN _ 2 obl
. . PUNCT _ 2 punct
"""
    doc = ud(text)
    [typo] = misspelling(doc)
    assert (typo.rule_id, typo.start, typo.message) == (
        "misspelling",
        3,
        "'epelet' is likely a misspelling of 'eplet'",
    )
    [unknown] = unknown_word(doc)
    assert (unknown.rule_id, unknown.start, unknown.message) == ("unknown_word", 5, "'xqzter' is not a Bokmål word")


def test_a_split_into_known_parts_does_not_hide_a_misspelling(ud):
    # "raport" splits as "ra" + "port" and "kontak" as "kon" + "tak", but each is one edit from a common word.
    text = f"""
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 2 nsubj
skrev skrive VERB {FIN} 0 root
en en DET Gender=Masc|Number=Sing|PronType=Art 4 det
raport raport NOUN Definite=Ind|Gender=Masc|Number=Sing 2 obj
uten uten ADP _ 6 case
kontak kontak NOUN Definite=Ind|Gender=Masc|Number=Sing 2 obl
. . PUNCT _ 2 punct
"""
    assert [v.message for v in misspelling(ud(text))] == [
        "'raport' is likely a misspelling of 'rapport'",
        "'kontak' is likely a misspelling of 'kontakt'",
    ]
    assert list(unknown_word(ud(text))) == []


def test_repeated_word_but_not_det_det(ud):
    text = f"""
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 2 nsubj
spiste spise VERB {FIN} 0 root
og og CCONJ _ 5 cc
og og CCONJ _ 5 cc
drakk drikke VERB {FIN} 2 conj
. . PUNCT _ 2 punct
"""
    [violation] = repeated_word(ud(text))
    assert (violation.start, violation.end, violation.message) == (2, 4, "'og' twice in a row")
    det_det = f"""
Det det PRON Gender=Neut|Number=Sing|PronType=Prs 4 nsubj
det det PRON Gender=Neut|Number=Sing|PronType=Prs 3 obl
gjelder gjelde VERB {FIN} 1 acl:relcl
var være VERB {FIN} 0 root
. . PUNCT _ 4 punct
"""
    assert list(repeated_word(ud(det_det))) == []


def test_pronoun_case(ud):
    text = f"""
Meg jeg PRON Case=Acc|Number=Sing|Person=1|PronType=Prs 2 nsubj
så se VERB {FIN} 0 root
hun hun PRON Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs 2 obj
. . PUNCT _ 2 punct
"""
    assert [v.message for v in pronoun_case(ud(text))] == [
        "the subject 'Meg' is in object form",
        "the object 'hun' is in subject form",
    ]
    han_as_object = text.replace("hun hun PRON Case=Nom|Gender=Fem", "han han PRON Case=Nom|Gender=Masc").replace(
        "Meg jeg PRON Case=Acc", "Jeg jeg PRON Case=Nom"
    )
    assert list(pronoun_case(ud(han_as_object))) == []


def test_duplicate_sentence(ud):
    sentence = f"""
Huset hus NOUN Definite=Def|Gender=Neut|Number=Sing 2 nsubj
brant brenne VERB {FIN} 0 root
. . PUNCT _ 2 punct
"""
    [violation] = duplicate_sentence(ud(sentence + "\n" + sentence))
    assert (violation.start, violation.end) == (3, 6)
