"""`saga build` on a user's own data: `--input` names the articles of the first stage; the summary shows the
funnel."""

import json

from saga.cli.main import main

ARTICLES = [
    {"id": "1", "title": "Bergen", "text": "Bergen er en by på Vestlandet. Byen ble grunnlagt i 1070 av kong Olav."},
    {"id": "2", "title": "Oslo", "text": "Oslo er hovedstaden i Norge. Byen ligger innerst i Oslofjorden."},
]


def test_build_sentences_from_a_users_own_file_prints_the_funnel(tmp_path, capsys):
    source = tmp_path / "my_articles.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    assert main(["build", "sentences", "--input", str(source), "--root", str(tmp_path / "datasets")]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / "datasets" / "sentences"
    assert out.startswith(f"{folder}: built, rows {{'train': 4}}")
    funnel = json.loads((folder / "saga" / "funnel.json").read_text())
    assert f"  {funnel[0]['step']}: {funnel[0]['in']} {funnel[0]['unit']} in, {funnel[0]['out']} out" in out
    assert json.loads((folder / "saga" / "manifest.json").read_text())["inputs"]["articles"]


def test_executor_flags_are_checked_before_anything_runs(tmp_path, capsys):
    root = ["--root", str(tmp_path / "datasets")]
    assert main(["build", "sentences", "--executor", "ray", *root]) == 1
    assert "sentences runs in this process; --executor applies to scored, completions, scored_completions" in (
        capsys.readouterr().err
    )
    assert main(["build", "scored", "--num-workers", "4", *root]) == 1
    assert "--ray-address and --num-workers need --executor ray" in capsys.readouterr().err
    assert main(["build", "scored", "--executor", "ray", "--num-workers", "0", *root]) == 1
    assert "executor num_workers must be an integer >= 1, got 0" in capsys.readouterr().err
    assert not (tmp_path / "datasets").exists()
