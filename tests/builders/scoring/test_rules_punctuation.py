"""Comma rules, on the bundled pipeline's parses of hand-written sentences: each missing or misplaced comma is
found, and the same sentence with its comma right is clean."""

import pytest

from saga.builders.scoring.rules.punctuation import (
    comma_after_fronted_clause,
    comma_after_inner_clause,
    comma_before_men,
    comma_before_object_clause,
    comma_between_main_clauses,
)

CASES = [
    (comma_after_fronted_clause, "Når det regner blir vi våte.", "Når det regner, blir vi våte."),
    (comma_after_fronted_clause, "Hvis du kommer tidlig får du kake.", "Hvis du kommer tidlig, får du kake."),
    (comma_before_men, "Den er dyr men god.", "Den er dyr, men god."),
    (comma_before_men, "Jeg ville gå men hun ville bli.", "Jeg ville gå, men hun ville bli."),
    (comma_between_main_clauses, "Jeg liker fisk og hun liker kjøtt.", "Jeg liker fisk, og hun liker kjøtt."),
    (comma_after_inner_clause, "Alle som kom fikk kake.", "Alle som kom, fikk kake."),
    (comma_before_object_clause, "Jeg tror, at hun kommer.", "Jeg tror at hun kommer."),
]


@pytest.mark.parametrize(("rule", "wrong", "right"), CASES)
def test_comma_rules(nlp, rule, wrong, right):
    [violation] = rule(nlp(wrong))
    assert violation.rule_id == rule.__name__
    assert list(rule(nlp(right))) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Han sa at han kom og at hun gikk.",  # two subordinate clauses: no comma needed
        "Vi spiste og drakk hele kvelden.",  # one subject: no comma needed
        "Når kommer du hjem?",  # a question, no opening clause
        "Ikke bare han, men også hun kom.",
    ],
)
def test_no_comma_violation_on_correct_sentences(nlp, sentence):
    doc = nlp(sentence)
    assert [v for rule, *_ in CASES for v in rule(doc)] == []
