"""Word-order and coordination rules on hand-annotated UD docs (the analyses a parser gives swapped words)."""

from saga.builders.scoring.rules.word_order import (
    auxiliary_after_verb,
    dangling_function_word,
    embedded_question_order,
    garbled_attachment,
    misplaced_conjunction,
    misplaced_subordinator,
    missing_coordinator,
    orphan_conjunction,
    postposed_adjective,
    postposed_determiner,
    postposed_preposition,
)

FIN = "Mood=Ind|Tense=Pres|VerbForm=Fin"
HAN = "Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs"


def ids(violations):
    return [v.rule_id for v in violations]


def test_postposed_preposition_but_not_stranded(ud):
    swapped = f"""
{HAN} 2 nsubj
bor bo VERB {FIN} 0 root
Oslo Oslo PROPN _ 2 obl
i i ADP _ 3 case
. . PUNCT _ 2 punct
"""
    assert ids(postposed_preposition(ud(swapped))) == ["postposed_preposition"]
    stranded = f"""
Hva hva PRON PronType=Int 4 obl
snakker snakke VERB {FIN} 0 root
du du PRON Case=Nom|Number=Sing|Person=2|PronType=Prs 2 nsubj
om om ADP _ 1 case
? ? PUNCT _ 2 punct
"""
    assert list(postposed_preposition(ud(stranded))) == []


def test_postposed_determiner_and_adjective(ud):
    text = f"""
Bilen bil NOUN Definite=Def|Gender=Masc|Number=Sing 3 nsubj
den den DET Gender=Masc|Number=Sing|PronType=Art 1 det
står stå VERB {FIN} 0 root
. . PUNCT _ 3 punct
"""
    assert ids(postposed_determiner(ud(text))) == ["postposed_determiner"]
    kongen_selv = text.replace("den den DET Gender=Masc|Number=Sing|PronType=Art", "selv selv DET PronType=Prs")
    assert list(postposed_determiner(ud(kongen_selv))) == []
    adjective = f"""
En en DET Gender=Masc|Number=Sing|PronType=Art 2 det
bil bil NOUN Definite=Ind|Gender=Masc|Number=Sing 4 nsubj
stor stor ADJ Definite=Ind|Degree=Pos|Gender=Com|Number=Sing 2 amod
står stå VERB {FIN} 0 root
. . PUNCT _ 4 punct
"""
    assert ids(postposed_adjective(ud(adjective))) == ["postposed_adjective"]


def test_misplaced_subordinator_but_not_after_question_word(ud):
    text = f"""
{HAN} 2 nsubj
sa si VERB Mood=Ind|Tense=Past|VerbForm=Fin 0 root
Per Per PROPN _ 5 nsubj
at at SCONJ _ 5 mark
kom komme VERB Mood=Ind|Tense=Past|VerbForm=Fin 2 ccomp
. . PUNCT _ 2 punct
"""
    assert ids(misplaced_subordinator(ud(text))) == ["misplaced_subordinator"]
    question = f"""
Vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 2 nsubj
vet vite VERB {FIN} 0 root
hva hva PRON PronType=Int 5 nsubj
som som SCONJ _ 5 mark
skjedde skje VERB Mood=Ind|Tense=Past|VerbForm=Fin 2 ccomp
. . PUNCT _ 2 punct
"""
    assert list(misplaced_subordinator(ud(question))) == []


def test_conjunctions(ud):
    after = """
Per Per PROPN _ 4 nsubj
Kari Kari PROPN _ 1 conj
og og CCONJ _ 2 cc
kom komme VERB Mood=Ind|Tense=Past|VerbForm=Fin 0 root
. . PUNCT _ 4 punct
"""
    assert ids(misplaced_conjunction(ud(after))) == ["misplaced_conjunction"]
    orphan = f"""
Vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 4 nsubj
vil ville AUX {FIN} 4 aux
og og CCONJ _ 4 cc
forsterke forsterke VERB VerbForm=Inf 0 root
det det PRON Gender=Neut|Number=Sing|PronType=Prs 4 obj
. . PUNCT _ 4 punct
"""
    assert ids(orphan_conjunction(ud(orphan))) == ["orphan_conjunction"]
    sentence_initial = f"""
Og og CCONJ _ 3 cc
{HAN.replace("Han han", "han han")} 3 nsubj
kom komme VERB Mood=Ind|Tense=Past|VerbForm=Fin 0 root
. . PUNCT _ 3 punct
"""
    assert list(orphan_conjunction(ud(sentence_initial))) == []


