"""`LoRADPOConfig`: TRL's `DPOConfig` plus the LoRA adapter that DPO trains on the merged SFT checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from trl import DPOConfig

from saga.trainers.lora_config import LoRAFields


@dataclass
class LoRADPOConfig(DPOConfig, LoRAFields):
    r"""
    Configuration class for the [`LoRADPOTrainer`].

    DPO's reference is the policy's own starting point: the merged SFT checkpoint, reached by disabling the adapter
    (or, with `precompute_ref_log_probs`, read from log-probabilities computed once before training). `beta` (TRL's,
    default `0.1`) weighs the implicit reward. Defaults follow the seed recipe: LoRA r 16, α 32, dropout 0.05 on the
    seven projections, batch 8 × gradient accumulation 8, 2 epochs.

    Parameters:
        lora_r, lora_alpha, lora_dropout, lora_target_modules:
            The LoRA adapter ([`~trainers.lora_config.LoRAFields`]).

    > [!NOTE]
    > These parameters have default values different from [`~trl.DPOConfig`]:
    > - `per_device_train_batch_size`: `8`; `gradient_accumulation_steps`: `8`; `num_train_epochs`: `2` (the seed).
    > - `learning_rate`: `5e-6` instead of `1e-6` (a LoRA adapter, not the full model, is trained).
    > - `bf16`: `True` only when CUDA is available (TRL's default `True` fails on CPU).
    > - `save_strategy`: `"no"` (saga saves the final adapter with its card and record).

    Example:
        ```python
        >>> config = LoRADPOConfig(output_dir="runs/dpo", precompute_ref_log_probs=True, max_steps=10)
        >>> config.beta, config.lora_alpha, config.num_train_epochs
        (0.1, 32, 2.0)
        ```
    """

    # Parameters whose default values are overridden from DPOConfig
    per_device_train_batch_size: int = field(default=8, metadata={"help": "Batch size per device."})
    gradient_accumulation_steps: int = field(default=8, metadata={"help": "Micro-batches per optimiser step."})
    num_train_epochs: float = field(default=2.0, metadata={"help": "Training epochs."})
    learning_rate: float = field(default=5e-6, metadata={"help": "Peak learning rate for AdamW."})
    save_strategy: str = field(
        default="no", metadata={"help": "Checkpoint strategy; saga saves the final adapter itself."}
    )

    def __post_init__(self):
        self.check_lora()
        if self.bf16 is None:
            self.bf16 = not self.fp16 and torch.cuda.is_available()
        super().__post_init__()
