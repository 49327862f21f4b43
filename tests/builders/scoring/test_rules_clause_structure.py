"""Clause-structure rules on hand-annotated UD docs: each fires on its error and stays quiet on the fix."""

import pytest
import spacy

from saga.builders.scoring.errors import MissingAnnotationError
from saga.builders.scoring.rules import RULES_V2
from saga.builders.scoring.rules.clause_structure import (
    double_subject,
    missing_finite_verb,
    missing_subject,
    nonfinite_clause,
    subject_after_nonfinite_verb,
    subordinate_adverb_order,
    subordinate_clause_fragment,
    v2_word_order,
    verb_first_declarative,
)

FIN_PRES = "Mood=Ind|Tense=Pres|VerbForm=Fin"
FIN_PAST = "Mood=Ind|Tense=Past|VerbForm=Fin"
HAN = "Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs"
JEG = "Case=Nom|Number=Sing|Person=1|PronType=Prs"

HUSET_ER_STORT = f"""
Huset hus NOUN Definite=Def|Gender=Neut|Number=Sing 3 nsubj
er være AUX {FIN_PRES} 3 cop
stort stor ADJ Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing 0 root
. . PUNCT _ 3 punct
"""
HUSET_STORT = """
Huset hus NOUN Definite=Def|Gender=Neut|Number=Sing 2 nsubj
stort stor ADJ Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing 0 root
. . PUNCT _ 2 punct
"""


def ids(violations):
    return [v.rule_id for v in violations]


def test_missing_finite_verb_fires_on_verbless_sentence_only(ud):
    [violation] = missing_finite_verb(ud(HUSET_STORT))
    assert (violation.rule_id, violation.start, violation.end) == ("missing_finite_verb", 0, 3)
    assert list(missing_finite_verb(ud(HUSET_ER_STORT))) == []


def test_missing_subject_and_imperative(ud):
    no_subject = f"""
Spiste spise VERB {FIN_PAST} 0 root
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 1 obj
. . PUNCT _ 1 punct
"""
    assert ids(missing_subject(ud(no_subject))) == ["missing_subject"]
    imperative = """
Gå gå VERB Mood=Imp|VerbForm=Fin 0 root
hjem hjem ADV _ 1 advmod
! ! PUNCT _ 1 punct
"""
    assert list(missing_subject(ud(imperative))) == []
    assert list(missing_subject(ud(HUSET_ER_STORT))) == []


def test_v2_word_order(ud):
    verb_third = f"""
I i ADP _ 2 case
går går NOUN _ 4 obl
han han PRON {HAN} 4 nsubj
spiste spise VERB {FIN_PAST} 0 root
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 4 obj
. . PUNCT _ 4 punct
"""
    [violation] = v2_word_order(ud(verb_third))
    assert "2 constituents precede the finite verb 'spiste'" in violation.message
    verb_second = f"""
I i ADP _ 2 case
går går NOUN _ 3 obl
spiste spise VERB {FIN_PAST} 0 root
han han PRON {HAN} 3 nsubj
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 3 obj
. . PUNCT _ 3 punct
"""
    assert list(v2_word_order(ud(verb_second))) == []


def test_v2_reads_a_focus_particle_with_the_phrase_it_focuses(ud):
    # The parser hangs "Også" and "Heller ikke" on the verb; with the next phrase they fill the one field before it.
    particle_first = f"""
Også også ADV _ 3 advmod
staten stat NOUN Definite=Def|Gender=Masc|Number=Sing 3 nsubj
slutter slutte VERB {FIN_PRES} 0 root
. . PUNCT _ 3 punct
"""
    assert list(v2_word_order(ud(particle_first))) == []
    two_particles = f"""
Heller heller ADV _ 2 advmod
ikke ikke PART _ 4 advmod
teorien teori NOUN Definite=Def|Gender=Masc|Number=Sing 4 nsubj
holder holde VERB {FIN_PRES} 0 root
. . PUNCT _ 4 punct
"""
    assert list(v2_word_order(ud(two_particles))) == []
    particle_second = f"""
Staten stat NOUN Definite=Def|Gender=Masc|Number=Sing 3 nsubj
også også ADV _ 3 advmod
slutter slutte VERB {FIN_PRES} 0 root
. . PUNCT _ 3 punct
"""
    assert ids(v2_word_order(ud(particle_second))) == ["v2_word_order"]


