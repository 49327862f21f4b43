"""Generation suites (completions, scored completions, pairs): a good frame passes, a broken one names its failure."""

import polars as pl
import pytest

from saga.validation.runner import _batch_definition, validate_frame
from saga.validation.suites import build_completions_suite, build_pairs_suite, build_scored_completions_suite

PAIRS_CONFIG = {"min_delta": 0.25, "min_chosen": 0.2, "strategy": "best_worst", "max_pairs_per_prompt": 8}
COMPLETIONS_CONFIG = {"temperatures": (0.7, 1.1), "n_samples": 1, "backend": "transformers"}


@pytest.fixture(scope="module", autouse=True)
def gx_context():
    _batch_definition()


def failed(frame, spec_builder, config):
    spec = spec_builder("1.0.0", config, frame, {})
    report = validate_frame(spec.frame, spec)
    return report, {(f["expectation"], str(f["column"])) for f in report.failed}


def user(text):
    return [{"role": "user", "content": text}]


def assistant(text, role="assistant"):
    return [{"role": role, "content": text}]


def pairs_frame(**changes):
    frame = pl.DataFrame(
        {
            "prompt_id": ["p1", "p2"],
            "prompt": [user("Skriv om hus."), user("Skriv om bil.")],
            "chosen": [assistant("Huset er stort."), assistant("Bilen er rød.")],
            "rejected": [assistant("Huset stort."), assistant("bil rød den")],
            "chosen_score": [0.9, 0.5],
            "rejected_score": [0.1, -0.4],
            "delta": [0.8, 0.9],
            "length_ratio": [1.5, 1.0],
            "split": ["train", "test"],
        }
    )
    return frame.with_columns(**{k: pl.Series(v) for k, v in changes.items()})


def test_pairs_suite_passes_good_frame():
    report, failures = failed(pairs_frame(), build_pairs_suite, PAIRS_CONFIG)
    assert report.success and not failures and report.suite == "pairs-1.0.0"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"rejected_score": [0.7, -0.4], "delta": [0.2, 0.9]},
            {("expect_column_values_to_be_between", "delta")},
        ),
        (
            {"chosen_score": [0.1, 0.5], "rejected_score": [-0.5, -0.4], "delta": [0.6, 0.9]},
            {("expect_column_values_to_be_between", "chosen_score")},
        ),
        (
            {"rejected_score": [-1.5, -0.4], "delta": [2.4, 0.9]},
            {
                ("expect_column_values_to_be_between", "rejected_score"),
                ("expect_column_values_to_be_between", "delta"),
            },
        ),
        ({"delta": [0.7, 0.9]}, {("expect_column_values_to_be_in_set", "delta_consistent")}),
        (
            {"rejected": [assistant("Huset er stort."), assistant("bil rød den")]},
            {("expect_column_values_to_be_in_set", "distinct_texts")},
        ),
        (
            {"chosen": [assistant("Huset er stort.", role="user"), assistant("Bilen er rød.")]},
            {("expect_column_values_to_be_in_set", "chosen_role")},
        ),
        (
            {"rejected": [assistant("Huset stort.") * 2, assistant("bil rød den")]},
            {("expect_column_values_to_be_in_set", "rejected_turns")},
        ),
        (
            {"prompt": [user("Skriv om hus.") + assistant("Ja."), user("Skriv om bil.")]},
            {("expect_column_values_to_be_in_set", "prompt_ends_with_user")},
        ),
    ],
)
def test_pairs_suite_names_failure(changes, expected):
    report, failures = failed(pairs_frame(**changes), build_pairs_suite, PAIRS_CONFIG)
    assert not report.success
    assert failures == expected


def test_pairs_suite_catches_duplicates_cap_and_split_leaks():
    duplicate = pl.concat([pairs_frame(), pairs_frame().head(1)])
    assert failed(duplicate, build_pairs_suite, PAIRS_CONFIG)[1] == {
        ("expect_compound_columns_to_be_unique", "['prompt_id', 'chosen_text', 'rejected_text']"),
        ("expect_column_values_to_be_between", "pairs_per_prompt"),
    }
    second = pairs_frame(prompt_id=["p1", "p1"], split=["train", "train"])
    assert failed(second, build_pairs_suite, PAIRS_CONFIG)[1] == {
        ("expect_column_values_to_be_between", "pairs_per_prompt")
    }
    assert failed(second, build_pairs_suite, {**PAIRS_CONFIG, "strategy": "all"})[0].success
    leak = pairs_frame(prompt_id=["p1", "p1"])
    assert failed(leak, build_pairs_suite, {**PAIRS_CONFIG, "strategy": "all"})[1] == {
        ("expect_column_values_to_be_in_set", "prompt_splits")
    }


