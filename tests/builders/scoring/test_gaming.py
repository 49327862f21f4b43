"""The reward against gaming: every probe (prompt copies, restatements, repeats, lists, invented names, other
languages and dialects, code, numbers, links, capitals, noise) scores below 0.2, the pair threshold for a chosen
completion, while good answers to the same prompts score at least 0.65, the SFT threshold."""

import json
from pathlib import Path

import pytest

PROBES = json.loads((Path(__file__).parents[2] / "fixtures" / "gaming_probes.json").read_text(encoding="utf-8"))
PAIR_CHOSEN_MIN = 0.2
SFT_MIN = 0.65


def test_there_are_enough_probes_of_every_kind():
    kinds = {probe["kind"] for probe in PROBES["gaming"]}
    assert len(PROBES["gaming"]) >= 30 and len(kinds) >= 12


@pytest.mark.parametrize("probe", PROBES["gaming"], ids=lambda p: f"{p['kind']}: {p['text'][:40]}")
def test_a_gaming_probe_scores_below_the_chosen_threshold(scorer, probe):
    result = scorer.score(probe["text"], probe["prompt"])
    assert result.score < PAIR_CHOSEN_MIN, result


@pytest.mark.parametrize("answer", PROBES["good"], ids=lambda p: p["prompt"])
def test_a_good_answer_to_the_same_prompts_keeps_its_sft_place(scorer, answer):
    result = scorer.score(answer["text"], answer["prompt"])
    assert result.score >= SFT_MIN, result


def test_a_copied_prompt_scores_far_below_an_answer(scorer):
    prompt = PROBES["good"][0]["prompt"]
    copied, answered = scorer.score(prompt, prompt), scorer.score(PROBES["good"][0]["text"], prompt)
    assert answered.score - copied.score > 1.0
    assert scorer.score(prompt).score > copied.score  # without its prompt the copy is a fine sentence