def test_v2_reads_a_pp_after_a_nominal_subject_as_its_modifier(ud):
    # "Risikoen for flom": the parser often attaches the noun's PP to the verb.
    noun_subject = f"""
Risikoen risiko NOUN Definite=Def|Gender=Masc|Number=Sing 4 nsubj
for for ADP _ 3 case
flom flom NOUN Definite=Ind|Gender=Masc|Number=Sing 4 obl
er være AUX {FIN_PRES} 0 root
liten liten ADJ Definite=Ind|Degree=Pos|Gender=Masc|Number=Sing 4 xcomp
. . PUNCT _ 4 punct
"""
    assert list(v2_word_order(ud(noun_subject))) == []
    # A personal pronoun takes no such modifier: the PP is an adverbial in the wrong place.
    pronoun_subject = f"""
Han han PRON {HAN} 4 nsubj
i i ADP _ 3 case
dag dag NOUN Definite=Ind|Gender=Masc|Number=Sing 4 obl
spiser spise VERB {FIN_PRES} 0 root
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 4 obj
. . PUNCT _ 4 punct
"""
    assert ids(v2_word_order(ud(pronoun_subject))) == ["v2_word_order"]
    # An adverb after a noun subject still breaks V2.
    adverb_between = f"""
Regjeringen regjering NOUN Definite=Def|Gender=Fem|Number=Sing 3 nsubj
nå nå ADV _ 3 advmod
legger legge VERB {FIN_PRES} 0 root
. . PUNCT _ 3 punct
"""
    assert ids(v2_word_order(ud(adverb_between))) == ["v2_word_order"]


def test_v2_accepts_resumptive_sa_after_fronted_clause(ud):
    text = f"""
Hvis hvis SCONJ _ 3 mark
du du PRON Case=Nom|Number=Sing|Person=2|PronType=Prs 3 nsubj
kommer komme VERB {FIN_PRES} 6 advcl
, , PUNCT _ 3 punct
så så ADV _ 6 advmod
går gå VERB {FIN_PRES} 0 root
vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 6 nsubj
. . PUNCT _ 6 punct
"""
    assert list(v2_word_order(ud(text))) == []


def test_verb_first_statement_but_not_question(ud):
    statement = f"""
Spiste spise VERB {FIN_PAST} 0 root
han han PRON {HAN} 1 nsubj
fisken fisk NOUN Definite=Def|Gender=Masc|Number=Sing 1 obj
. . PUNCT _ 1 punct
"""
    assert ids(verb_first_declarative(ud(statement))) == ["verb_first_declarative"]
    assert list(verb_first_declarative(ud(statement.replace(". . PUNCT", "? ? PUNCT")))) == []


def test_subordinate_adverb_order(ud):
    text = f"""
Han han PRON {HAN} 2 nsubj
gikk gå VERB {FIN_PAST} 0 root
fordi fordi SCONJ _ 5 mark
han han PRON {HAN} 5 nsubj
kom komme VERB {FIN_PAST} 2 advcl
ikke ikke PART _ 5 advmod
. . PUNCT _ 2 punct
"""
    [violation] = subordinate_adverb_order(ud(text))
    assert violation.message.startswith("'ikke' follows the finite verb 'kom'")
    fixed = f"""
Han han PRON {HAN} 2 nsubj
gikk gå VERB {FIN_PAST} 0 root
fordi fordi SCONJ _ 6 mark
han han PRON {HAN} 6 nsubj
ikke ikke PART _ 6 advmod
kom komme VERB {FIN_PAST} 2 advcl
. . PUNCT _ 2 punct
"""
    assert list(subordinate_adverb_order(ud(fixed))) == []


def test_double_subject_needs_two_pronouns(ud):
    text = f"""
Hun hun PRON Case=Nom|Gender=Fem|Number=Sing|Person=3|PronType=Prs 2 nsubj
så se VERB {FIN_PAST} 0 root
jeg jeg PRON {JEG} 2 nsubj
. . PUNCT _ 2 punct
"""
    assert ids(double_subject(ud(text))) == ["double_subject"]
    fronted_time = f"""
Torsdag torsdag NOUN Definite=Ind|Gender=Masc|Number=Sing 2 nsubj
hadde ha VERB {FIN_PAST} 0 root
Sverre Sverre PROPN _ 2 nsubj
fri fri ADJ _ 2 obj
. . PUNCT _ 2 punct
"""
    assert list(double_subject(ud(fronted_time))) == []


