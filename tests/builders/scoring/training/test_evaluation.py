"""Evaluation metrics (AUROC, pairwise accuracy) and the held-out evaluation on a small treebank file."""

import pytest

from saga.builders.scoring.training.evaluation import (
    auroc,
    evaluate_heldout,
    evaluate_inflections,
    format_table,
    report_pairs,
)

CONLLU_ROWS = [
    ("s1", [("Han", "PRON", 2), ("spiste", "VERB", 0), ("fisk", "NOUN", 2), ("i", "ADP", 5), ("går", "NOUN", 2)]),
    ("s2", [("Huset", "NOUN", 3), ("er", "AUX", 3), ("stort", "ADJ", 0)]),
    ("s3", [("Vi", "PRON", 2), ("kjøpte", "VERB", 0), ("en", "DET", 4), ("bil", "NOUN", 2)]),
    ("s4", [("Barna", "NOUN", 2), ("leker", "VERB", 0), ("i", "ADP", 4), ("hagen", "NOUN", 2)]),
]


def write_conllu(path):
    lines = []
    for sent_id, words in CONLLU_ROWS:
        lines.append(f"# sent_id = {sent_id}")
        for index, (form, upos, head) in enumerate(words, start=1):
            lines.append(
                f"{index}\t{form}\t_\t{upos}\t_\t_\t{head}\t_\t_\t{'SpaceAfter=No' if index == len(words) else '_'}"
            )
        lines.append(f"{len(words) + 1}\t.\t_\tPUNCT\t_\t_\t1\tpunct\t_\t_")
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_auroc_counts_ties_half():
    assert auroc([1.0, 0.9], [0.1, 0.2]) == 1.0
    assert auroc([0.1, 0.2], [1.0, 0.9]) == 0.0
    assert auroc([0.5, 0.5], [0.5, 0.5]) == 0.5


def test_report_pairs():
    row = report_pairs("swap", [(1.0, 0.5), (0.8, 0.8), (0.2, 0.6)])
    assert (row.pairs, row.pairwise_accuracy, row.ties) == (3, pytest.approx(1 / 3), pytest.approx(1 / 3))
    assert row.mean_correct == pytest.approx(2 / 3)


def test_heldout_evaluation_on_a_small_file(scorer, tmp_path):
    rows = evaluate_heldout(scorer, write_conllu(tmp_path / "mini.conllu"), seed=0)
    assert [row.corruption for row in rows] == ["deletion", "swap", "all"]
    assert rows[2].pairs == rows[0].pairs + rows[1].pairs == 8
    assert all(0.0 <= row.auroc <= 1.0 for row in rows)
    assert rows[2].pairwise_accuracy >= 0.5  # correct sentences beat most corruptions, even on four sentences
    table = format_table(rows)
    assert table.splitlines()[0].startswith("| corruption | pairs | AUROC | pairwise accuracy")
    assert rows == evaluate_heldout(scorer, tmp_path / "mini.conllu", seed=0)


# Gold lemma and FEATS for the inflection corruptions: (form, lemma, UPOS, FEATS, head, deprel).
ANNOTATED = [
    ("Vi", "vi", "PRON", "Number=Plur|Person=1|PronType=Prs", 2, "nsubj"),
    ("kjøpte", "kjøpe", "VERB", "Mood=Ind|Tense=Past|VerbForm=Fin", 0, "root"),
    ("et", "en", "DET", "Gender=Neut|Number=Sing|PronType=Art", 5, "det"),
    ("stort", "stor", "ADJ", "Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing", 5, "amod"),
    ("hus", "hus", "NOUN", "Definite=Ind|Gender=Neut|Number=Sing", 2, "obj"),
]


def test_inflection_evaluation_on_a_small_file(scorer, tmp_path):
    rows = [
        f"{i}\t{f}\t{lemma}\t{u}\t_\t{feats}\t{h}\t{d}\t_\t_"
        for i, (f, lemma, u, feats, h, d) in enumerate(ANNOTATED, 1)
    ]
    path = tmp_path / "annotated.conllu"
    path.write_text(
        "# sent_id = a\n" + "\n".join(rows) + "\n6\t.\t$.\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\n", encoding="utf-8"
    )
    report = {row.corruption: row for row in evaluate_inflections(scorer, path)}
    assert list(report) == ["noun_definiteness", "adjective_inflection", "verb_finiteness", "all"]
    assert report["all"].pairs == 3 and report["all"].pairwise_accuracy == 1.0  # "et stort huset", "et stor hus", ...
    assert evaluate_inflections(scorer, write_conllu(tmp_path / "mini.conllu")) == []  # no lemmas or FEATS
