"""The treebank gender table: counting OBT tags, the majority rule, held-out documents, bytes and format."""

import json

import pytest

from saga.builders.scoring.errors import ScorerConfigError
from saga.builders.scoring.genders import read_genders
from saga.builders.scoring.training.gender_counts import (
    count_genders,
    decide_genders,
    treebank_sentences,
    write_genders,
)
from saga.cli.main import main

# NDT rows: id, form, lemma, OBT word class (twice), OBT features, head, relation, _, misc. "ap001" is trainable
# and "ap003" held out by `saga.builders.nlp.treebank.is_heldout`.
ROWS = {
    "ap001": [
        ("huset", "hus", "subst", "appell|nøyt|be|ent"),
        ("bilen", "bil", "subst", "appell|mask|be|ent"),
        ("boka", "bok", "subst", "appell|fem|be|ent"),
        ("Oslo", "Oslo", "subst", "prop"),
        ("nytt", "ny", "adj", "pos|nøyt|ub|ent"),
    ],
    "ap003": [("rommet", "rom", "subst", "appell|nøyt|be|ent")],
}


def write_ndt(data_dir, train_rows, test_rows=()):
    folder = data_dir / "ndt_nob"
    folder.mkdir(parents=True, exist_ok=True)

    def sentences(rows):
        blocks = []
        for doc, (form, lemma, word_class, feats) in rows:
            blocks.append(
                f"# source = {doc}_0000\n1\t{form}\t{lemma}\t{word_class}\t{word_class}\t{feats}\t0\tFRAG\t_\t_\n"
            )
        return "\n".join(blocks) + "\n"

    (folder / "ndt_nob-train.conll").write_text(sentences(train_rows), "utf-8")
    (folder / "ndt_nob-dev.conll").write_text("", "utf-8")
    (folder / "ndt_nob-test.conll").write_text(sentences(test_rows), "utf-8")
    return data_dir


def rows(doc, count=1):
    return [(doc, row) for row in ROWS[doc]] * count


def test_counts_common_nouns_and_strong_adjectives_but_not_held_out_documents(tmp_path):
    held_out = [("ap003", row) for row in ROWS["ap003"]]
    counts = count_genders(treebank_sentences(write_ndt(tmp_path, rows("ap001", 3), [*rows("ap001"), *held_out])))
    assert dict(counts.nouns) == {"hus": {"Neut": 4}, "bil": {"Com": 4}, "bok": {"Com": 4}}  # no "Oslo", no "rom"
    assert dict(counts.adjectives) == {"nytt": {"Neut": 4}}


def test_majority_rule_and_adjective_threshold(tmp_path):
    slips = [("ap001", ("året", "år", "subst", "appell|nøyt|be|ent"))] * 20
    slips += [("ap001", ("åra", "år", "subst", "appell|fem|be|ent"))]
    both = [
        ("ap001", ("fallet", "fall", "subst", "appell|nøyt|be|ent")),
        ("ap001", ("fallen", "fall", "subst", "appell|mask|be|ent")),
    ]  # noqa: E501
    table = decide_genders(count_genders(treebank_sentences(write_ndt(tmp_path, [*rows("ap001", 2), *slips, *both]))))
    assert table["nouns"] == {"bil": "Com", "bok": "Com", "fall": None, "hus": "Neut", "år": "Neut"}
    assert table["neuter_adjectives"] == []  # "nytt" twice: fewer than three occurrences
    table = decide_genders(count_genders(treebank_sentences(write_ndt(tmp_path, rows("ap001", 3)))))
    assert table["neuter_adjectives"] == ["nytt"]


def test_adverbial_adjectives_by_their_share_of_adv_relations(tmp_path):
    def adjective(form, relation):
        return f"# source = ap001_0000\n1\t{form}\t{form}\tadj\tadj\tpos|ub|ent\t0\t{relation}\t_\t_\n"

    blocks = [adjective("særlig", "ADV")] * 4 + [adjective("særlig", "ATR")]  # 4 of 5: adverbial
    blocks += [adjective("sterk", "ADV")] * 3 + [adjective("sterk", "ATR")] * 2  # 3 of 5: below the share
    blocks += [adjective("plutselig", "ADV")] * 4  # always, but too rare
    folder = tmp_path / "ndt_nob"
    folder.mkdir()
    (folder / "ndt_nob-train.conll").write_text("\n".join(blocks), "utf-8")
    (folder / "ndt_nob-dev.conll").write_text("", "utf-8")
    (folder / "ndt_nob-test.conll").write_text("", "utf-8")
    table = decide_genders(count_genders(treebank_sentences(tmp_path)))
    assert table["adverbial_adjectives"] == ["særlig"]
    _, _, adverbials = read_genders(write_genders(table, tmp_path / "g.json"))
    assert adverbials == {"særlig"}


def test_same_treebank_same_bytes_and_round_trip(tmp_path):
    data = write_ndt(tmp_path / "data", rows("ap001", 3))
    first = write_genders(decide_genders(count_genders(treebank_sentences(data))), tmp_path / "a.json")
    second = write_genders(decide_genders(count_genders(treebank_sentences(data))), tmp_path / "b.json")
    assert first.read_bytes() == second.read_bytes()
    nouns, neuters, _ = read_genders(first)
    assert nouns == {"bil": "Com", "bok": "Com", "hus": "Neut"} and neuters == {"nytt"}


def test_missing_treebank_and_wrong_format_are_clear_errors(tmp_path):
    with pytest.raises(ScorerConfigError, match="ndt_nob-train.conll: no such file"):
        list(treebank_sentences(tmp_path))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else"}), "utf-8")
    with pytest.raises(ScorerConfigError, match="not a saga-genders-v1 table"):
        read_genders(other)


def test_build_genders_cli(tmp_path, capsys):
    data = write_ndt(tmp_path / "data", rows("ap001", 3))
    assert main(["scorer", "build-genders", "--data", str(data), "--out", str(tmp_path / "g.json")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["noun_lemmas"] == 3 and report["neuter_adjectives"] == 1 and len(report["sha256"]) == 64
    assert read_genders(tmp_path / "g.json")[0]["hus"] == "Neut"
