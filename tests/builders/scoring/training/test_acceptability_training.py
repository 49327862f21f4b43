"""Training data and training of the acceptability classifier: sources, drops, corruptions, determinism."""

import pytest

from saga.builders import nlp as nlp_loader
from saga.builders.scoring import segmentation
from saga.builders.scoring.acceptability_features import FIELDS
from saga.builders.scoring.training import acceptability_training
from saga.builders.scoring.training.acceptability_data import (
    SourceSentence,
    build_examples,
    corruption_positions,
    detokenize_forms,
    source_sentences,
)
from saga.builders.scoring.training.acceptability_training import (
    AcceptabilityTrainingConfig,
    build_vocab,
    examples_file,
    read_examples,
    token_targets,
    train_classifier,
    write_examples,
)
from saga.errors import InputDataError
from saga.versions import file_sha256

TINY = {"dims": {name: 4 for name in FIELDS}, "hidden": 8, "layers": 1, "batch_size": 8, "epochs": 2, "threads": 1}


def test_detokenize_forms_closes_punctuation_and_brackets():
    assert detokenize_forms(("Han", "kom", "(", "i", "går", ")", ",", "sa", "hun", ".")) == "Han kom (i går), sa hun."


def test_sources_count_every_drop_and_never_keep_heldout_sentences(acceptability_data):
    root, wiki = acceptability_data
    sentences, stats = source_sentences(root, wiki)
    texts = [s.text for s in sentences]
    assert "En uvirkelig sommer." not in texts  # a held-out UD test sentence
    assert texts.count("Billettene er kraftig redusert siden forrige sesong.") == 1
    assert {"Bergen er en by på Vestlandet.", "Byen ble grunnlagt i 1070."} <= set(texts)
    assert stats["dropped"]["heldout"] >= 1 and stats["dropped"]["duplicate"] >= 1
    assert stats["dropped"]["too_short"] >= 1
    assert stats["kept"] == len(sentences) == stats["candidates"] - sum(stats["dropped"].values())
    assert {s.source for s in sentences} == {"ndt_train", "ud_dev", "ud_test", "news", "wiki"}
    assert any(s.dev for s in sentences) and not all(s.dev for s in sentences)


def test_a_missing_source_is_one_clear_error(tmp_path):
    with pytest.raises(InputDataError, match="acceptability training source missing"):
        source_sentences(tmp_path)


def test_examples_are_each_sentence_and_its_parsed_corruptions(tmp_path):
    pipeline = segmentation.add_sentence_starts(nlp_loader.load.__wrapped__("nb_saga_sm"))
    sentences = [SourceSentence("news", "Han bor i Oslo med familien sin.", False)]
    examples = list(build_examples(pipeline, sentences))
    assert [(e["kind"], e["label"]) for e in examples] == [("correct", 0), ("deletion", 1), ("swap", 1)]
    assert examples[0]["features"]["word"][:3] == ["han", "bor", "i"]
    assert all(e["text"] != sentences[0].text for e in examples[1:])
    # Where each corruption is, in the corrupted parse's tokens.
    correct = examples[0]["features"]["word"]
    assert examples[0]["positions"] == []
    for example in examples[1:]:
        assert example["positions"] == corruption_positions(example["features"]["word"], correct) is not None
    path = tmp_path / "examples.jsonl.gz"
    assert write_examples(examples, path) == 3
    assert read_examples(path) == examples
    first = path.read_bytes()
    write_examples(examples, path)
    assert path.read_bytes() == first


def test_an_interrupted_write_leaves_no_examples_file(tmp_path):
    def interrupted():
        yield {"label": 0}
        raise KeyboardInterrupt

    path = tmp_path / "examples.jsonl.gz"
    with pytest.raises(KeyboardInterrupt):
        write_examples(interrupted(), path)
    assert list(tmp_path.iterdir()) == []  # so the next run parses again instead of reading half a file
    assert write_examples([{"label": 0}], path) == 1 and read_examples(path) == [{"label": 0}]


def synthetic_examples(n: int = 96) -> list[dict]:
    """Sentences of "a"/"b" tokens; corrupted ones contain "x" (an easy signal the network must pick up)."""
    examples = []
    for i in range(n):
        words = ["a", "b", "a", "b"][: 2 + i % 3]
        if i % 2:
            words = [*words[:1], "x", *words[1:]]
        features = {name: list(words) for name in FIELDS}
        positions = [1] if i % 2 else []
        examples.append({"label": i % 2, "dev": i % 8 in (0, 1), "features": features, "positions": positions})
    return examples


def test_corruption_positions_point_at_the_deleted_words_neighbours_and_the_swapped_words():
    correct = ["han", "bor", "i", "oslo", "."]
    assert corruption_positions(["han", "bor", "oslo", "."], correct) == [1, 2]
    assert corruption_positions(["bor", "i", "oslo", "."], correct) == [0]
    assert corruption_positions(["han", "bor", "i", "oslo"], correct) == [3]
    assert corruption_positions(["bor", "han", "i", "oslo", "."], correct) == [0, 1]
    # Not one deletion or one swap apart (spaCy tokenised the corrupted text differently): unknown.
    assert corruption_positions(["han", "bor", "i", "os", "lo", "."], correct) is None
    assert corruption_positions(["han", "oslo", "i", "bor", "."], correct) is None
    assert corruption_positions(["han", "i", "."], correct) is None


