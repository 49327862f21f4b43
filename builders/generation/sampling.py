"""What one generation call samples with, and the seeds that make each completion reproducible.

Seeds are derived, never drawn: a request (one prompt at one temperature) gets `request_seed(seed, prompt,
temperature)` from a hash of the base seed, the prompt's messages and the temperature, and sample `i` of it gets
`sample_seed(request_seed, i)`. A completion therefore depends on what it is a completion *of*, not on which other
prompts shared its batch, its shard, or its position in the dataset.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

# The SAGA model cards generate with repetition_penalty 1.3: without it, the policy learns that repeating a safe,
# grammatical phrase scores well (reward hacking on the grammar scorer).
SAGA_REPETITION_PENALTY = 1.3
SEED_BITS = 63  # fits an int64 column, `torch.Generator.manual_seed` and vLLM's `seed`


@dataclass(frozen=True)
class SamplingSettings:
    """Sampling parameters of one generation call, identical for every prompt in it.

    Args:
        n (`int`, defaults to 4): completions per prompt.
        temperature (`float`, defaults to 0.9): softmax temperature; must be > 0 (this stage samples, it never
            decodes greedily).
        top_p (`float`, defaults to 0.95): nucleus sampling mass in (0, 1].
        max_tokens (`int`, defaults to 128): the most new tokens per completion.
        repetition_penalty (`float`, defaults to 1.3): CTRL-style penalty on tokens already in prompt or
            completion (1.0 = off); the SAGA cards' value.
        seed (`int`, defaults to 42): the base seed every request seed is derived from.

    Example:
        ```python
        >>> settings = SamplingSettings(n=2, temperature=0.7)
        >>> request_seeds([[{"role": "user", "content": "Hei"}]], settings) == request_seeds(
        ...     [[{"role": "user", "content": "Hei"}]], settings)
        True
        ```
    """

    n: int = 4
    temperature: float = 0.9
    top_p: float = 0.95
    max_tokens: int = 128
    repetition_penalty: float = SAGA_REPETITION_PENALTY
    seed: int = 42

    def __post_init__(self):
        problems = []
        if self.n < 1:
            problems.append(f"n must be >= 1, got {self.n}")
        if not self.temperature > 0:
            problems.append(f"temperature must be > 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            problems.append(f"top_p must be in (0, 1], got {self.top_p}")
        if self.max_tokens < 1:
            problems.append(f"max_tokens must be >= 1, got {self.max_tokens}")
        if not self.repetition_penalty > 0:
            problems.append(f"repetition_penalty must be > 0, got {self.repetition_penalty}")
        if self.seed < 0:
            problems.append(f"seed must be >= 0, got {self.seed}")
        if problems:
            raise ValueError("; ".join(problems))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SamplingFields:
    """The sampling fields of every config that generates (`CompletionsConfig`, `EvalConfig`), declared once; a
    config picks the temperature (a grid, or one) and turns them into one call's `SamplingSettings`.

    Args:
        n_samples (`int`, defaults to 4): completions per prompt (and temperature).
        top_p (`float`, defaults to 0.95): nucleus sampling mass.
        max_tokens (`int`, defaults to 128): the most new tokens per completion.
        repetition_penalty (`float`, defaults to 1.3): the SAGA cards' penalty against repetitive reward hacking.
        seed (`int`, defaults to 42): base seed; each (prompt, temperature) request seed is derived from it.
    """

    n_samples: int = 4
    top_p: float = 0.95
    max_tokens: int = 128
    repetition_penalty: float = SAGA_REPETITION_PENALTY
    seed: int = 42

    def sampling(self, temperature: float) -> SamplingSettings:
        """The `SamplingSettings` of one generation call at `temperature`.

        Raises:
            `ValueError`: naming a bad `n_samples`, `top_p`, `max_tokens`, `repetition_penalty`, `seed` or
                temperature.
        """
        return SamplingSettings(
            n=self.n_samples,
            temperature=temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            repetition_penalty=self.repetition_penalty,
            seed=self.seed,
        )


def _derive(*parts: object) -> int:
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def request_seed(seed: int, prompt: list[dict], temperature: float) -> int:
    """The seed of one request: one prompt sampled `n` times at one temperature.

    Args:
        seed (`int`): the base seed (`SamplingSettings.seed`).
        prompt (`list[dict]`): the chat messages (`role`, `content`).
        temperature (`float`): the sampling temperature.
    """
    messages = [{"role": m["role"], "content": m["content"]} for m in prompt]
    return _derive("request", seed, messages, float(temperature))


def request_seeds(prompts: list[list[dict]], settings: SamplingSettings) -> list[int]:
    """`request_seed` of every prompt under `settings` (what the builder records in the `seed` column).

    Args:
        prompts (`list[list[dict]]`): chat prompts.
        settings (`SamplingSettings`): supplies the base seed and the temperature.
    """
    return [request_seed(settings.seed, prompt, settings.temperature) for prompt in prompts]


def sample_seed(request: int, sample_idx: int) -> int:
    """The seed of sample `sample_idx` of a request (backends that sample each completion on its own generator).

    Args:
        request (`int`): the request seed.
        sample_idx (`int`): 0-based sample index.
    """
    return _derive("sample", request, sample_idx)
