"""`saga score` and `saga scorer`: JSON lines in input order, Parquet input, evaluation table, clear errors."""

import io
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import spacy
from spacy.tokens import Doc, DocBin

from saga.builders.scoring import SCORER_VERSION
from saga.builders.scoring.acceptability import AcceptabilityClassifier
from saga.cli.main import build_parser, main

MINI_TREEBANK = [(1, "Han", "PRON", 2), (2, "spiste", "VERB", 0), (3, "fisk", "NOUN", 2)]
LINES = ["Den store bilen står i garasjen.", "Huset stort.", "", "Et bil står i garasjen."]


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_score_file_writes_one_json_object_per_line_in_order(tmp_path, capsys):
    path = tmp_path / "texts.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "score", str(path), "--batch-size", "2")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(results) == len(LINES)
    assert [r["parse_success"] for r in results] == [True, False, False, True]
    assert results[2]["reason"] == "empty" and results[2]["score"] == -1.0
    assert results[3]["violations"][0]["rule"] == "np_gender_agreement"
    assert results[0]["score"] > results[3]["score"] > results[1]["score"]
    assert "scorer: saga-scorer-" in err


def test_score_reads_stdin_and_parquet(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Huset er stort.\nHuset stort.\n")))
    code, out, _ = run(capsys, "score")
    assert code == 0 and [json.loads(line)["parse_success"] for line in out.splitlines()] == [True, False]
    path = tmp_path / "texts.parquet"
    pq.write_table(pa.table({"text": ["Huset er stort.", None]}), path)
    code, out, _ = run(capsys, "score", "--parquet", str(path), "--column", "text")
    assert code == 0 and [json.loads(line)["reason"] for line in out.splitlines()] == [None, "not_a_string"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "--parquet", "x.parquet"], "--parquet needs --column"),
        (["score", "--column", "text"], "--column only applies with --parquet"),
        (["score", "missing.txt"], "missing.txt: no such file"),
    ],
)
def test_score_errors_are_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith(f"saga: error: {message}")


def test_scorer_eval_prints_the_table(tmp_path, capsys):
    path = tmp_path / "mini.conllu"
    rows = [f"{i}\t{form}\t_\t{upos}\t_\t_\t{head}\t_\t_\t_" for i, form, upos, head in MINI_TREEBANK]
    path.write_text("# sent_id = a\n" + "\n".join(rows) + "\n\n", encoding="utf-8")
    code, out, _ = run(capsys, "scorer", "eval", "--heldout", str(path))
    assert code == 0 and "| corruption | pairs | AUROC | pairwise accuracy |" in out
    assert "none: the file has no lemmas and FEATS to re-inflect" in out  # the mini treebank has neither
    code, out, _ = run(capsys, "scorer", "eval", "--heldout", str(path), "--json", "--acceptability-weight", "3")
    report = json.loads(out)
    assert [row["corruption"] for row in report["rows"]] == ["deletion", "swap", "all"]
    assert report["inflection_rows"] == []
    code, out, _ = run(capsys, "scorer", "eval", "--heldout", str(path), "--json")
    assert json.loads(out)["fingerprint"] != report["fingerprint"]  # κ = 3 (the classifier on) is another scorer


def test_scorer_eval_rejects_a_negative_classifier_weight(capsys):
    code, out, err = run(capsys, "scorer", "eval", "--acceptability-weight", "-1")
    assert code == 1
    assert err.startswith("saga: error: invalid scorer settings: acceptability_weight must be >= 0, got -1.0")


def test_scorer_info_lists_rules_and_weights(capsys):
    code, out, _ = run(capsys, "scorer", "info")
    assert code == 0 and out.startswith("fingerprint: saga-scorer-")
    assert "| missing_finite_verb | 1.5 |" in out
    assert "unacceptability term: weight 0.0; BiLSTM acceptability classifier, reference P 0." in out


def test_help_shows_examples():
    parser = build_parser()
    score_help = parser._subparsers._group_actions[0].choices["score"].format_help()
    assert "saga score sentences.txt > scores.jsonl" in score_help


def write_tiny_docbin(path):
    """A gold-annotated training DocBin like `build/nlp/corpus/tagger-train.spacy`: three short sentences."""
    words = ["Huset", "er", "stort", ".", "Bilene", "står", "ute", ".", "Han", "spiste", "fisk", "."]
    pos = ["NOUN", "AUX", "ADJ", "PUNCT", "NOUN", "VERB", "ADV", "PUNCT", "PRON", "VERB", "NOUN", "PUNCT"]
    finite = "Mood=Ind|Tense=Pres|VerbForm=Fin"
    morphs = ["Definite=Def|Number=Sing", finite, "Number=Sing", "", "Number=Plur", finite, "", "", "", finite, "", ""]
    starts = [i in (0, 4, 8) for i in range(len(words))]
    docbin = DocBin()
    docbin.add(Doc(spacy.blank("nb").vocab, words=words, pos=pos, morphs=morphs, sent_starts=starts))
    path.parent.mkdir(parents=True)
    docbin.to_disk(path)


