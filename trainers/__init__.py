"""Thin trainers (TRL style): one config dataclass beside one trainer each, plus the tiny Norwegian policy model.

- `kl_sft_config.KLSFTConfig` / `kl_sft_trainer.KLSFTTrainer`: SFT with a KL(policy ‖ reference) penalty, LoRA.
- `merge.merge_adapter`: fold an SFT adapter into its base, the checkpoint that generation and DPO use.
- `dpo_config.LoRADPOConfig` / `dpo_trainer.LoRADPOTrainer`: DPO with LoRA on the merged SFT checkpoint.
- `inputs` / `runs`: resolve and check references, train, write the adapter folder with card and record.
- `tiny_policy`: the bundled tiny Mistral policy (`assets/tiny_nb_mistral/`) and the command that trains it.
"""
