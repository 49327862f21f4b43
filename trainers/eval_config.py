"""`EvalConfig`: what `saga.trainers.evaluation` completes and measures (light: no torch, so the CLI can build
flags)."""

from __future__ import annotations

from dataclasses import dataclass, field

from saga.builders.generation.backend import BACKENDS
from saga.builders.generation.sampling import SAGA_REPETITION_PENALTY, SamplingSettings


@dataclass
class EvalConfig:
    """How models are evaluated: which held-out prompts, how completions are sampled, which texts perplexity reads.

    Args:
        split (`str`, defaults to `"test"`): the prompts split to complete (prompts no training stage saw).
        max_prompts (`int`, *optional*): at most this many prompts, in dataset order.
        n_samples (`int`, defaults to 4): completions per prompt.
        temperature (`float`, defaults to 0.7): sampling temperature.
        top_p (`float`, defaults to 0.95): nucleus sampling mass.
        max_tokens (`int`, defaults to 64): the most new tokens per completion.
        repetition_penalty (`float`, defaults to 1.3): as the SAGA cards generate.
        seed (`int`, defaults to 42): base seed of the per-prompt sampling seeds (the same for every model).
        backend (`str`, defaults to `"transformers"`): generation backend, `"transformers"` or `"vllm"`.
        batch_size (`int`, defaults to 32): transformers: sequences per `generate` call and per perplexity batch.
        device (`str`, defaults to `"auto"`): transformers: `"auto"`, `"cpu"` or `"cuda"`.
        threads (`int`, *optional*): torch CPU threads (`None`: torch's default).
        vllm_options (`dict`, *optional*): vLLM: more `vllm.LLM` arguments.
        heldout_split (`str`, defaults to `"validation"`): the split of the held-out text dataset perplexity reads.
        max_heldout (`int`, *optional*, defaults to 256): at most this many held-out texts.

    Example:
        ```python
        >>> EvalConfig(n_samples=2, max_tokens=32).sampling().n
        2
        ```
    """

    split: str = "test"
    max_prompts: int | None = None
    n_samples: int = 4
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 64
    repetition_penalty: float = SAGA_REPETITION_PENALTY
    seed: int = 42
    backend: str = "transformers"
    batch_size: int = 32
    device: str = "auto"
    threads: int | None = None
    vllm_options: dict = field(default_factory=dict)
    heldout_split: str = "validation"
    max_heldout: int | None = 256

    def __post_init__(self):
        problems = []
        if self.backend not in BACKENDS:
            problems.append(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        for name in ("max_prompts", "max_heldout", "threads"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                problems.append(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.batch_size < 1:
            problems.append(f"batch_size must be >= 1, got {self.batch_size}")
        if problems:
            raise ValueError("; ".join(problems))
        self.sampling()  # raises ValueError naming a bad n_samples, temperature, ...

    def sampling(self) -> SamplingSettings:
        """The sampling settings every model completes the prompts with."""
        return SamplingSettings(
            n=self.n_samples,
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            repetition_penalty=self.repetition_penalty,
            seed=self.seed,
        )
