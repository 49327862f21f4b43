"""The transformers backend on the bundled tiny policy: seeded, batch-independent, and within the sampling rules."""

import pytest
import torch

from saga.builders.generation import GenerationError, SamplingSettings, load_backend
from saga.builders.generation.transformers_backend import SeededSampler
from saga.models import resolve_model

PROMPTS = [
    [{"role": "user", "content": "Skriv en kort tekst om Bergen."}],
    [
        {
            "role": "user",
            "content": "Fortsett teksten: Oslo er hovedstaden i Norge og har over en halv million innbyggere.",
        }
    ],
    [{"role": "user", "content": "Fortell kort om Nidarosdomen."}],
]
SETTINGS = SamplingSettings(n=2, temperature=0.9, max_tokens=16, seed=3)


@pytest.fixture(scope="module")
def backend():
    return load_backend("transformers", resolve_model("tiny_nb_mistral"), device="cpu", batch_size=4, threads=1)


def test_same_seed_and_settings_give_the_same_completions(backend):
    threads = torch.get_num_threads()
    first = backend.generate(PROMPTS, SETTINGS)
    assert torch.get_num_threads() == threads, "the thread setting is restored after generating"
    assert [len(texts) for texts in first] == [2, 2, 2]
    assert all(isinstance(text, str) for texts in first for text in texts)
    fresh = load_backend("transformers", resolve_model("tiny_nb_mistral"), device="cpu", batch_size=4, threads=1)
    assert fresh.generate(PROMPTS, SETTINGS) == first
    assert len({text for texts in first for text in texts}) > 1, "samples differ from each other"


def test_completions_do_not_depend_on_the_batch(backend):
    together = backend.generate(PROMPTS, SETTINGS)
    backend.batch_size = 1
    try:
        alone = [backend.generate([prompt], SETTINGS)[0] for prompt in reversed(PROMPTS)]
    finally:
        backend.batch_size = 4
    assert alone[::-1] == together


def test_seed_and_temperature_change_the_completions(backend):
    base = backend.generate(PROMPTS[:1], SETTINGS)
    assert backend.generate(PROMPTS[:1], SamplingSettings(n=2, temperature=0.9, max_tokens=16, seed=4)) != base
    assert backend.generate(PROMPTS[:1], SamplingSettings(n=2, temperature=1.1, max_tokens=16, seed=3)) != base


def test_prompt_longer_than_the_model_is_a_clear_error(backend):
    with pytest.raises(
        GenerationError, match=r"prompt 0 has \d+ tokens, plus max_tokens 500 exceeds its 512 positions"
    ):
        backend.generate(PROMPTS[:1], SamplingSettings(n=1, max_tokens=500))


def test_sampler_draws_within_top_p_with_the_right_frequencies():
    scores = torch.log(torch.tensor([[0.6, 0.3, 0.1, 0.0], [0.6, 0.3, 0.1, 0.0]]) + 1e-12)
    counts = torch.zeros(4)
    for seed in range(900):
        sampler = SeededSampler([seed, seed], temperature=1.0, top_p=0.8, device=torch.device("cpu"))
        allowed = sampler(torch.zeros((2, 1), dtype=torch.long), scores.clone())
        assert (allowed == 0).sum(-1).tolist() == [1, 1], "exactly one token left per row"
        chosen = allowed.argmax(-1)
        assert chosen[0] == chosen[1], "the same seed draws the same token whatever the row"
        counts[chosen[0]] += 1
    assert counts[2:].sum() == 0, "top_p 0.8 keeps only the two most likely tokens"
    assert counts[0] / 900 == pytest.approx(0.6 / 0.9, abs=0.05)
