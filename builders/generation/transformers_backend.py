"""The transformers backend: `model.generate` in batches, every completion sampled from its own seeded generator.

`generate` draws from one global RNG, so a completion would depend on which rows shared its batch. Here generation
runs greedily over scores that `SeededSampler` has already reduced to one sampled token per row: the sampler applies
temperature and top-p (transformers' `TopPLogitsWarper`) and draws by inverse CDF from a `torch.Generator` seeded by
`sample_seed(request_seed, i)`. The repetition penalty is transformers' own processor, which `generate`
applies before any custom processor. Everything else (KV cache, padding, stopping at EOS) is `generate`'s.

On CPU in float32 the same seed and settings give the same completions; on GPU the model runs in bfloat16 and
kernels are not bit-reproducible, so completions may differ between runs.
"""

from __future__ import annotations

import logging

import torch
from transformers import GenerationConfig, LogitsProcessor, LogitsProcessorList, TopPLogitsWarper

from saga.builders.generation.errors import GenerationError
from saga.builders.generation.sampling import SamplingSettings, request_seeds, sample_seed
from saga.models import ModelInput, load_model_and_tokenizer
from saga.threads import torch_threads

logger = logging.getLogger(__name__)


class SeededSampler(LogitsProcessor):
    """Sample one token per row from that row's own generator; return scores that only allow that token.

    Args:
        seeds (`list[int]`): one seed per batch row.
        temperature (`float`): softmax temperature (> 0).
        top_p (`float`): nucleus mass; 1.0 disables it.
        device (`torch.device`): where the scores live (the generators must be on the same device).
    """

    def __init__(self, seeds: list[int], temperature: float, top_p: float, device: torch.device):
        self.generators = [torch.Generator(device=device).manual_seed(seed) for seed in seeds]
        self.temperature = temperature
        self.top_p = TopPLogitsWarper(top_p) if top_p < 1.0 else None

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        scores = scores.float() / self.temperature
        if self.top_p is not None:
            scores = self.top_p(input_ids, scores)
        # Inverse-CDF sampling: one uniform draw per row from its own generator, then one vectorised search.
        # `right=True` never lands on a zero-probability token (top-p removed ones); `torch.multinomial` row by
        # row would do the same draw about 25× slower on an 8000-token vocabulary.
        cdf = torch.softmax(scores, dim=-1).cumsum(dim=-1)
        uniform = torch.cat([torch.rand(1, generator=g, device=cdf.device) for g in self.generators])
        targets = (uniform * cdf[:, -1]).unsqueeze(1)
        tokens = torch.searchsorted(cdf, targets, right=True).clamp_max(cdf.shape[-1] - 1)
        chosen = torch.full_like(scores, float("-inf"))
        return chosen.scatter_(1, tokens, 0.0)


class TransformersBackend:
    """Generation with transformers on CPU or GPU.

    Args:
        model (`ModelInput`): the resolved policy model.
        adapter (`ModelInput`, *optional*): a LoRA adapter (PEFT) merged into the model after loading.
        device (`str`, defaults to `"auto"`): `"auto"` (CUDA when available), `"cpu"` or `"cuda"`.
        batch_size (`int`, defaults to 32): sequences (prompt × sample) per `generate` call.
        threads (`int`, *optional*): torch CPU threads while generating (restored afterwards); `None` keeps
            torch's setting. On a busy machine one thread can be many times faster than contended threads.

    Example:
        ```python
        >>> from saga.models import resolve_model
        >>> backend = TransformersBackend(resolve_model("tiny_nb_mistral"), device="cpu", threads=1)
        >>> [len(samples) for samples in backend.generate(
        ...     [[{"role": "user", "content": "Skriv en setning om Bergen."}]], SamplingSettings(n=2, max_tokens=8)
        ... )]
        [2]
        ```
    """

    name = "transformers"

    def __init__(
        self,
        model: ModelInput,
        adapter: ModelInput | None = None,
        device: str = "auto",
        batch_size: int = 32,
        threads: int | None = None,
    ):
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        self.batch_size = batch_size
        self.threads = threads
        self.model, self.tokenizer = load_model_and_tokenizer(model, bf16=self.device.type == "cuda")
        if adapter is not None:
            from peft import PeftModel  # only adapter runs need peft

            peft_model = PeftModel.from_pretrained(self.model, adapter.location, **adapter.from_pretrained_kwargs())
            self.model = peft_model.merge_and_unload()
        self.model.to(self.device).eval()
        if self.tokenizer.chat_template is None:
            raise GenerationError(f"model {model.ref} has no chat template", hint="use a chat (instruction) model")
        self.tokenizer.padding_side = "left"  # decoder-only: new tokens must follow every prompt directly
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.max_positions = getattr(self.model.config, "max_position_embeddings", None)
        self.ref = model.ref

    def generate(self, prompts: list[list[dict]], settings: SamplingSettings) -> list[list[str]]:
        """See `GenerationBackend.generate`; rows are batched longest prompt first to waste little padding.

        Raises:
            [`GenerationError`]: a prompt plus `max_tokens` exceeds the model's positions.
        """
        with torch_threads(self.threads):
            return self._generate(prompts, settings)

    def _generate(self, prompts: list[list[dict]], settings: SamplingSettings) -> list[list[str]]:
        texts = [self.tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
        lengths = [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]
        self._check_lengths(lengths, settings.max_tokens)
        seeds = request_seeds(prompts, settings)
        rows = sorted(((p, s) for p in range(len(prompts)) for s in range(settings.n)), key=lambda r: -lengths[r[0]])
        config = GenerationConfig(
            do_sample=False,  # the sampling happens in SeededSampler; greedy then takes its token
            max_new_tokens=settings.max_tokens,
            repetition_penalty=settings.repetition_penalty,
            eos_token_id=self.tokenizer.eos_token_id,
            pad_token_id=self.tokenizer.pad_token_id,
            bos_token_id=self.tokenizer.bos_token_id,
        )
        results: list[list[str | None]] = [[None] * settings.n for _ in prompts]
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            encoded = self.tokenizer(
                [texts[p] for p, _ in batch], add_special_tokens=False, padding=True, return_tensors="pt"
            ).to(self.device)
            sampler = SeededSampler(
                [sample_seed(seeds[p], s) for p, s in batch], settings.temperature, settings.top_p, self.device
            )
            with torch.inference_mode():
                output = self.model.generate(
                    **encoded, generation_config=config, logits_processor=LogitsProcessorList([sampler])
                )
            new_tokens = output[:, encoded["input_ids"].shape[1] :]
            for (p, s), text in zip(
                batch, self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True), strict=True
            ):
                results[p][s] = text.strip()
        return results

    def _check_lengths(self, lengths: list[int], max_tokens: int) -> None:
        if self.max_positions is None:
            return
        too_long = [(i, n) for i, n in enumerate(lengths) if n + max_tokens > self.max_positions]
        if too_long:
            index, n = too_long[0]
            raise GenerationError(
                f"{len(too_long)} prompt(s) do not fit model {self.ref}: prompt {index} has {n} tokens, plus "
                f"max_tokens {max_tokens} exceeds its {self.max_positions} positions",
                hint="lower max_tokens or shorten the prompts",
            )
