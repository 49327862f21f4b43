"""Inflection minimal pairs from gold-annotated sentences: which words are re-inflected, into what, and that the
pairs are seeded."""

import random

from saga.builders.nlp.treebank import Sentence, Token
from saga.builders.scoring.lexicon import load_lexicon
from saga.builders.scoring.training.inflection_pairs import (
    INFLECTIONS,
    adjective_inflection,
    inflect,
    inflection_pairs,
    noun_definiteness,
    verb_finiteness,
)
from saga.builders.scoring.training.minimal_pairs import detokenize

# (form, lemma, UPOS, FEATS, head, deprel) per token; ids are 1-based positions.
SENTENCES = {
    "noun": [
        ("Vi", "vi", "PRON", "Case=Nom|Number=Plur|Person=1|PronType=Prs", 2, "nsubj"),
        ("kjøpte", "kjøpe", "VERB", "Mood=Ind|Tense=Past|VerbForm=Fin", 0, "root"),
        ("en", "en", "DET", "Gender=Masc|Number=Sing|PronType=Art", 4, "det"),
        ("bil", "bil", "NOUN", "Definite=Ind|Gender=Masc|Number=Sing", 2, "obj"),
    ],
    "adjective": [
        ("Huset", "hus", "NOUN", "Definite=Def|Gender=Neut|Number=Sing", 3, "nsubj"),
        ("er", "være", "AUX", "Mood=Ind|Tense=Pres|VerbForm=Fin", 3, "cop"),
        ("stort", "stor", "ADJ", "Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing", 0, "root"),
    ],
    "modal": [
        ("Han", "han", "PRON", "Case=Nom|Gender=Masc|Number=Sing|Person=3|PronType=Prs", 3, "nsubj"),
        ("kan", "kunne", "AUX", "Mood=Ind|Tense=Pres|VerbForm=Fin", 3, "aux"),
        ("svømme", "svømme", "VERB", "VerbForm=Inf", 0, "root"),
    ],
    "plural_neuter": [
        ("Store", "stor", "ADJ", "Degree=Pos|Number=Plur", 2, "amod"),
        ("hus", "hus", "NOUN", "Definite=Ind|Gender=Neut|Number=Plur", 0, "root"),
    ],
}


def sentence(name: str) -> Sentence:
    rows = SENTENCES[name]
    tokens = [
        Token(i, form, lemma, upos, "_", feats, head, deprel, "SpaceAfter=No" if i == len(rows) else "_")
        for i, (form, lemma, upos, feats, head, deprel) in enumerate(rows, start=1)
    ]
    tokens.append(Token(len(rows) + 1, ".", "$.", "PUNCT", "_", "_", 1, "punct"))
    return Sentence(tokens)


def test_noun_definiteness_needs_a_determiner_and_builds_the_gendered_suffix():
    s = sentence("noun")
    assert noun_definiteness(s, s.tokens[3], load_lexicon()) == ["bilen"]
    assert noun_definiteness(sentence("adjective"), sentence("adjective").tokens[0], load_lexicon()) == []  # no det


def test_adjective_inflection_offers_the_other_forms_and_skips_neuter_plurals():
    s = sentence("adjective")
    assert adjective_inflection(s, s.tokens[2], load_lexicon()) == ["stor", "store"]
    plural = sentence("plural_neuter")
    assert adjective_inflection(plural, plural.tokens[0], load_lexicon()) == []  # "stort hus" would be correct


def test_verb_finiteness_gives_the_infinitive_but_not_for_modals():
    s = sentence("noun")
    assert verb_finiteness(s, s.tokens[1], load_lexicon()) == ["kjøpe"]
    modal = sentence("modal")
    assert verb_finiteness(modal, modal.tokens[1], load_lexicon()) == []  # "kan" → "kunne" is still grammatical


def test_inflect_keeps_spacing_and_capitalisation():
    words = inflect(sentence("adjective"), "verb_finiteness", load_lexicon(), random.Random(0))
    assert detokenize(words) == "Huset være stort."
    assert inflect(sentence("modal"), "noun_definiteness", load_lexicon(), random.Random(0)) is None


def test_pairs_are_seeded_and_one_per_applicable_corruption():
    data = [(name, sentence(name)) for name in SENTENCES]
    pairs = list(inflection_pairs(data, seed=3))
    assert pairs == list(inflection_pairs(data, seed=3))
    assert {(p.sentence_id, p.corruption) for p in pairs} == {
        ("noun", "noun_definiteness"),
        ("noun", "verb_finiteness"),
        ("adjective", "adjective_inflection"),
        ("adjective", "verb_finiteness"),
    }
    assert all(p.corruption in INFLECTIONS and p.corrupted != p.correct for p in pairs)
    assert {p.corrupted for p in pairs if p.corruption == "noun_definiteness"} == {"Vi kjøpte en bilen."}