def completions_frame(**changes):
    frame = pl.DataFrame(
        {
            "prompt_id": ["p1", "p1", "p2", "p2"],
            "prompt": [user("A")] * 2 + [user("B")] * 2,
            "completion": ["Huset er stort.", "Huset.", "Bilen er rød.", ""],
            "temperature": [0.7, 1.1, 0.7, 1.1],
            "sample_idx": [0, 0, 0, 0],
            "seed": [1, 2, 3, 4],
            "model_revision": ["r"] * 4,
            "backend": ["transformers"] * 4,
            "split": ["train", "train", "test", "test"],
        }
    )
    return frame.with_columns(**{k: pl.Series(v) for k, v in changes.items()})


def test_completions_suite():
    assert failed(completions_frame(), build_completions_suite, COMPLETIONS_CONFIG)[0].success
    assert failed(completions_frame(temperature=[0.7, 0.9, 0.7, 1.1]), build_completions_suite, COMPLETIONS_CONFIG)[
        1
    ] == {("expect_column_values_to_be_in_set", "temperature")}
    assert failed(completions_frame(sample_idx=[0, 0, 0, 1]), build_completions_suite, COMPLETIONS_CONFIG)[1] == {
        ("expect_column_values_to_be_between", "sample_idx")
    }
    assert failed(completions_frame(prompt_id=["p1", "p1", "p1", "p2"]), build_completions_suite, COMPLETIONS_CONFIG)[
        1
    ] == {
        ("expect_column_values_to_be_in_set", "completions_per_prompt"),
        ("expect_column_values_to_be_in_set", "prompt_splits"),
        ("expect_compound_columns_to_be_unique", "['prompt_id', 'temperature', 'sample_idx']"),
    }
    assert failed(completions_frame(model_revision=["r", "r", "s", "s"]), build_completions_suite, COMPLETIONS_CONFIG)[
        1
    ] == {("expect_column_unique_value_count_to_be_between", "model_revision")}


def scored_completions_frame(**changes):
    frame = pl.DataFrame(
        {
            "prompt_id": ["p1", "p1"],
            "completion": ["Huset er stort.", ""],
            "temperature": [0.7, 1.1],
            "sample_idx": [0, 0],
            "score": [0.9, -1.0],
            "parse_success": [True, False],
            "reject_reason": pl.Series([None, "empty"], dtype=pl.String),
            "scorer_fingerprint": ["fp", "fp"],
        }
    )
    return frame.with_columns(**{k: pl.Series(v) for k, v in changes.items()})


def test_scored_completions_suite():
    assert failed(scored_completions_frame(), build_scored_completions_suite, {})[0].success
    assert failed(scored_completions_frame(score=[0.9, -0.5]), build_scored_completions_suite, {})[1] == {
        ("expect_column_values_to_be_in_set", "reject_scored_minimum")
    }
    assert failed(scored_completions_frame(reject_reason=[None, "odd"]), build_scored_completions_suite, {})[1] == {
        ("expect_column_values_to_be_in_set", "reject_reason")
    }
    assert failed(scored_completions_frame(score=[1.2, -1.0]), build_scored_completions_suite, {})[1] == {
        ("expect_column_values_to_be_between", "score")
    }


def test_pairs_suite_holds_pairs_to_their_max_length_ratio():
    report, failures = failed(pairs_frame(), build_pairs_suite, {**PAIRS_CONFIG, "max_length_ratio": 1.2})
    assert not report.success and failures == {("expect_column_values_to_be_between", "length_spread")}
    report, _ = failed(pairs_frame(), build_pairs_suite, {**PAIRS_CONFIG, "max_length_ratio": 1.5})
    assert report.success
