"""Each suite passes a tiny good frame and names the exact expectation a broken frame fails."""

import polars as pl
import pytest

from saga.validation.runner import _batch_definition, validate_frame
from saga.validation.suites import build_prompts_suite, build_scored_suite, build_sentences_suite, build_sft_suite

SENTENCES_CONFIG = {"min_chars": 10, "max_chars": 100, "min_words": 3, "max_words": 20}


@pytest.fixture(scope="module", autouse=True)
def gx_context():
    _batch_definition()


def sentences_frame(**changes):
    frame = pl.DataFrame(
        {
            "article_id": ["a", "a", "b"],
            "title": ["A", "A", "B"],
            "sentence_idx": [0, 1, 0],
            "text": ["Dette er en setning.", "Her er en annen.", "Og en tredje her."],
            "n_words": [4, 4, 4],
            "split": ["train"] * 3,
        }
    )
    return frame.with_columns(**{k: pl.Series(v) for k, v in changes.items()})


def failed(frame, spec_builder, config, context=None):
    spec = spec_builder("1.0.0", config, frame, context or {})
    report = validate_frame(spec.frame, spec)
    return report, {(f["expectation"], str(f["column"])) for f in report.failed}


def test_sentences_suite_passes_good_frame():
    report, failures = failed(sentences_frame(), build_sentences_suite, SENTENCES_CONFIG)
    assert report.success and not failures and report.suite == "sentences-1.0.0"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"text": ["Dette er en setning.", "Dette er en setning.", "Og en tredje her."]},
            {("expect_column_values_to_be_unique", "text")},
        ),
        (
            {"text": ["Kort.", "Her er en annen.", "Og en tredje her."]},
            {("expect_column_value_lengths_to_be_between", "text")},
        ),
        ({"n_words": [4, 40, 4]}, {("expect_column_values_to_be_between", "n_words")}),
        ({"sentence_idx": [0, 0, 0]}, {("expect_compound_columns_to_be_unique", "['article_id', 'sentence_idx']")}),
    ],
)
def test_sentences_suite_names_failure(changes, expected):
    report, failures = failed(sentences_frame(**changes), build_sentences_suite, SENTENCES_CONFIG)
    assert not report.success
    assert failures == expected
    assert report.failed[0]["examples"], "a failure lists example rows"


def scored_frame(scores=(0.5, -0.2), fingerprints=("fp", "fp")):
    return pl.DataFrame(
        {
            "article_id": ["a", "b"],
            "text": ["Huset er stort.", "Husene er store."],
            "score": list(scores),
            "parse_success": [True, False],
            "violations": [[], [{"rule": "x", "start": 0, "end": 1, "message": "m", "weight": 1.0}]],
            "scorer_fingerprint": list(fingerprints),
        }
    )


def test_scored_suite():
    assert failed(scored_frame(), build_scored_suite, {})[0].success
    assert failed(scored_frame(scores=(1.5, 0.0)), build_scored_suite, {})[1] == {
        ("expect_column_values_to_be_between", "score")
    }
    assert failed(scored_frame(fingerprints=("a", "b")), build_scored_suite, {})[1] == {
        ("expect_column_unique_value_count_to_be_between", "scorer_fingerprint")
    }


def sft_frame(score=0.9, split_b="validation", answer="Huset er stort."):
    return pl.DataFrame(
        {
            "messages": [
                [{"role": "user", "content": "Skriv om hus."}, {"role": "assistant", "content": "Huset er stort."}],
                [{"role": "user", "content": "Skriv om bil."}, {"role": "assistant", "content": "Bilen er rød."}],
                [{"role": "user", "content": "Skriv om bil."}, {"role": "assistant", "content": "Bilen kjører."}],
            ],
            "text": [answer, "Bilen er rød.", "Bilen kjører."],
            "article_id": ["a", "b", "b"],
            "score": [score, 0.8, 0.7],
            "split": ["train", "validation", split_b],
        }
    )


def test_sft_suite():
    config = {"min_score": 0.65}
    assert failed(sft_frame(), build_sft_suite, config)[0].success
    assert failed(sft_frame(score=0.3), build_sft_suite, config)[1] == {
        ("expect_column_values_to_be_between", "score")
    }
    assert failed(sft_frame(split_b="train"), build_sft_suite, config)[1] == {
        ("expect_column_values_to_be_in_set", "article_splits")
    }
    assert failed(sft_frame(answer="Noe annet."), build_sft_suite, config)[1] == {
        ("expect_column_values_to_be_in_set", "assistant_is_text")
    }


def test_prompts_suite_rejects_sft_articles():
    frame = pl.DataFrame(
        {
            "prompt_id": ["p1", "p2"],
            "prompt": [[{"role": "user", "content": "Skriv om A."}], [{"role": "user", "content": "Skriv om B."}]],
            "kind": ["topic", "topic"],
            "article_id": ["a", "b"],
            "split": ["train", "test"],
        }
    )
    assert failed(frame, build_prompts_suite, {}, {"sft_article_ids": ["c"]})[0].success
    report, failures = failed(frame, build_prompts_suite, {}, {"sft_article_ids": ["b"]})
    assert failures == {("expect_column_values_to_not_be_in_set", "article_id")}
    assert report.failed[0]["examples"][0]["article_id"] == "b"
