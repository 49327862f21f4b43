"""The `saga_grammar_scorer` component and the versioned rule registry."""

import pytest
from spacy.util import registry

from saga.builders import nlp as nlp_loader
from saga.builders.scoring import COMPONENT_NAME, RULES_V2, ScorerConfigError
from saga.builders.scoring.formula import TUNED_ACCEPTABILITY_WEIGHT
from saga.builders.scoring.results import ScoreResult
from saga.builders.scoring.rules import DEFAULT_WEIGHTS_V2, PARSE_SUCCESS_RULES, RuleSet

# The classifier is off by default; these tests exercise it.
WITH_CLASSIFIER = {"acceptability_weight": TUNED_ACCEPTABILITY_WEIGHT}


def test_registry_resolves_the_versioned_rule_set():
    rule_set = registry.misc.get("saga.rules.v2")()
    assert isinstance(rule_set, RuleSet) and rule_set.name == "saga.rules.v2"
    assert set(rule_set.rules) == set(RULES_V2) == set(DEFAULT_WEIGHTS_V2)
    assert set(RULES_V2) >= PARSE_SUCCESS_RULES
    assert all(rule.__doc__ for rule in RULES_V2.values()), "every rule documents what it checks"


def test_rule_set_rejects_rules_without_weights():
    with pytest.raises(ValueError, match="rules without weight \\['extra'\\]"):
        RuleSet("test", {**RULES_V2, "extra": RULES_V2["repeated_word"]}, DEFAULT_WEIGHTS_V2)


@pytest.fixture(scope="module")
def pipeline():
    return nlp_loader.load.__wrapped__("nb_saga_sm")  # a private copy: add_pipe changes it


def test_component_sets_the_result_extension_with_weight_overrides(pipeline):
    pipeline.add_pipe(COMPONENT_NAME, config={"weights": {"np_gender_agreement": 1.0}})
    assert pipeline.get_pipe_config(COMPONENT_NAME)["rules"] == {"@misc": "saga.rules.v2"}
    doc = pipeline("Et bil står i garasjen.")
    result = ScoreResult.from_dict(doc._.saga_result)
    assert doc._.saga_score == result.score
    assert [(v.rule_id, v.weight) for v in result.violations] == [("np_gender_agreement", 1.0)]
    assert result.grammar == 0.0
    pipeline.remove_pipe(COMPONENT_NAME)


def test_component_config_is_validated(pipeline):
    with pytest.raises(ScorerConfigError, match="weights for unknown rules \\['nope'\\]"):
        pipeline.add_pipe(COMPONENT_NAME, name="bad_weights", config={"weights": {"nope": 1.0}})
    with pytest.raises(ScorerConfigError, match="diversity_weight must be in"):
        pipeline.add_pipe(COMPONENT_NAME, name="bad_formula", config={"diversity_weight": 2.0})


def test_component_on_an_empty_doc_gives_the_no_words_result(pipeline):
    pipeline.add_pipe(COMPONENT_NAME)
    assert ScoreResult.from_dict(pipeline("")._.saga_result) == ScoreResult.rejected("no_words")
    pipeline.remove_pipe(COMPONENT_NAME)


def test_component_pipe_scores_a_batch_like_one_doc_at_a_time(pipeline):
    pipeline.add_pipe(COMPONENT_NAME, config=WITH_CLASSIFIER)
    texts = ["Han bor i Oslo.", "Han i bor Oslo.", "Huset er stort. Barna leker ute.", "!"]
    batched = [doc._.saga_result for doc in pipeline.pipe(texts, batch_size=3)]
    assert batched == [pipeline(text)._.saga_result for text in texts]
    assert batched[1]["unacceptability"] > batched[0]["unacceptability"]
    pipeline.remove_pipe(COMPONENT_NAME)


def test_component_pipe_builds_each_docs_tables_once(pipeline):
    from saga.builders.scoring.rules import annotation

    pipeline.add_pipe(COMPONENT_NAME, config=WITH_CLASSIFIER)
    texts = [f"Vi kjøpte {n} nye hus i fjor. De var billige." for n in range(2, 14)]
    try:
        docs = list(pipeline.pipe(texts, batch_size=8))
        annotation.tables.cache_clear()
        # A batch larger than the tables cache: the rules and the classifier's sentences must share one build.
        list(pipeline.get_pipe(COMPONENT_NAME).pipe(docs, batch_size=8))
        assert annotation.tables.cache_info().misses == len(texts)
    finally:
        pipeline.remove_pipe(COMPONENT_NAME)


def test_classifier_runs_on_one_torch_thread_and_restores_the_callers_setting(pipeline, monkeypatch):
    import torch

    from saga.builders.scoring.acceptability import load_classifier

    pipeline.add_pipe(COMPONENT_NAME, config=WITH_CLASSIFIER)
    component = pipeline.get_pipe(COMPONENT_NAME)
    seen = []
    predict_rows = component.acceptability.predict_rows

    def recording(rows):
        seen.append(torch.get_num_threads())
        return predict_rows(rows)

    monkeypatch.setattr(component.acceptability, "predict_rows", recording)
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        docs = list(pipeline.pipe(["Han bor i Oslo.", "Han bor Oslo. Barna leker ute."]))
        assert seen == [1] and torch.get_num_threads() == 2
        # The same probabilities as the classifier gives on two threads.
        probabilities = component.sentence_acceptability(docs)
        assert probabilities == [load_classifier().predict(doc.sents) for doc in docs]
    finally:
        torch.set_num_threads(previous)
        pipeline.remove_pipe(COMPONENT_NAME)
