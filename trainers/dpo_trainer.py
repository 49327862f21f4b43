"""`LoRADPOTrainer`: TRL's `DPOTrainer` training a LoRA adapter on the merged SFT checkpoint.

Nothing in the DPO objective changes; what this class fixes is the setup the seed got wrong in its card: the model
it is given is the merged SFT checkpoint (`saga merge`), the adapter is created from the config's `lora_*` fields,
and the reference is that same checkpoint (the adapter disabled), so the adapter applies to the merged checkpoint
and nothing else. Rewards accuracy and margins are TRL's `rewards/accuracies` and `rewards/margins` metrics.
"""

from __future__ import annotations

from trl import DPOTrainer

from saga.trainers.dpo_config import LoRADPOConfig


class LoRADPOTrainer(DPOTrainer):
    """DPO with a fresh LoRA adapter on the merged SFT checkpoint; the reference is the adapter disabled.

    Args:
        model (`str` or [`~transformers.PreTrainedModel`]): the merged SFT checkpoint (not a `PeftModel`).
        args ([`LoRADPOConfig`]): the configuration.
        peft_config ([`~peft.LoraConfig`], *optional*): defaults to the adapter the config's `lora_*` fields describe.
        **kwargs: passed on to [`~trl.DPOTrainer`] (`train_dataset` with `prompt`/`chosen`/`rejected`,
            `processing_class`, ...).

    Example:
        ```python
        >>> trainer = LoRADPOTrainer(
        ...     model="runs/sft-merged",
        ...     args=LoRADPOConfig(output_dir="runs/dpo", max_steps=5, use_cpu=True),
        ...     train_dataset=pairs["train"],
        ... )  # doctest: +SKIP
        >>> trainer.train()  # doctest: +SKIP
        ```
    """

    _tag_names = ["trl", "dpo", "saga"]
    _name = "DPO (LoRA on the merged SFT checkpoint)"

    def __init__(self, model, args: LoRADPOConfig, peft_config=None, **kwargs):
        if not isinstance(args, LoRADPOConfig):
            raise TypeError(f"LoRADPOTrainer needs a LoRADPOConfig, got {type(args).__name__}")
        super().__init__(model, args=args, peft_config=peft_config or args.lora_config(), **kwargs)
