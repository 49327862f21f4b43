"""ScaLA-style corruptions: which words may go, which may swap, capitalisation repair, seeding."""

import random

from saga.builders.scoring.training.minimal_pairs import (
    Word,
    delete_word,
    detokenize,
    minimal_pairs,
    read_treebank_sentences,
    swap_words,
)

SENTENCE = [
    Word("Den", "DET"),
    Word("store", "ADJ"),
    Word("bilen", "NOUN"),
    Word("står", "VERB"),
    Word("i", "ADP"),
    Word("Oslo", "PROPN", False),
    Word(".", "PUNCT"),
]


def test_detokenize_follows_space_after():
    assert detokenize(SENTENCE) == "Den store bilen står i Oslo."


def test_deletion_never_removes_protected_classes_or_noun_in_noun_sequence():
    words = [Word("Han", "PRON"), Word("er", "AUX"), Word("bil", "NOUN"), Word("mekaniker", "NOUN", False)]
    deleted = set()
    for seed in range(200):
        result = delete_word(words, random.Random(seed))
        deleted |= {w.form for w in words} - {w.form.lower() for w in result} - {w.form for w in result}
    assert deleted == {"Han", "er"}


def test_deleting_the_first_word_repairs_capitalisation():
    words = [Word("Han", "PRON"), Word("spiste", "VERB"), Word("fisk", "NOUN", False), Word(".", "PUNCT")]
    outcomes = {detokenize(delete_word(words, random.Random(seed))) for seed in range(50)}
    assert outcomes == {"Spiste fisk.", "Han fisk.", "Han spiste."}


def test_a_one_word_sentence_gets_no_deletion():
    # Deleting "Røntgen" from "Røntgen." would leave "." — no sentence to judge, and an easy win for any scorer.
    for words in ([Word("Røntgen", "NOUN", False), Word(".", "PUNCT")], [Word("Bonuspoeng", "NOUN")]):
        assert delete_word(words, random.Random(0)) is None
        assert [p.corruption for p in minimal_pairs([("s1", words)])] == []


def test_swap_only_adjacent_words_with_different_upos_and_fixes_capitals():
    words = [Word("Han", "PRON"), Word("spiste", "VERB"), Word("fisk", "NOUN", False), Word(".", "PUNCT")]
    outcomes = {detokenize(swap_words(words, random.Random(seed))) for seed in range(50)}
    assert outcomes == {"Spiste han fisk.", "Han fisk spiste."}
    names = [Word("Oslo", "PROPN"), Word("vokser", "VERB", False), Word(".", "PUNCT")]
    assert detokenize(swap_words(names, random.Random(0))) == "Vokser Oslo."
    assert swap_words([Word("Ja", "INTJ"), Word("nei", "INTJ")], random.Random(0)) is None


def test_pairs_are_seeded_per_sentence():
    sentences = [("s1", SENTENCE), ("s2", SENTENCE[2:])]
    first = list(minimal_pairs(sentences, seed=3))
    assert first == list(minimal_pairs(sentences, seed=3))
    assert [p for p in first if p.sentence_id == "s2"] == list(minimal_pairs(sentences[1:], seed=3))
    assert {p.corruption for p in first} == {"deletion", "swap"}
    assert all(p.correct != p.corrupted for p in first)


def test_reads_conllu_with_spacing(tmp_path):
    path = tmp_path / "mini.conllu"
    path.write_text(
        "# sent_id = x1\n# text = Han kom.\n"
        "1\tHan\than\tPRON\t_\t_\t2\tnsubj\t_\t_\n"
        "2\tkom\tkomme\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
        "3\t.\t$.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n",
        encoding="utf-8",
    )
    [(sentence_id, words)] = list(read_treebank_sentences(path))
    assert sentence_id == "x1" and detokenize(words) == "Han kom."
