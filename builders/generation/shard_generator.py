"""One generation shard's completions, the same in this process and in a Ray actor.

`ShardGenerator` holds the backend (loaded on first use) and turns a shard's prompt rows into completion rows,
ordered by prompt, temperature and sample; `GenerateActor` is the Ray Data wrapper around one
(`saga.builders.executor`). Request seeds come from each prompt and temperature (`request_seeds`), never from the
worker, so a shard's rows depend only on its prompts, the config and the model.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from saga.builders.generation.backend import GenerationBackend, load_backend
from saga.builders.generation.errors import GenerationError
from saga.builders.generation.sampling import SamplingSettings, request_seeds

if TYPE_CHECKING:
    from saga.builders.completions import CompletionsConfig
    from saga.models import ModelInput


class ShardGenerator:
    """Generates the completions of shards of prompts with one backend.

    Args:
        config (`CompletionsConfig`): backend, sampling grid and batch settings.
        model (`ModelInput`): the resolved policy.
        adapter (`ModelInput`, *optional*): the resolved LoRA adapter.
    """

    def __init__(self, config: CompletionsConfig, model: ModelInput, adapter: ModelInput | None):
        self.config = config
        self.model = model
        self.adapter = adapter
        self._backend: GenerationBackend | None = None

    def __call__(self, rows: list[dict]) -> list[dict]:
        """Every completion of a shard's prompt rows, ordered by prompt, temperature, sample."""
        cfg = self.config
        if self._backend is None:
            self._backend = load_backend(
                cfg.backend, self.model, self.adapter, cfg.device, cfg.batch_size, cfg.threads, cfg.vllm_options
            )
        prompts = [row["prompt"] for row in rows]
        by_prompt: list[list[dict]] = [[] for _ in rows]
        for temperature in cfg.temperatures:
            settings = cfg.sampling(temperature)
            outputs = self._backend.generate(prompts, settings)
            if len(outputs) != len(rows) or any(len(texts) != cfg.n_samples for texts in outputs):
                raise GenerationError(
                    f"backend {cfg.backend} returned {[len(t) for t in outputs]} completions for {len(rows)} prompts; "
                    f"expected {cfg.n_samples} each"
                )
            for slot, row, seed, texts in zip(by_prompt, rows, request_seeds(prompts, settings), outputs, strict=True):
                slot.extend(self._row(row, text, settings, seed, sample_idx) for sample_idx, text in enumerate(texts))
        return [row for slot in by_prompt for row in slot]

    def _row(self, prompt: dict, text: str, settings: SamplingSettings, seed: int, sample_idx: int) -> dict:
        return {
            "prompt_id": prompt["prompt_id"],
            "prompt": prompt["prompt"],
            "kind": prompt["kind"],
            "article_id": prompt["article_id"],
            "completion": text,
            "temperature": settings.temperature,
            "sample_idx": sample_idx,
            "seed": seed,
            "n_samples": settings.n,
            "top_p": settings.top_p,
            "max_tokens": settings.max_tokens,
            "repetition_penalty": settings.repetition_penalty,
            "model": self.model.pinned_ref(),
            "model_revision": self.model.revision,
            "adapter": self.adapter.pinned_ref() if self.adapter else None,
            "adapter_revision": self.adapter.revision if self.adapter else None,
            "backend": self.config.backend,
        }


class GenerateActor:
    """A Ray actor: one `ShardGenerator` (one model load), then shard after shard.

    Args:
        config (`CompletionsConfig`), model (`ModelInput`), adapter (`ModelInput`, *optional*): as `ShardGenerator`.
    """

    def __init__(self, config: CompletionsConfig, model: ModelInput, adapter: ModelInput | None):
        self.generate = ShardGenerator(config, model, adapter)

    def __call__(self, batch: dict) -> dict:
        """A batch of shards (`index`, `rows`: JSON prompt rows) → `index`, `rows` (JSON completion rows)."""
        done = [json.dumps(self.generate(json.loads(rows)), ensure_ascii=False) for rows in batch["rows"]]
        return {"index": batch["index"], "rows": done}
