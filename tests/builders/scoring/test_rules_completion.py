"""Rules against reward gaming: prompt copies, restatements, invented words, noise, shouting, links, numbers."""

import pytest

from saga.builders.scoring.rules.completion import (
    invented_words,
    links_and_code,
    noise_characters,
    numbers_only,
    prompt_copy,
    shouting,
    task_restatement,
)

PROMPT = "Skriv en kort tekst om Oslo."


def parse(scorer, text, prompt=None):
    """`text` parsed by the scorer's pipeline, carrying `prompt` as the scorer passes it."""
    return next(scorer.nlp.pipe(scorer.docs([(text, prompt)])))


def test_prompt_copy_needs_the_prompt(scorer):
    [violation] = prompt_copy(parse(scorer, "Her er en kort tekst om Oslo.", PROMPT))
    assert violation.message == "'Her er en kort tekst om Oslo.' repeats the prompt"
    assert list(prompt_copy(parse(scorer, "Her er en kort tekst om Oslo."))) == []
    assert list(prompt_copy(parse(scorer, "Oslo er hovedstaden i Norge.", PROMPT))) == []


def test_task_restatement_only_for_prompts_that_ask_for_a_text(scorer):
    text = "Denne teksten handler om Oslo. Byen er stor."
    [violation] = task_restatement(parse(scorer, text, PROMPT))
    assert violation.message == "'Denne teksten handler om Oslo.' talks about the task ('teksten')"
    assert list(task_restatement(parse(scorer, text, "Hva vet du om Oslo?"))) == []


def test_invented_words(scorer):
    [violation] = invented_words(parse(scorer, "Zorblax Quintarion møtte Vexilia Brumbor i Krandelvik."))
    assert violation.message.startswith("3 of 6 words are no known word: Zorblax, Quintarion, Vexilia")
    assert list(invented_words(parse(scorer, "Kari Nordmann møtte Ola Hansen i Drammen."))) == []


@pytest.mark.parametrize(
    ("rule", "bad", "good"),
    [
        (noise_characters, "Kaffe \ufffd\ufffd er godt.", "Kaffe er godt."),
        (shouting, "OSLO ER EN FIN BY.", "Oslo er en fin by, sier NRK og FN."),
        (links_and_code, "Les mer på https://example.no i dag.", "Les mer på nettsidene i dag."),
        (links_and_code, "Skriv x = f(y); nå.", "Skriv et brev nå."),
        (numbers_only, "1 2 3 4 5.", "Han kom på 2. plass i 2024."),
    ],
)
def test_surface_rules(scorer, rule, bad, good):
    assert len(list(rule(parse(scorer, bad)))) >= 1
    assert list(rule(parse(scorer, good))) == []