def test_token_targets_mark_the_corruption_and_skip_unaligned_sentences():
    batch = [
        {"features": {"word": ["a", "b", "c"]}, "positions": []},
        {"features": {"word": ["a", "x"]}, "positions": [1]},
        {"features": {"word": ["a", "b", "c"]}, "positions": None},
    ]
    targets, known = token_targets(batch, 3)
    assert targets.tolist() == [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    assert known.tolist() == [[True, True, True], [True, True, False], [False, False, False]]


@pytest.mark.parametrize("token_loss_weight", [0.0, 0.5])
def test_training_learns_the_signal_and_is_deterministic(token_loss_weight):
    config = AcceptabilityTrainingConfig(**TINY, learning_rate=0.05, min_count=1, token_loss_weight=token_loss_weight)
    first, report = train_classifier(synthetic_examples(), config)
    second, _ = train_classifier(synthetic_examples(), config)
    assert report["best_dev_auroc"] > 0.9
    assert [row["epoch"] for row in report["history"]] == [1, 2]
    assert report["train_examples"] + report["dev_examples"] == 96
    for (name, a), b in zip(first.net.state_dict().items(), second.net.state_dict().values(), strict=True):
        assert a.equal(b), name


def test_a_student_learns_the_teachers_judgements_instead_of_the_labels(tmp_path):
    config = AcceptabilityTrainingConfig(**TINY, learning_rate=0.05, min_count=1, token_loss_weight=0.0)
    teacher, _ = train_classifier(synthetic_examples(), config)
    teacher_file = str(teacher.save(tmp_path / "teacher.safetensors"))
    # Every training label inverted, the dev labels kept: the labels alone teach the opposite of the signal.
    inverted = [{**e, "label": e["label"] if e["dev"] else 1 - e["label"]} for e in synthetic_examples()]
    _, from_labels = train_classifier(inverted, config)
    student_config = AcceptabilityTrainingConfig(
        **TINY, learning_rate=0.05, min_count=1, token_loss_weight=0.0, teacher=teacher_file, teacher_weight=1.0
    )
    _, from_teacher = train_classifier(inverted, student_config)
    assert from_labels["history"][-1]["dev_auroc"] < 0.5 < 0.9 < from_teacher["best_dev_auroc"]
    assert from_teacher["teacher_sha256"] == file_sha256(teacher_file)
    assert from_teacher["config"]["teacher_weight"] == 1.0
    assert from_teacher["config"]["teacher"] == "teacher.safetensors"  # not the folder the file was read from


def test_vocab_keeps_frequent_strings_first_and_caps_each_field():
    examples = [{"features": {name: ["b", "a", "a", "c"] for name in FIELDS}}] * 2
    vocab = build_vocab(examples, min_count=3, max_vocab={"word": 1})
    assert vocab["word"] == ["<pad>", "<unk>", "a"]
    assert vocab["tag"] == ["<pad>", "<unk>", "a"]
    assert build_vocab(examples, min_count=2, max_vocab={})["dep"] == ["<pad>", "<unk>", "a", "b", "c"]


def test_training_config_rejects_bad_values():
    with pytest.raises(ValueError, match="must be >= 1"):
        AcceptabilityTrainingConfig(epochs=0)
    with pytest.raises(ValueError, match="dropout rates"):
        AcceptabilityTrainingConfig(word_dropout=1.0)
    with pytest.raises(ValueError, match="token_loss_weight must be >= 0"):
        AcceptabilityTrainingConfig(token_loss_weight=-1.0)
    with pytest.raises(ValueError, match="teacher_weight must be in"):
        AcceptabilityTrainingConfig(teacher_weight=1.5)
    with pytest.raises(ValueError, match="dims lacks the fields"):
        AcceptabilityTrainingConfig(dims={"word": 8})
    with pytest.raises(ValueError, match="need train and dev examples"):
        train_classifier([e for e in synthetic_examples() if not e["dev"]], AcceptabilityTrainingConfig(**TINY))


def test_the_examples_file_is_keyed_by_pipeline_sentences_code_and_rounds(tmp_path, monkeypatch):
    sentences = [SourceSentence("news", "Han bor i Oslo.", False)]
    path = examples_file(tmp_path, "nb_saga_sm-0.1.0-abc", sentences, 2)
    assert path.parent == tmp_path and path.name.startswith("examples-nb_saga_sm-0.1.0-abc-")
    assert examples_file(tmp_path, "nb_saga_sm-0.1.0-abc", sentences, 2) == path
    others = [
        examples_file(tmp_path, "nb_saga_sm-0.1.0-def", sentences, 2),
        examples_file(tmp_path, "nb_saga_sm-0.1.0-abc", [SourceSentence("news", "Han bor i Bergen.", False)], 2),
        examples_file(tmp_path, "nb_saga_sm-0.1.0-abc", sentences, 3),
    ]
    # An edit to the corruptions (here: a copy of their module with one more line) must not reuse old examples.
    edited = tmp_path / "minimal_pairs.py"
    edited.write_bytes(acceptability_training.EXAMPLE_CODE[0].read_bytes() + b"# edited\n")
    monkeypatch.setattr(acceptability_training, "EXAMPLE_CODE_ROOT", tmp_path)
    monkeypatch.setattr(acceptability_training, "EXAMPLE_CODE", (edited,))
    others.append(examples_file(tmp_path, "nb_saga_sm-0.1.0-abc", sentences, 2))
    assert len({path, *others}) == 5