def test_missing_coordinator_between_neighbouring_conjuncts(ud):
    text = f"""
Vi vi PRON Case=Nom|Number=Plur|Person=1|PronType=Prs 2 nsubj
selger selge VERB {FIN} 0 root
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 2 obj
, , PUNCT _ 5 punct
kjøtt kjøtt NOUN Definite=Ind|Gender=Neut|Number=Sing 3 conj
brød brød NOUN Definite=Ind|Gender=Neut|Number=Sing 3 conj
. . PUNCT _ 2 punct
"""
    [violation] = missing_coordinator(ud(text))
    assert violation.message == "'kjøtt' and 'brød' are coordinated without 'og', 'eller' or a comma"


def test_auxiliary_after_its_verb(ud):
    text = f"""
{HAN} 2 nsubj
spist spise VERB VerbForm=Part 0 root
har ha AUX {FIN} 2 aux
fisk fisk NOUN Definite=Ind|Gender=Masc|Number=Sing 2 obj
. . PUNCT _ 2 punct
"""
    assert ids(auxiliary_after_verb(ud(text))) == ["auxiliary_after_verb"]


def test_garbled_attachment_names_the_impossible_relation(ud):
    text = f"""
Fisken fisk NOUN Definite=Def|Gender=Masc|Number=Sing 3 nsubj
er være AUX {FIN} 3 cop
ressurs ressurs NOUN Definite=Ind|Gender=Masc|Number=Sing 0 root
linje linje NOUN Definite=Ind|Gender=Masc|Number=Sing 3 amod
. . PUNCT _ 3 punct
"""
    [violation] = garbled_attachment(ud(text))
    assert violation.message == "'linje' (NOUN) cannot be the amod of 'ressurs'"


def test_dangling_function_words(ud):
    final_conjunction = f"""
De de PRON Case=Nom|Number=Plur|Person=3|PronType=Prs 2 nsubj
mistenker mistenke VERB {FIN} 0 root
legemidler legemiddel NOUN Definite=Ind|Gender=Neut|Number=Plur 2 obj
og og CCONJ _ 2 cc
. . PUNCT _ 2 punct
"""
    assert [v.message for v in dangling_function_word(ud(final_conjunction))] == ["the sentence ends in 'og'"]
    lone_article = f"""
{HAN} 2 nsubj
satser satse VERB {FIN} 0 root
på på ADP _ 4 case
en en DET Gender=Masc|Number=Sing|PronType=Art 2 obl
. . PUNCT _ 2 punct
"""
    messages = [v.message for v in dangling_function_word(ud(lone_article))]
    assert messages == ["the sentence ends in 'en'", "the article 'en' has no noun to go with"]
    partitive = """
En en DET Gender=Masc|Number=Sing|PronType=Art 4 nsubj
av av ADP _ 3 case
dem de PRON Case=Acc|Number=Plur|Person=3|PronType=Prs 1 nmod
kom komme VERB Mood=Ind|Tense=Past|VerbForm=Fin 0 root
. . PUNCT _ 4 punct
"""
    assert list(dangling_function_word(ud(partitive))) == []


def test_embedded_question_keeps_subordinate_order(nlp):
    [violation] = embedded_question_order(nlp("Jeg vet ikke hvorfor er han sint."))
    assert violation.message == "in the embedded question the subject 'han' comes before the verb 'er'"
    assert list(embedded_question_order(nlp("Jeg vet ikke hvorfor han er sint."))) == []
    assert list(embedded_question_order(nlp("Hvorfor er han sint?"))) == []
    assert list(embedded_question_order(nlp("Jeg vet hva som skjedde."))) == []
