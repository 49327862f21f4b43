"""`KLSFTConfig`: TRL's `SFTConfig` plus the KL penalty and the LoRA adapter of saga's KL-regularised SFT."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from trl import SFTConfig

from saga.trainers.lora_config import LoRAFields


@dataclass
class KLSFTConfig(SFTConfig, LoRAFields):
    r"""
    Configuration class for the [`KLSFTTrainer`].

    The loss is cross-entropy on the completion (assistant) tokens plus `kl_beta` × KL(policy ‖ reference) over the
    same tokens, the reference being the base model (the LoRA adapter disabled). Defaults follow the seed recipe:
    LoRA r 16, α 32, dropout 0.05 on the seven projection matrices, batch 8 × gradient accumulation 8, 5 epochs.
    Every field can be set on the command line (`saga train sft --kl_beta 0.05`) or in a YAML config file.

    Parameters:
        kl_beta (`float`, *optional*, defaults to `0.1`):
            Weight of the KL(policy ‖ reference) term. `0.0` is plain SFT: the trainer then runs exactly
            [`~trl.SFTTrainer.compute_loss`], with no reference forward pass.
        kl_chunk_size (`int`, *optional*, defaults to `1024`):
            Completion tokens whose full-vocabulary logits (policy and reference, float32) are held in memory at once
            while computing the loss. Peak extra memory is about `6 × kl_chunk_size × vocab_size × 4` bytes
            (≈ 0.8 GB for a 32k vocabulary at the default), independent of batch size and sequence length.
        lora_r, lora_alpha, lora_dropout, lora_target_modules:
            The LoRA adapter ([`~trainers.lora_config.LoRAFields`]).

    > [!NOTE]
    > These parameters have default values different from [`~trl.SFTConfig`]:
    > - `per_device_train_batch_size`: `8`; `gradient_accumulation_steps`: `8`; `num_train_epochs`: `5` (the seed).
    > - `learning_rate`: `2e-4` instead of `2e-5` (LoRA adapters train with a larger step).
    > - `assistant_only_loss`: `True` (train on the assistant turn only; needs `{% generation %}` markers).
    > - `bf16`: `True` only when CUDA is available (TRL's default `True` fails on CPU).
    > - `save_strategy`: `"no"` (saga saves the final adapter with its card and record).

    Example:
        ```python
        >>> config = KLSFTConfig(output_dir="runs/sft", kl_beta=0.05, max_steps=10)
        >>> config.kl_beta, config.lora_r, config.gradient_accumulation_steps
        (0.05, 16, 8)
        ```
    """

    kl_beta: float = field(
        default=0.1,
        metadata={"help": "Weight of KL(policy ‖ reference) over completion tokens; 0 is plain SFT."},
    )
    kl_chunk_size: int = field(
        default=1024,
        metadata={"help": "Completion tokens whose full-vocabulary logits are held at once (memory bound)."},
    )
    # Parameters whose default values are overridden from SFTConfig
    per_device_train_batch_size: int = field(default=8, metadata={"help": "Batch size per device."})
    gradient_accumulation_steps: int = field(default=8, metadata={"help": "Micro-batches per optimiser step."})
    num_train_epochs: float = field(default=5.0, metadata={"help": "Training epochs."})
    learning_rate: float = field(default=2e-4, metadata={"help": "Peak learning rate for AdamW."})
    assistant_only_loss: bool = field(
        default=True, metadata={"help": "Compute the loss (and the KL) on the assistant turn only."}
    )
    save_strategy: str = field(
        default="no", metadata={"help": "Checkpoint strategy; saga saves the final adapter itself."}
    )

    def __post_init__(self):
        if self.kl_beta < 0:
            raise ValueError(f"kl_beta must be >= 0, got {self.kl_beta}")
        if self.kl_chunk_size < 1:
            raise ValueError(f"kl_chunk_size must be >= 1, got {self.kl_chunk_size}")
        self.check_lora()
        if self.bf16 is None:
            self.bf16 = not self.fp16 and torch.cuda.is_available()
        super().__post_init__()
