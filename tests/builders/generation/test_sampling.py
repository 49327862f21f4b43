"""Sampling settings are validated, and seeds are derived from what a completion is of, nothing else."""

import pytest

from saga.builders.generation.sampling import SamplingSettings, request_seed, request_seeds, sample_seed

PROMPT = [{"role": "user", "content": "Skriv en kort tekst om Bergen."}]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be >= 1, got 0"),
        ({"temperature": 0.0}, "temperature must be > 0, got 0.0"),
        ({"top_p": 1.5}, r"top_p must be in \(0, 1\], got 1.5"),
        ({"max_tokens": 0}, "max_tokens must be >= 1, got 0"),
        ({"repetition_penalty": 0}, "repetition_penalty must be > 0, got 0"),
        ({"seed": -1}, "seed must be >= 0, got -1"),
    ],
)
def test_settings_reject_bad_values(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SamplingSettings(**kwargs)


def test_defaults_carry_the_saga_repetition_penalty():
    assert SamplingSettings().repetition_penalty == 1.3


def test_request_seed_depends_on_seed_prompt_and_temperature_only():
    base = request_seed(42, PROMPT, 0.7)
    assert base == request_seed(42, [dict(PROMPT[0], extra="ignored")], 0.7)
    assert 0 <= base < 2**63
    others = {
        request_seed(43, PROMPT, 0.7),
        request_seed(42, PROMPT, 0.9),
        request_seed(42, [PROMPT[0] | {"content": "x"}], 0.7),
    }
    assert base not in others and len(others) == 3
    assert request_seeds([PROMPT, PROMPT], SamplingSettings(temperature=0.7)) == [base, base]


def test_sample_seeds_differ_per_sample():
    seeds = [sample_seed(123, i) for i in range(8)]
    assert len(set(seeds)) == 8 and seeds == [sample_seed(123, i) for i in range(8)]
