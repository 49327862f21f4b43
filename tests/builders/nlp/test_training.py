"""The documented training command runs end to end on a tiny subset (a few steps, not the full run)."""

import json
from pathlib import Path

from saga.cli.main import main

FIXTURE = Path(__file__).parents[2] / "fixtures" / "treebank"


def test_train_smoke_on_fixture_treebank(tmp_path, capsys):
    out = tmp_path / "nlp"
    assert main(["nlp", "train", "--data", str(FIXTURE), "--out", str(out), "--max-steps", "4", "--limit", "40"]) == 0
    printed = capsys.readouterr().out
    assert "| nb_saga_sm | " in printed
    prepared = json.loads((out / "corpus" / "prepare.json").read_text())
    assert prepared["counts"]["ndt_sentences"] == 40
    meta = json.loads((out / "nb_saga_sm" / "meta.json").read_text())
    assert meta["name"] == "saga_sm" and set(meta["saga_heldout_accuracy"]) >= {"UPOS", "LAS"}
    assert meta["pipeline"] == ["tok2vec", "morphologizer", "trainable_lemmatizer", "parser"]
