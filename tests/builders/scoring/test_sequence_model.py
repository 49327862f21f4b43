"""The tag n-gram model behind the improbability term: Kneser-Ney probabilities, SLOR, calibration, JSON, DocBins."""

import json
import math

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from saga.builders.scoring import ScorerConfigError
from saga.builders.scoring.sequence_model import (
    EOS,
    UNK,
    TagNgramModel,
    docbin_sequences,
    load_model,
    sentence_symbols,
)
from saga.versions import file_sha256

# Subject - verb - object sentences with a determiner or an adverb here and there: a tiny "treebank".
SENTENCES = [
    ["PRON", "VERB", "NOUN", "PUNCT"],
    ["PRON", "VERB", "DET", "NOUN", "PUNCT"],
    ["NOUN", "VERB", "ADV", "PUNCT"],
    ["DET", "NOUN", "VERB", "NOUN", "PUNCT"],
    ["PRON", "VERB", "ADV", "NOUN", "PUNCT"],
    ["PROPN", "VERB", "NOUN", "PUNCT"],
] * 5


def test_kneser_ney_probabilities_sum_to_one():
    model = TagNgramModel.fit(SENTENCES, order=3)
    outcomes = [*model.unigrams, UNK]
    for context in (["<s>", "<s>"], ["PRON", "VERB"], ["NOUN", "DET"], ["SYM", "X"]):
        assert sum(model.probability(symbol, context) for symbol in outcomes) == pytest.approx(1.0)
    assert model.probability("VERB", ["<s>", "PRON"]) > model.probability("DET", ["<s>", "PRON"])
    assert EOS in model.unigrams


def test_slor_prefers_the_seen_order_and_improbability_is_bounded():
    model = TagNgramModel.fit(SENTENCES, order=3)
    good, swapped = ["PRON", "VERB", "NOUN", "PUNCT"], ["VERB", "PRON", "NOUN", "PUNCT"]
    assert model.slor(good) > model.slor(swapped)
    assert model.improbability(swapped, span=6.0) > model.improbability(good, span=6.0)
    assert all(0.0 <= model.improbability(s, span=0.5) <= 1.0 for s in (good, swapped, ["X", "X", "X"]))
    assert model.improbability(["X", "SYM", "INTJ", "X"], span=1e-9) == 1.0


def test_cross_fitted_calibration_and_deterministic_json(tmp_path):
    model = TagNgramModel.fit(SENTENCES, order=3)
    assert model.spread > 0
    assert min(map(model.slor, SENTENCES)) - 3 < model.reference < max(map(model.slor, SENTENCES)) + 3
    first, second = model.to_json(tmp_path / "a.json"), TagNgramModel.fit(SENTENCES, 3).to_json(tmp_path / "b.json")
    assert first.read_bytes() == second.read_bytes() and file_sha256(first) == file_sha256(second)
    loaded = TagNgramModel.from_json(first)
    assert (loaded.order, loaded.reference, loaded.spread) == (3, round(model.reference, 6), round(model.spread, 6))
    assert loaded.slor(SENTENCES[1]) == pytest.approx(model.slor(SENTENCES[1]))


def test_bad_model_file_and_too_little_data(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ScorerConfigError, match="not a saga-tag-ngram-v1 model"):
        TagNgramModel.from_json(path)
    with pytest.raises(ScorerConfigError, match="at least two"):
        TagNgramModel.fit([["NOUN"], []])


def write_tiny_docbin(path):
    """Two gold-annotated docs (one with two sentences) in a DocBin, as `saga.builders.nlp.training.prepare` writes."""
    nlp = spacy.blank("nb")
    docbin = DocBin()
    docbin.add(
        Doc(
            nlp.vocab,
            words=["Huset", "er", "stort", ".", "Bilene", "står", "ute", "."],
            pos=["NOUN", "AUX", "ADJ", "PUNCT", "NOUN", "VERB", "ADV", "PUNCT"],
            morphs=[
                "Definite=Def|Gender=Neut|Number=Sing",
                "Mood=Ind|Tense=Pres|VerbForm=Fin",
                "Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing",
                "",
                "Definite=Def|Gender=Masc|Number=Plur",
                "Mood=Ind|Tense=Pres|VerbForm=Fin",
                "",
                "",
            ],
            sent_starts=[True, False, False, False, True, False, False, False],
        )
    )
    docbin.add(
        Doc(
            nlp.vocab,
            words=["Han", "spiste", "fisk", "."],
            pos=["PRON", "VERB", "NOUN", "PUNCT"],
            morphs=["Case=Nom", "Mood=Ind|Tense=Past|VerbForm=Fin", "Definite=Ind|Gender=Masc|Number=Sing", ""],
            sent_starts=[True, False, False, False],
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return path


def test_docbin_sequences_reads_gold_sentences(tmp_path):
    sequences = docbin_sequences([write_tiny_docbin(tmp_path / "corpus" / "tagger-train.spacy")])
    assert sequences == [
        ["NOUN|,Def,Sing", "AUX|Fin,,", "ADJ|,Ind,Sing", "PUNCT|,,"],
        ["NOUN|,Def,Plur", "VERB|Fin,,", "ADV|,,", "PUNCT|,,"],
        ["PRON|,,", "VERB|Fin,,", "NOUN|,Ind,Sing", "PUNCT|,,"],
    ]
    with pytest.raises(ScorerConfigError, match="no such DocBin"):
        docbin_sequences([tmp_path / "missing.spacy"])


def test_bundled_model_reads_predicted_annotation(scorer):
    model = load_model()
    assert model.order == 4 and model.spread > 0
    doc = scorer.nlp("Vi kjøpte en ny bil i fjor.")
    symbols = sentence_symbols(next(iter(doc.sents)))
    assert symbols[1] == "VERB|Fin,," and all(s in model.unigrams for s in symbols)
    assert math.isfinite(model.slor(symbols))
