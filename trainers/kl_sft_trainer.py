"""`KLSFTTrainer`: TRL's `SFTTrainer` whose loss adds `kl_beta` × KL(policy ‖ reference) on the completion tokens.

The reference is the same network with its LoRA adapter disabled, so no second copy of the model is held. The only
override is `compute_loss`; everything else (data preparation, assistant-only masks, logging) is `SFTTrainer`'s.

Why the loss is computed here and not by TRL's fused LM head: the KL needs the whole next-token distribution of both
the policy and the reference, and the cross-entropy needs the policy's. `ce_kl_per_token` projects the last hidden
states of both through the (frozen) LM head once, `kl_chunk_size` tokens at a time, and returns per-token
cross-entropy and KL; their gradient is formed on each chunk in the forward pass, so the `[tokens, vocab]` logits
never exist in full and are never recomputed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from peft import PeftModel
from trl import SFTTrainer
from trl.models.utils import disable_gradient_checkpointing

from saga.trainers.kl_sft_config import KLSFTConfig


class _ChunkedCEKL(torch.autograd.Function):
    """Per-token `ce + beta · kl` from policy and reference hidden states and a frozen LM head, in token chunks.

    Forward returns `(loss, ce, kl, entropy, is_top1)` per token; only `loss` is differentiable. The gradient of
    `loss` with respect to the policy hidden states is formed chunk by chunk during the forward pass (`dL/dz` is
    `softmax(z) − onehot(y)` for the cross-entropy and `p ⊙ (log p − log q − KL)` for the KL) and scaled by the
    incoming per-token gradient in `backward`.
    """

    @staticmethod
    def forward(ctx, hidden, ref_hidden, weight, targets, beta, chunk_size):
        ctx.set_materialize_grads(False)
        needs_grad = ctx.needs_input_grad[0]
        n_tokens = hidden.shape[0]
        stats = torch.empty((5, n_tokens), device=hidden.device, dtype=torch.float32)
        grad_hidden = torch.empty(hidden.shape, device=hidden.device, dtype=torch.float32) if needs_grad else None
        for start in range(0, n_tokens, chunk_size):
            end = min(start + chunk_size, n_tokens)
            log_p = torch.log_softmax(torch.mm(hidden[start:end].to(weight.dtype), weight.t()).float(), dim=-1)
            log_q = torch.log_softmax(torch.mm(ref_hidden[start:end].to(weight.dtype), weight.t()).float(), dim=-1)
            chunk_targets = targets[start:end, None]
            p = log_p.exp()
            log_ratio = log_p - log_q
            kl = (p * log_ratio).sum(-1)
            ce = -log_p.gather(-1, chunk_targets).squeeze(-1)
            stats[0, start:end] = ce + beta * kl
            stats[1, start:end] = ce
            stats[2, start:end] = kl
            stats[3, start:end] = -(p * log_p).sum(-1)
            stats[4, start:end] = (log_p.argmax(-1) == targets[start:end]).float()
            if needs_grad:
                grad_logits = p.scatter_add(-1, chunk_targets, -torch.ones_like(chunk_targets, dtype=p.dtype))
                grad_logits += beta * p * (log_ratio - kl[:, None])
                grad_hidden[start:end] = torch.mm(grad_logits.to(weight.dtype), weight).float()
        ctx.save_for_backward(grad_hidden)
        ctx.hidden_dtype = hidden.dtype
        loss, ce, kl, entropy, is_top1 = stats.unbind(0)
        ctx.mark_non_differentiable(ce, kl, entropy, is_top1)
        return loss, ce, kl, entropy, is_top1

    @staticmethod
    def backward(ctx, grad_loss, *_):
        (grad_hidden,) = ctx.saved_tensors
        if grad_loss is None or grad_hidden is None:
            return (None,) * 6
        return (grad_hidden * grad_loss[:, None]).to(ctx.hidden_dtype), None, None, None, None, None


def ce_kl_per_token(
    hidden: torch.Tensor,
    ref_hidden: torch.Tensor,
    weight: torch.Tensor,
    targets: torch.Tensor,
    beta: float,
    chunk_size: int,
) -> tuple[torch.Tensor, ...]:
    """Per-token `ce + beta · KL(p ‖ q)`, `ce`, `KL`, policy entropy and top-1 hits, chunked over tokens.

    Args:
        hidden (`torch.Tensor`): policy hidden states of the scored positions, `[N, H]` (requires grad to train).
        ref_hidden (`torch.Tensor`): reference hidden states of the same positions, `[N, H]` (no grad).
        weight (`torch.Tensor`): the frozen LM head weight, `[V, H]`.
        targets (`torch.Tensor`): next-token ids, `[N]`.
        beta (`float`): weight of the KL term.
        chunk_size (`int`): tokens whose `[chunk, V]` logits are materialised at once.

    Returns:
        `tuple[torch.Tensor, ...]`: `(loss, ce, kl, entropy, is_top1)`, each `[N]` float32; only `loss` has a
        gradient (to `hidden`).

    Raises:
        `ValueError`: if `weight` requires grad (the fused gradient assumes a frozen LM head).
    """
    if weight.requires_grad:
        raise ValueError(
            "ce_kl_per_token needs a frozen LM head; do not train lm_head (LoRA targets, modules_to_save)"
        )
    return _ChunkedCEKL.apply(hidden, ref_hidden.detach(), weight, targets, beta, chunk_size)


class KLSFTTrainer(SFTTrainer):
    """SFT with a KL(policy ‖ reference) penalty on the completion tokens; the reference is the adapter disabled.

    Loss per micro-batch: `(Σ ce_t + kl_beta · Σ KL_t) / n`, summed over the completion tokens `t` (the positions
    whose label is not -100: the assistant turn with `assistant_only_loss`), `n` being their count over the whole
    gradient-accumulation step, exactly as `SFTTrainer` normalises its cross-entropy. `ce` and `kl` (per-token
    means, nats) are logged beside `loss`, so `loss ≈ ce + kl_beta · kl`. With `kl_beta=0` the trainer is
    `SFTTrainer`: `compute_loss` defers to it and runs no reference pass.

    Args:
        model (`str`, [`~transformers.PreTrainedModel`]): the base model; a LoRA adapter is added from `peft_config`
            (or from the config's `lora_*` fields when `peft_config` is `None`).
        args ([`KLSFTConfig`]): the configuration.
        **kwargs: passed on to [`~trl.SFTTrainer`] (`train_dataset`, `processing_class`, ...).

    Example:
        ```python
        >>> trainer = KLSFTTrainer(
        ...     model="assets/tiny_nb_mistral",
        ...     args=KLSFTConfig(output_dir="runs/sft", max_steps=5, use_cpu=True),
        ...     train_dataset=splits["train"],
        ... )  # doctest: +SKIP
        >>> trainer.train()  # doctest: +SKIP
        ```
    """

    _tag_names = ["trl", "sft", "saga", "kl-sft"]
    _name = "KL-SFT"

    def __init__(self, model, args: KLSFTConfig, peft_config=None, **kwargs):
        if not isinstance(args, KLSFTConfig):
            raise TypeError(f"KLSFTTrainer needs a KLSFTConfig, got {type(args).__name__}")
        super().__init__(model, args=args, peft_config=peft_config or args.lora_config(), **kwargs)
        if not isinstance(self.model, PeftModel):
            raise ValueError("KLSFTTrainer needs a LoRA adapter: its reference is the model with the adapter disabled")
        head = self.model.get_output_embeddings()
        if head is None or head.weight.requires_grad:
            raise ValueError("KLSFTTrainer needs a frozen LM head; remove lm_head from the trainable modules")

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if self.args.kl_beta == 0.0:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        if return_outputs:
            raise ValueError("KLSFTTrainer does not return logits: keep `prediction_loss_only` and no compute_metrics")
        mode = "train" if self.model.training else "eval"
        model_inputs = {key: value for key, value in inputs.items() if key != "labels"}
        model_inputs.update(use_cache=False, output_hidden_states=True, logits_to_keep=1)
        hidden = model(**model_inputs).hidden_states[-1][:, :-1]
        with torch.no_grad(), self._reference_context():
            ref_hidden = model(**model_inputs).hidden_states[-1][:, :-1]
        labels = inputs["labels"][:, 1:]
        mask = labels != -100
        head = self.accelerator.unwrap_model(model).get_output_embeddings()
        loss_t, ce_t, kl_t, entropy_t, top1_t = ce_kl_per_token(
            hidden[mask], ref_hidden[mask], head.weight, labels[mask], self.args.kl_beta, self.args.kl_chunk_size
        )
        # Normalised as in `SFTTrainer.compute_loss`: by the tokens of the whole accumulation step when known, and
        # scaled back up for DDP's gradient averaging.
        num_tokens = mask.sum() if num_items_in_batch is None else num_items_in_batch
        loss = loss_t.sum() / torch.as_tensor(num_tokens).clamp(min=1)
        if self.args.average_tokens_across_devices and num_items_in_batch is not None:
            loss = loss * (self.accelerator.num_processes // self.get_tp_size())
        self._log_token_metrics(mode, mask, inputs, ce=ce_t, kl=kl_t, entropy=entropy_t, mean_token_accuracy=top1_t)
        return loss

    @contextlib.contextmanager
    def _reference_context(self) -> Iterator[None]:
        """The reference: the adapter disabled, and no gradient checkpointing for a forward without gradients."""
        unwrapped = self.accelerator.unwrap_model(self.model)
        with (
            disable_gradient_checkpointing(self.model, self.args.gradient_checkpointing_kwargs),
            unwrapped.disable_adapter(),
        ):
            yield

    def _log_token_metrics(self, mode: str, mask: torch.Tensor, inputs: dict, **per_token: torch.Tensor) -> None:
        """Append per-token means (over all processes) to `self._metrics`; `SFTTrainer.log` averages and clears."""
        count = self.accelerator.gather_for_metrics(mask.sum()).sum()
        for name, values in per_token.items():
            total = self.accelerator.gather_for_metrics(values.detach().sum()).sum()
            self._metrics[mode][name].append((total / count).item() if count > 0 else 0.0)
        if mode == "train" and "attention_mask" in inputs:
            self._total_train_tokens += (
                self.accelerator.gather_for_metrics(inputs["attention_mask"].sum()).sum().item()
            )
        self._metrics[mode]["num_tokens"] = [self._total_train_tokens]
