"""Word-level rules: unknown forms, stutters, pronoun case, repeated sentences."""

from builders.scoring.rules.lexical import (
    duplicate_sentence,
    pronoun_case,
    repeated_word,
    unknown_word,
)

FIN = "Mood=Ind|Tense=Past|VerbForm=Fin"


def test_unknown_word_flags_typos_but_not_names_compounds_or_genitives(ud):
    text = f"""
Regjeringskontorene regjeringskontor NOUN Definite=Def|Gender=Neut|Number=Plur 2 nsubj
kjøpte kjøpe VERB {FIN} 0 root
landets land NOUN Case=Gen|Definite=Def|Gender=Neut|Number=Sing 4 nmod:poss
epelet epelet NOUN Definite=Def|Gender=Neut|Number=Sing 2 obj
fra fra ADP _ 6 case
Sallabanda Sallabanda PROPN _ 2 obl
. . PUNCT _ 2 punct
"""
    [violation] = unknown_word(ud(text))
    assert (violation.rule_id, violation.start, violation.message) == (
        "unknown_word",
        3,
        "'epelet' is not a Bokmål form in Norsk Ordbank",
    )


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
