"""`LoRAFields`: the LoRA adapter fields both trainers' configs share, declared once, with their checks and the
`peft.LoraConfig` they describe. `KLSFTConfig` and `LoRADPOConfig` inherit them beside TRL's config, so
`HfArgumentParser` turns them into the same flags for `saga train sft` and `saga train dpo`."""

from __future__ import annotations

from dataclasses import dataclass, field

from peft import LoraConfig

LORA_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class LoRAFields:
    r"""
    The LoRA adapter of a training run. Defaults follow the seed recipe: r 16, α 32, dropout 0.05 on the seven
    Mistral projections.

    Parameters:
        lora_r (`int`, *optional*, defaults to `16`):
            LoRA rank.
        lora_alpha (`int`, *optional*, defaults to `32`):
            LoRA scaling numerator (the update is scaled by `lora_alpha / lora_r`).
        lora_dropout (`float`, *optional*, defaults to `0.05`):
            Dropout on the LoRA input.
        lora_target_modules (`list[str]`, *optional*, defaults to the seven Mistral projections):
            Names of the linear modules that get adapters: `q_proj`, `k_proj`, `v_proj`, `o_proj`, `gate_proj`,
            `up_proj`, `down_proj`. The LM head must not be among them (the KL-SFT loss reads its weight directly).

    Example:
        ```python
        >>> LoRAFields(lora_r=8).lora_config().r
        8
        ```
    """

    lora_r: int = field(default=16, metadata={"help": "LoRA rank."})
    lora_alpha: int = field(default=32, metadata={"help": "LoRA alpha (the update is scaled by alpha / r)."})
    lora_dropout: float = field(default=0.05, metadata={"help": "Dropout on the LoRA input."})
    lora_target_modules: list[str] = field(
        default_factory=lambda: list(LORA_TARGET_MODULES),
        metadata={"help": "Linear modules that get LoRA adapters (never the LM head)."},
    )

    def check_lora(self) -> None:
        """Validate the LoRA fields (the configs call it from `__post_init__`).

        Raises:
            `ValueError`: naming the bad value.
        """
        r, alpha, dropout = self.lora_r, self.lora_alpha, self.lora_dropout
        if r < 1 or alpha <= 0 or not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"need lora_r >= 1, lora_alpha > 0 and 0 <= lora_dropout < 1, got {r}, {alpha}, {dropout}"
            )
        if not self.lora_target_modules:
            raise ValueError("lora_target_modules must name at least one module")
        if "lm_head" in self.lora_target_modules:
            raise ValueError(
                "lora_target_modules must not include lm_head: the loss reads the LM head weight directly"
            )

    def lora_config(self) -> LoraConfig:
        """The `peft.LoraConfig` these fields describe (causal LM, biases frozen)."""
        return LoraConfig(
            r=self.lora_r,
            lora_alpha=self.lora_alpha,
            lora_dropout=self.lora_dropout,
            target_modules=list(self.lora_target_modules),
            bias="none",
            task_type="CAUSAL_LM",
        )