def test_scorer_train_lm_builds_a_model_the_scorer_uses(tmp_path, capsys):
    write_tiny_docbin(tmp_path / "corpus" / "tagger-train.spacy")
    out = tmp_path / "model" / "tag_ngram.json"
    code, stdout, _ = run(capsys, "scorer", "train-lm", "--corpus", str(tmp_path / "corpus"), "--out", str(out))
    summary = json.loads(stdout)
    assert code == 0 and summary["sentences"] == 3 and summary["order"] == 4 and out.is_file()
    first = out.read_bytes()
    assert run(capsys, "scorer", "train-lm", "--corpus", str(tmp_path / "corpus"), "--out", str(out))[0] == 0
    assert out.read_bytes() == first
    code, stdout, err = run(capsys, "score", "--sequence-model", str(out), str(write_lines(tmp_path)))
    assert code == 0 and len(stdout.splitlines()) == 1
    assert "scorer: saga-scorer-" in err


def test_scorer_train_lm_without_corpus_is_a_clear_error(tmp_path, capsys):
    code, _, err = run(capsys, "scorer", "train-lm", "--corpus", str(tmp_path), "--out", str(tmp_path / "m.json"))
    assert code == 1 and "tagger-train.spacy: no such DocBin" in err and "saga nlp train" in err


def write_lines(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Huset er stort.\n", encoding="utf-8")
    return path


def train_acceptability_argv(acceptability_data, tmp_path, out) -> list[str]:
    """A one-epoch `saga scorer train-acceptability` on the small fixture data, writing `out`."""
    data, wiki = acceptability_data
    argv = ["scorer", "train-acceptability", "--data", str(data), "--wiki", str(wiki), "--out", str(out)]
    return [*argv, "--work-dir", str(tmp_path / "work"), "--epochs", "1"]


def test_scorer_train_acceptability_writes_a_model_the_scorer_uses(acceptability_data, tmp_path, capsys):
    out = tmp_path / "acceptability.safetensors"
    argv = train_acceptability_argv(acceptability_data, tmp_path, out)
    code, stdout, _ = run(capsys, *argv)
    summary = json.loads(stdout)
    assert code == 0 and out.is_file() and summary["out"] == str(out)
    assert summary["train_examples"] > 0 and summary["dev_examples"] > 0 and 0 <= summary["reference"] <= 1
    first = out.read_bytes()
    assert run(capsys, *argv)[0] == 0  # the parsed examples come from the work folder the second time
    assert out.read_bytes() == first
    code, stdout, err = run(capsys, "score", "--acceptability-model", str(out), str(write_lines(tmp_path)))
    assert code == 0 and "unacceptability" in json.loads(stdout) and f"scorer: saga-scorer-{SCORER_VERSION}" in err


def test_scorer_train_acceptability_sizes_reach_the_model(acceptability_data, tmp_path, capsys):
    out = tmp_path / "small.safetensors"
    argv = [*train_acceptability_argv(acceptability_data, tmp_path, out), "--hidden", "16", "--layers", "1"]
    argv += ["--threads", "1", "--token-loss-weight", "0"]
    assert run(capsys, *argv)[0] == 0
    classifier = AcceptabilityClassifier.from_file(out)
    assert (classifier.architecture.hidden, classifier.architecture.layers) == (16, 1)
    assert classifier.training["config"]["threads"] == 1 and classifier.training["config"]["token_loss_weight"] == 0


def test_scorer_train_acceptability_without_data_is_a_clear_error(tmp_path, capsys):
    code, _, err = run(capsys, "scorer", "train-acceptability", "--data", str(tmp_path), "--out", str(tmp_path / "m"))
    assert code == 1 and "acceptability training source missing" in err and "--data ../shared/data" in err


def test_an_unreadable_line_stops_the_input_after_every_line_before_it_is_written(tmp_path, capsys):
    path = tmp_path / "texts.txt"
    path.write_bytes("Huset er stort.\nBilen er grå.\n".encode() + "Bilen er rød.\n".encode("latin-1") + b"Hei.\n")
    code, out, err = run(capsys, "score", str(path))
    assert code == 1 and len(out.splitlines()) == 2  # the two lines before the bad one
    assert "line 3 is not valid UTF-8" in err


def test_jsonl_scores_each_text_against_its_prompt(tmp_path, capsys):
    lines = [
        {"prompt": "Skriv en kort tekst om Oslo.", "text": "Skriv en kort tekst om Oslo."},
        {"text": "Skriv en kort tekst om Oslo."},
        {"prompt": None, "text": "Huset er stort."},
    ]
    path = tmp_path / "completions.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--jsonl", str(path))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(results) == 3
    assert {v["rule"] for v in results[0]["violations"]} >= {"prompt_copy", "task_restatement"}
    assert results[1]["violations"] == [] and results[0]["score"] < 0.2 < results[1]["score"]
    path.write_text('{"text": "Hei."}\n{"prompt": 3, "text": "Hei."}\n', encoding="utf-8")
    code, out, err = run(capsys, "score", "--jsonl", str(path))
    assert code == 1 and len(out.splitlines()) == 1 and "line 2: 'prompt' must be a string or null, got int" in err


def test_a_folder_or_a_column_that_is_not_text_is_refused(tmp_path, capsys):
    code, out, err = run(capsys, "score", str(tmp_path))
    assert code == 1 and out == "" and f"{tmp_path} is a folder, not a file" in err
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"n": [1, 2]}), path)
    code, out, err = run(capsys, "score", "--parquet", str(path), "--column", "n")
    assert code == 1 and out == "" and "column 'n' holds int64, not text" in err
