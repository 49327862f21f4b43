"""The vLLM backend: `LLM.chat` with one `SamplingParams` per prompt (its request seed), LoRA through `LoRARequest`.

Written against vLLM's documented offline API (`vllm.LLM`, `LLM.chat(messages, sampling_params, use_tqdm,
lora_request, add_generation_prompt)`, `SamplingParams(n, temperature, top_p, max_tokens, repetition_penalty,
seed)`, `vllm.lora.request.LoRARequest(lora_name, lora_int_id, lora_path)`). vLLM needs a CUDA GPU; saga's tests
check the requests this module builds against a stand-in `vllm` module, and it has not been run on a GPU here.
vLLM is imported when the backend is created, never at saga's import time: it is an optional dependency
(`pip install 'saga[gpu]'`).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from saga.builders.generation.errors import BackendNotInstalledError, GenerationError
from saga.builders.generation.sampling import SamplingSettings, request_seeds

if TYPE_CHECKING:
    from saga.models import ModelInput

LORA_NAME = "saga-adapter"
LORA_ID = 1  # vLLM wants a unique positive integer per adapter; one adapter per backend


def import_vllm() -> tuple[ModuleType, ModuleType]:
    """`vllm` and `vllm.lora.request`, or a clear error saying how to install them.

    Raises:
        [`BackendNotInstalledError`]: when vLLM is not installed.
    """
    try:
        return importlib.import_module("vllm"), importlib.import_module("vllm.lora.request")
    except ImportError as err:
        raise BackendNotInstalledError(
            f"the vllm generation backend needs vLLM, which is not installed ({err})",
            hint="pip install 'saga[gpu]' on a CUDA machine, or set backend: transformers",
        ) from err


def sampling_params_kwargs(settings: SamplingSettings, seed: int) -> dict:
    """The exact `vllm.SamplingParams` arguments for one request.

    Args:
        settings (`SamplingSettings`): the call's sampling settings.
        seed (`int`): the request seed (`request_seed` of the prompt).
    """
    return {
        "n": settings.n,
        "temperature": settings.temperature,
        "top_p": settings.top_p,
        "max_tokens": settings.max_tokens,
        "repetition_penalty": settings.repetition_penalty,
        "seed": seed,
    }


class VLLMBackend:
    """Generation with vLLM on a GPU.

    Args:
        model (`ModelInput`): the resolved policy model; a Hub model is loaded at its resolved commit SHA.
        adapter (`ModelInput`, *optional*): a LoRA adapter folder (or Hub adapter, downloaded at its resolved SHA)
            served with `enable_lora=True` and passed to every request as a `LoRARequest`.
        llm_options (`dict`, *optional*): more `vllm.LLM` arguments, e.g. `{"gpu_memory_utilization": 0.8,
            "max_model_len": 2048, "max_lora_rank": 16}`.

    Example:
        ```python
        >>> backend = VLLMBackend(resolve_model("my-org/nb-sft-merged@v1"))  # doctest: +SKIP
        >>> prompts = [[{"role": "user", "content": "Skriv en setning om Bergen."}]]
        >>> backend.generate(prompts, SamplingSettings(n=4))  # doctest: +SKIP
        ```
    """

    name = "vllm"

    def __init__(self, model: ModelInput, adapter: ModelInput | None = None, llm_options: dict | None = None):
        vllm, lora = import_vllm()
        self.vllm = vllm
        self.llm_kwargs = self.llm_arguments(model, adapter, llm_options)
        self.lora_request = None
        if adapter is not None:
            self.lora_request = lora.LoRARequest(LORA_NAME, LORA_ID, self.adapter_path(adapter))
        self.llm = vllm.LLM(**self.llm_kwargs)

    @staticmethod
    def llm_arguments(model: ModelInput, adapter: ModelInput | None, llm_options: dict | None) -> dict:
        """The `vllm.LLM` arguments: the model pinned to its revision, LoRA enabled when an adapter is given.

        Args:
            model (`ModelInput`): the resolved policy model.
            adapter (`ModelInput`, *optional*): the resolved adapter.
            llm_options (`dict`, *optional*): more arguments; they may not override `model` or `revision`.
        """
        options = dict(llm_options or {})
        pinned = {"model", "revision", "tokenizer_revision"} & set(options)
        if pinned:
            raise GenerationError(f"vllm_options may not set {sorted(pinned)}: the model reference pins them")
        kwargs = {"model": model.location}
        if model.kind == "hub":
            kwargs.update(revision=model.revision, tokenizer_revision=model.revision)
        if adapter is not None:
            kwargs["enable_lora"] = True
        return {**kwargs, **options}

    @staticmethod
    def adapter_path(adapter: ModelInput) -> str:
        """A local folder holding the adapter: the folder itself, or a snapshot of the Hub repository at its SHA."""
        if adapter.kind != "hub":
            return adapter.location
        from huggingface_hub import snapshot_download

        return snapshot_download(
            adapter.repo_id, revision=adapter.revision, token=adapter.from_pretrained_kwargs()["token"]
        )

    def sampling_params(self, prompts: list[list[dict]], settings: SamplingSettings) -> list:
        """One `SamplingParams` per prompt, each with that prompt's request seed."""
        return [
            self.vllm.SamplingParams(**sampling_params_kwargs(settings, seed))
            for seed in request_seeds(prompts, settings)
        ]

    def generate(self, prompts: list[list[dict]], settings: SamplingSettings) -> list[list[str]]:
        """See `GenerationBackend.generate`.

        Raises:
            [`GenerationError`]: vLLM returned a different number of outputs than prompts or samples.
        """
        outputs = self.llm.chat(
            prompts,
            sampling_params=self.sampling_params(prompts, settings),
            use_tqdm=False,
            lora_request=self.lora_request,
            add_generation_prompt=True,
        )
        if len(outputs) != len(prompts):
            raise GenerationError(f"vLLM returned {len(outputs)} outputs for {len(prompts)} prompts")
        completions = []
        for index, output in enumerate(outputs):
            texts = [sample.text.strip() for sample in output.outputs]
            if len(texts) != settings.n:
                raise GenerationError(f"vLLM returned {len(texts)} samples for prompt {index}, expected {settings.n}")
            completions.append(texts)
        return completions
