"""Verb-form rules on hand-annotated UD docs: "å" + infinitive, modal + bare infinitive, "ha" + participle."""

from saga.builders.scoring.rules.verb_forms import infinitive_marker_form, modal_infinitive, perfect_participle

FIN = "Mood=Ind|Tense=Pres|VerbForm=Fin"
JEG = "jeg jeg PRON Case=Nom|Number=Sing|Person=1|PronType=Prs"


def messages(violations):
    return [(v.rule_id, v.message) for v in violations]


def test_infinitive_marker_needs_an_infinitive_right_after_it(ud):
    wrong_form = f"""
{JEG} 2 nsubj
liker like VERB {FIN} 0 root
å å PART _ 4 mark
spiser spise VERB {FIN} 2 xcomp
. . PUNCT _ 2 punct
"""
    assert messages(infinitive_marker_form(ud(wrong_form))) == [
        ("infinitive_marker_form", "'å' needs the infinitive, but 'spiser' is fin")
    ]
    separated = f"""
{JEG} 2 nsubj
prøver prøve VERB {FIN} 0 root
å å PART _ 5 mark
for for ADP _ 5 case
vurdere vurdere VERB VerbForm=Inf 2 xcomp
. . PUNCT _ 2 punct
"""
    assert messages(infinitive_marker_form(ud(separated))) == [
        ("infinitive_marker_form", "'for' stands between 'å' and its verb 'vurdere'")
    ]
    adverb_between = f"""
{JEG} 2 nsubj
prøver prøve VERB {FIN} 0 root
å å PART _ 5 mark
ikke ikke PART _ 5 advmod
le le VERB VerbForm=Inf 2 xcomp
. . PUNCT _ 2 punct
"""
    assert list(infinitive_marker_form(ud(adverb_between))) == []


def test_infinitive_marker_of_a_copula_infinitive(ud):
    # UD heads "å være snill" with "snill"; the verb after "å" is the copula "være".
    text = f"""
Det det PRON Gender=Neut|Number=Sing|PronType=Prs 3 expl
er være AUX {FIN} 3 cop
viktig viktig ADJ Definite=Ind|Degree=Pos|Number=Sing 0 root
å å PART _ 6 mark
være være AUX VerbForm=Inf 6 cop
snill snill ADJ Definite=Ind|Degree=Pos|Number=Sing 3 csubj
. . PUNCT _ 3 punct
"""
    assert list(infinitive_marker_form(ud(text))) == []


def test_modal_takes_a_bare_infinitive(ud):
    finite = f"""
{JEG} 3 nsubj
kan kunne AUX {FIN} 3 aux
svømmer svømme VERB {FIN} 0 root
. . PUNCT _ 3 punct
"""
    assert messages(modal_infinitive(ud(finite))) == [
        ("modal_infinitive", "the modal 'kan' needs a bare infinitive, but 'svømmer' is fin")
    ]
    with_marker = f"""
{JEG} 4 nsubj
kan kunne AUX {FIN} 4 aux
å å PART _ 4 mark
svømme svømme VERB VerbForm=Inf 0 root
. . PUNCT _ 4 punct
"""
    assert [v.rule_id for v in modal_infinitive(ud(with_marker))] == ["modal_infinitive"]


def test_modal_chain_and_dropped_ha(ud):
    chain = f"""
{JEG} 4 nsubj
kunne kunne AUX Mood=Ind|Tense=Past|VerbForm=Fin 4 aux
ha ha AUX VerbForm=Inf 4 aux
gjort gjøre VERB VerbForm=Part 0 root
det det PRON Gender=Neut|Number=Sing|PronType=Prs 4 obj
. . PUNCT _ 4 punct
"""
    doc = ud(chain)
    assert list(modal_infinitive(doc)) == [] and list(perfect_participle(doc)) == []
    dropped_ha = f"""
{JEG} 3 nsubj
ville ville AUX Mood=Ind|Tense=Past|VerbForm=Fin 3 aux
blitt bli VERB VerbForm=Part 0 root
glad glad ADJ Degree=Pos 3 xcomp
. . PUNCT _ 3 punct
"""
    assert list(modal_infinitive(ud(dropped_ha))) == []


def test_perfect_takes_a_participle(ud):
    text = f"""
Han han PRON Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs 3 nsubj
har ha AUX {FIN} 3 aux
spiser spise VERB {FIN} 0 root
. . PUNCT _ 3 punct
"""
    assert messages(perfect_participle(ud(text))) == [
        ("perfect_participle", "'har' needs a past participle, but 'spiser' is fin")
    ]


def test_modals_are_read_from_the_form_not_the_lemma(ud):
    # "tør" and "gidder" take "å" or not; "tørret" (dried) gets the lemma "tørre" too. No lemma is read: a modal
    # form with a wrong lemma is still a modal.
    optional_marker = f"""
{JEG} 5 nsubj
tør tørre AUX {FIN} 5 aux
ikke ikke PART Polarity=Neg 5 advmod
å å PART _ 5 mark
gå gå VERB VerbForm=Inf 0 root
. . PUNCT _ 5 punct
"""
    assert list(modal_infinitive(ud(optional_marker))) == []
    wrong_lemma = f"""
{JEG} 3 nsubj
kan kan AUX {FIN} 3 aux
svømmer svømme VERB {FIN} 0 root
. . PUNCT _ 3 punct
"""
    assert [v.rule_id for v in modal_infinitive(ud(wrong_lemma))] == ["modal_infinitive"]
