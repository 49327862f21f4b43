"""The acceptability classifier: features from the parse, the bundled model, the file format, the U term."""

import pytest
import torch

from saga.builders.scoring.acceptability import AcceptabilityArchitecture, AcceptabilityClassifier, load_classifier
from saga.builders.scoring.acceptability_features import FIELDS, MAX_TOKENS, token_features
from saga.builders.scoring.errors import ScorerConfigError
from saga.permissions import umask

ARCHITECTURE = AcceptabilityArchitecture({name: 4 for name in FIELDS}, hidden=8, layers=1, dropout=0.0)


def tiny_vocab() -> dict[str, list[str]]:
    return {name: ["<pad>", "<unk>", "a", "b"] for name in FIELDS}


def test_token_features_align_with_the_words_and_read_the_parse(nlp):
    features = token_features(nlp("Han bor i Oslo."))
    assert set(features) == set(FIELDS)
    assert features["word"] == ["han", "bor", "i", "oslo", "."]
    assert all(len(values) == 5 for values in features.values())
    assert features["shape"][:2] == ["first:title", "inner:lower"]
    assert features["tag"][1].startswith("VERB|")
    assert features["head"][features["dep"].index("ROOT")] == "root"
    assert features["head"][0] == "+1"  # "Han" depends on "bor", one token to the right


def test_token_ids_read_the_same_ids_as_the_token_features(nlp):
    # The scorer reads ids from `Doc.to_array` (TokenIds); training data stores strings (token_features). Both must
    # give the network the same input: whitespace tokens, unknown words, empty morphology, heads on either side,
    # several sentences and a sentence cut at MAX_TOKENS.
    classifier = load_classifier()
    texts = [
        "Han  bor\n i Oslo .",
        "«Hei», sa Kari (til meg) – og gikk hjem! Så regnet det.",
        "Xqzvyrt blorfte snupp 42 ganger i 1999.",
        " ".join(["og"] * (MAX_TOKENS + 10)),
    ]
    for doc in nlp.pipe(texts):
        bounds = [(0, len(doc))] + [(sent.start, sent.end) for sent in doc.sents]
        rows = classifier.token_ids.rows(doc, bounds)
        for (start, end), row in zip(bounds, rows, strict=True):
            ids, _ = classifier.encode([token_features(doc[start:end])])
            expected = torch.stack([ids[name][0] for name in FIELDS], dim=-1).numpy()
            assert row.tolist() == expected.tolist(), doc[start:end].text
    assert len(rows[0]) == MAX_TOKENS


def test_bundled_classifier_separates_correct_from_corrupted_sentences(nlp):
    classifier = load_classifier()
    correct = ["Han bor i Oslo.", "I går spiste han fisk til middag.", "Huset ligger ved sjøen."]
    corrupted = ["Han bor Oslo.", "I går han spiste fisk til middag.", "Huset ligger ved."]
    good = classifier.predict(nlp.pipe(correct))
    bad = classifier.predict(nlp.pipe(corrupted))
    assert all(0.0 <= p <= 1.0 for p in good + bad)
    assert all(b > g for g, b in zip(good, bad, strict=True)), (good, bad)


def test_multiply_adds_count_every_lstm_product_per_token_and_the_head_per_sentence():
    # Six fields of width 4 (24 in), hidden 8, two bidirectional layers: per token and direction, layer 1 multiplies
    # 4·8 × (24 + 8) and layer 2 4·8 × (16 + 8); per sentence the head multiplies 32 × 8 and the output 8 × 1.
    architecture = AcceptabilityArchitecture({name: 4 for name in FIELDS}, hidden=8, layers=2, dropout=0.0)
    net = AcceptabilityClassifier(tiny_vocab(), architecture).net
    per_token = 2 * (4 * 8 * (24 + 8) + 4 * 8 * (16 + 8))
    assert net.multiply_adds([3, 5]) == per_token * 8 + (32 * 8 + 8) * 2
    assert net.multiply_adds([]) == 0


def test_unacceptability_is_zero_up_to_the_reference_and_one_at_certainty():
    classifier = AcceptabilityClassifier(tiny_vocab(), ARCHITECTURE, reference=0.2)
    assert classifier.unacceptability([]) == 0.0
    assert classifier.unacceptability([0.1, 0.2]) == 0.0
    assert classifier.unacceptability([1.0]) == 1.0
    assert classifier.unacceptability([0.6, 0.2]) == pytest.approx(0.25)


def test_save_and_load_round_trip_keeps_predictions_reference_and_report(tmp_path, nlp):
    torch.manual_seed(0)
    classifier = AcceptabilityClassifier(tiny_vocab(), ARCHITECTURE, reference=0.3, training={"epochs": 1})
    docs = list(nlp.pipe(["Huset er stort.", "Stort huset er."]))
    path = classifier.save(tmp_path / "model.safetensors")
    loaded = AcceptabilityClassifier.from_file(path)
    assert (loaded.reference, loaded.training, loaded.vocab) == (0.3, {"epochs": 1}, classifier.vocab)
    # The file holds float16 weights, so predictions agree to float16 precision.
    assert loaded.predict(docs) == pytest.approx(classifier.predict(docs), abs=1e-2)
    assert path.read_bytes() == classifier.save(tmp_path / "again.safetensors").read_bytes()
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask()  # not safetensors' 0600


def test_missing_or_foreign_files_are_one_clear_error(tmp_path):
    with pytest.raises(ScorerConfigError, match="no such file"):
        AcceptabilityClassifier.from_file(tmp_path / "missing.safetensors")
    from safetensors.torch import save_file

    save_file({"x": torch.zeros(1)}, str(tmp_path / "other.safetensors"), metadata={"saga": '{"format": "other"}'})
    with pytest.raises(ScorerConfigError, match="not a saga-acceptability-v1 file"):
        AcceptabilityClassifier.from_file(tmp_path / "other.safetensors")


def test_malformed_vocabularies_are_rejected():
    with pytest.raises(ScorerConfigError, match="fields \\['word'\\]"):
        AcceptabilityClassifier({**tiny_vocab(), "word": ["han"]}, ARCHITECTURE)
