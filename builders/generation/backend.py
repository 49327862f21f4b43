"""The one interface every generation backend implements, and how a config names the backend it wants.

Two backends: `transformers` (`model.generate`, CPU or GPU, the reference path and the one tests run) and `vllm`
(`LLM.chat`, GPU throughput, optional: `pip install 'saga[gpu]'`). Both take chat prompts, render them with the
model's chat template (generation prompt appended) and return `n` completions per prompt, in prompt order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from saga.builders.generation.errors import GenerationError
from saga.builders.generation.sampling import SamplingSettings

if TYPE_CHECKING:
    from saga.models import ModelInput

BACKENDS = ("transformers", "vllm")


class GenerationBackend(Protocol):
    """Generates completions for chat prompts.

    Attributes:
        name (`str`): the backend's name as configs spell it (`"transformers"`, `"vllm"`).
    """

    name: str

    def generate(self, prompts: list[list[dict]], settings: SamplingSettings) -> list[list[str]]:
        """`settings.n` completions (assistant text only) for each prompt, in prompt order.

        Each prompt is sampled with `request_seed(settings.seed, prompt, settings.temperature)`, so the result for
        one prompt does not depend on the other prompts of the call.

        Args:
            prompts (`list[list[dict]]`): chat messages (`role`, `content`) ending with a user turn.
            settings (`SamplingSettings`): the sampling parameters, shared by every prompt of the call.
        """
        ...


def load_backend(
    name: str,
    model: ModelInput,
    adapter: ModelInput | None = None,
    device: str = "auto",
    batch_size: int = 32,
    threads: int | None = None,
    vllm_options: dict | None = None,
) -> GenerationBackend:
    """Load the named backend with the model (and optional LoRA adapter) at their resolved revisions.

    The backend modules are imported here, not at the top: `transformers` costs seconds to import and `vllm` may be
    absent, and neither is needed to build the other datasets.

    Args:
        name (`str`): one of `BACKENDS`.
        model (`ModelInput`): the resolved policy model (see `saga.models.resolve_model`).
        adapter (`ModelInput`, *optional*): a resolved LoRA adapter applied on top of `model`.
        device (`str`, defaults to `"auto"`): transformers only: `"auto"` (CUDA when available), `"cpu"`, `"cuda"`.
        batch_size (`int`, defaults to 32): transformers only: sequences per `generate` call.
        threads (`int`, *optional*): transformers only: torch CPU threads (`None`: torch's default).
        vllm_options (`dict`, *optional*): vLLM only: extra `vllm.LLM` arguments (`gpu_memory_utilization`, ...).

    Raises:
        [`GenerationError`]: for an unknown backend name; [`BackendNotInstalledError`] when vLLM is missing.
    """
    if name == "transformers":
        from saga.builders.generation.transformers_backend import TransformersBackend

        return TransformersBackend(model, adapter=adapter, device=device, batch_size=batch_size, threads=threads)
    if name == "vllm":
        from saga.builders.generation.vllm_backend import VLLMBackend

        return VLLMBackend(model, adapter=adapter, llm_options=vllm_options)
    raise GenerationError(f"unknown generation backend {name!r}", hint=f"use one of {', '.join(BACKENDS)}")
