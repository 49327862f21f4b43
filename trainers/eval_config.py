"""`EvalConfig`: what `saga.trainers.evaluation` completes and measures (light: no torch, so the CLI can build
flags)."""

from __future__ import annotations

from dataclasses import dataclass, field

from saga.builders.generation.backend import BACKENDS
from saga.builders.generation.sampling import SamplingFields


@dataclass
class EvalConfig(SamplingFields):
    """How models are evaluated: which held-out prompts, how completions are sampled, which texts perplexity reads.

    Args:
        split (`str`, defaults to `"test"`): the prompts split to complete (prompts no training stage saw).
        max_prompts (`int`, *optional*): at most this many prompts, in dataset order.
        temperature (`float`, defaults to 0.7): sampling temperature.
        max_tokens (`int`, defaults to 64): the most new tokens per completion (shorter than `completions`).
        n_samples, top_p, repetition_penalty, seed: the other sampling fields (`SamplingFields`: 4 completions per
            prompt, 0.95, 1.3, 42; the same seeds for every model).
        backend (`str`, defaults to `"transformers"`): generation backend, `"transformers"` or `"vllm"`.
        batch_size (`int`, defaults to 32): transformers: sequences per `generate` call and per perplexity batch.
        device (`str`, defaults to `"auto"`): transformers: `"auto"`, `"cpu"` or `"cuda"`.
        threads (`int`, *optional*): torch CPU threads (`None`: torch's default).
        vllm_options (`dict`, *optional*): vLLM: more `vllm.LLM` arguments.
        heldout_split (`str`, defaults to `"validation"`): the split of the held-out text dataset perplexity reads.
        max_heldout (`int`, *optional*, defaults to 256): at most this many held-out texts.

    Example:
        ```python
        >>> config = EvalConfig(n_samples=2, max_tokens=32)
        >>> config.sampling(config.temperature).n
        2
        ```
    """

    split: str = "test"
    max_prompts: int | None = None
    temperature: float = 0.7
    max_tokens: int = 64
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
        self.sampling(self.temperature)  # raises ValueError naming a bad n_samples, temperature, ...
