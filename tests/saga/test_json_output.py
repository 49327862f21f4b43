"""`--json` and the text output come from one result: the JSON holds what the text says, for each command."""

import json
from pathlib import Path

import pytest

from saga.cli.main import main
from tests.saga.test_build_cli import ARTICLES

DEMO_RECIPE = Path(__file__).resolve().parents[2] / "recipes" / "demo-cpu.yaml"


def run(capsys, *args: str) -> tuple[str, dict]:
    """The command's text output, then its JSON output."""
    assert main(list(args)) == 0
    text = capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    return text, json.loads(capsys.readouterr().out)


@pytest.fixture
def articles(tmp_path) -> Path:
    source = tmp_path / "my_articles.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    return source


def test_build_validate_and_card_report_the_same_facts_both_ways(tmp_path, articles, capsys):
    root, folder = tmp_path / "datasets", tmp_path / "datasets" / "sentences"
    text, built = run(capsys, "build", "sentences", "--input", str(articles), "--root", str(root))
    assert built["out_dir"] == str(folder) and built["rows"] == {"train": 4} and built["state"] == "up to date"
    assert text.startswith(f"{folder}: built, rows {{'train': 4}}, fingerprint {built['fingerprint']}")
    assert built["funnel"] == json.loads((folder / "saga" / "funnel.json").read_text())
    assert f"validation: {built['validation']['suite']} passed" in text

    text, verdict = run(capsys, "validate", str(folder), "--root", str(root))
    assert verdict["success"] is True and text.startswith(f"suite {verdict['suite']}: 0 of {verdict['evaluated']}")
    text, card = run(capsys, "card", str(folder))
    assert card == {"card": str(folder / "README.md")} and text == f"wrote {folder / 'README.md'}\n"


def test_a_dry_run_plan_is_the_same_plan_both_ways(capsys):
    text, plan = run(capsys, "run", str(DEMO_RECIPE), "--dry-run")
    assert plan["recipe"] == "demo-cpu" and [step["name"] for step in plan["plan"]][:2] == ["sentences", "scored"]
    for index, step in enumerate(plan["plan"], 1):
        assert f"{index:>2}. {step['name']}: {step['what']}" in text


def test_scorer_info_lists_the_same_rules_both_ways(capsys):
    text, info = run(capsys, "scorer", "info")
    assert len(info["rules"]) == 55 and text.startswith(f"fingerprint: {info['fingerprint']}\n")
    assert all(f"| {rule['rule']} | {rule['weight']} |" in text for rule in info["rules"])