def test_subject_after_nonfinite_verb_except_with_expletive(ud):
    text = f"""
Særlig særlig ADV _ 3 advmod
vil ville AUX {FIN_PRES} 3 aux
satse satse VERB VerbForm=Inf 0 root
vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 3 nsubj
. . PUNCT _ 3 punct
"""
    assert ids(subject_after_nonfinite_verb(ud(text))) == ["subject_after_nonfinite_verb"]
    expletive = f"""
Det det PRON Gender=Neut|Number=Sing|Person=3|PronType=Prs 3 expl
har ha AUX {FIN_PRES} 3 aux
kommet komme VERB VerbForm=Part 0 root
folk folk NOUN Definite=Ind|Gender=Neut|Number=Plur 3 nsubj
. . PUNCT _ 3 punct
"""
    assert list(subject_after_nonfinite_verb(ud(expletive))) == []


def test_subordinate_clause_fragment(ud):
    fragment = f"""
Fordi fordi SCONJ _ 4 mark
han han PRON {HAN} 4 nsubj
var være AUX {FIN_PAST} 4 cop
syk syk ADJ Definite=Ind|Degree=Pos|Gender=Com|Number=Sing 0 root
. . PUNCT _ 4 punct
"""
    assert ids(subordinate_clause_fragment(ud(fragment))) == ["subordinate_clause_fragment"]
    predicate_clause = f"""
Problemet problem NOUN Definite=Def|Gender=Neut|Number=Sing 5 nsubj
er være AUX {FIN_PRES} 5 cop
at at SCONJ _ 5 mark
han han PRON {HAN} 5 nsubj
kom komme VERB {FIN_PAST} 0 root
. . PUNCT _ 5 punct
"""
    doc = ud(predicate_clause)
    assert list(subordinate_clause_fragment(doc)) == []
    assert list(v2_word_order(doc)) == []


@pytest.mark.parametrize("rule_id", ["missing_finite_verb", "v2_word_order", "np_gender_agreement", "pronoun_case"])
def test_rules_refuse_docs_without_annotation(rule_id):
    doc = spacy.blank("nb")("Huset er stort.")
    with pytest.raises(MissingAnnotationError, match=r"SAGA-R001.*" + rule_id):
        list(RULES_V2[rule_id](doc))


def test_nonfinite_clause_after_subordinator_or_with_own_subject(ud):
    at_clause = f"""
Det det PRON Gender=Neut|Number=Sing|PronType=Prs 3 expl
er være AUX {FIN_PRES} 3 cop
klart klar ADJ Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing 0 root
at at SCONJ _ 6 mark
det det PRON Gender=Neut|Number=Sing|PronType=Prs 6 expl
vært være AUX VerbForm=Part 3 ccomp
. . PUNCT _ 3 punct
"""
    [violation] = nonfinite_clause(ud(at_clause))
    assert violation.message == "the clause opened by 'at' has no finite verb ('vært' is not finite)"
    conjunct = f"""
Vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 2 nsubj
lytter lytte VERB {FIN_PRES} 0 root
og og CCONJ _ 5 cc
vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 5 nsubj
ha ha VERB VerbForm=Inf 2 conj
dialog dialog NOUN Definite=Ind|Gender=Masc|Number=Sing 5 obj
. . PUNCT _ 2 punct
"""
    assert [v.rule_id for v in nonfinite_clause(ud(conjunct))] == ["nonfinite_clause"]
    shared_modal = f"""
Lover lov NOUN Definite=Ind|Gender=Masc|Number=Plur 3 nsubj:pass
skal skulle AUX {FIN_PRES} 3 aux
forenkles forenkle VERB VerbForm=Inf 0 root
og og CCONJ _ 6 cc
regler regel NOUN Definite=Ind|Gender=Masc|Number=Plur 6 nsubj:pass
fjernes fjerne VERB VerbForm=Inf 3 conj
. . PUNCT _ 3 punct
"""
    assert list(nonfinite_clause(ud(shared_modal))) == []
    infinitive = f"""
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 2 nsubj
kom komme VERB {FIN_PAST} 0 root
for for ADP _ 5 mark
å å PART _ 5 mark
hjelpe hjelpe VERB VerbForm=Inf 2 advcl
. . PUNCT _ 2 punct
"""
    assert list(nonfinite_clause(ud(infinitive))) == []
