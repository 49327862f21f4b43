"""KL-SFT: the chunked loss is exact, kl_beta=0 is plain SFT, and the KL term is logged and grows after a step."""

from __future__ import annotations

import pytest
import torch
from trl import SFTTrainer

from saga.hub.references import load_dataset_ref
from saga.models import load_model_and_tokenizer, resolve_model
from saga.trainers.kl_sft_config import KLSFTConfig
from saga.trainers.kl_sft_trainer import KLSFTTrainer, ce_kl_per_token


@pytest.mark.parametrize("chunk_size", [1, 7, 64])
def test_chunked_ce_kl_equals_the_full_logits_computation(chunk_size):
    generator = torch.Generator().manual_seed(0)
    hidden = torch.randn(23, 16, generator=generator, requires_grad=True)
    ref_hidden = torch.randn(23, 16, generator=generator)
    weight = torch.randn(50, 16, generator=generator)
    targets = torch.randint(0, 50, (23,), generator=generator)
    upstream = torch.rand(23, generator=generator)

    loss, ce, kl, entropy, top1 = ce_kl_per_token(hidden, ref_hidden, weight, targets, 0.3, chunk_size)
    (loss * upstream).sum().backward()
    chunked_grad, hidden.grad = hidden.grad, None

    log_p = torch.log_softmax(hidden @ weight.T, -1)
    log_q = torch.log_softmax(ref_hidden @ weight.T, -1)
    expected_ce = torch.nn.functional.cross_entropy(hidden @ weight.T, targets, reduction="none")
    expected_kl = (log_p.exp() * (log_p - log_q)).sum(-1)
    ((expected_ce + 0.3 * expected_kl) * upstream).sum().backward()

    torch.testing.assert_close(ce, expected_ce.detach())
    torch.testing.assert_close(kl, expected_kl.detach())
    torch.testing.assert_close(loss, (expected_ce + 0.3 * expected_kl).detach())
    torch.testing.assert_close(chunked_grad, hidden.grad)
    torch.testing.assert_close(entropy, -(log_p.exp() * log_p).sum(-1).detach())
    assert torch.equal(top1, (log_p.argmax(-1) == targets).float())
    assert (kl >= 0).all()


def test_trainable_lm_head_is_refused():
    weight = torch.randn(5, 3, requires_grad=True)
    with pytest.raises(ValueError, match="frozen LM head"):
        ce_kl_per_token(torch.randn(2, 3), torch.randn(2, 3), weight, torch.tensor([0, 1]), 0.1, 4)


def _loss_and_grads(trainer, batch: dict) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    torch.manual_seed(0)  # the same LoRA dropout masks in every trainer
    loss = trainer.compute_loss(trainer.model, {key: value.clone() for key, value in batch.items()})
    loss.backward()
    grads = {name: p.grad.clone() for name, p in trainer.model.named_parameters() if p.requires_grad}
    trainer.model.zero_grad()
    return loss.detach(), grads


def _trainer(trainer_class, sft_folder, tmp_path, fast, **overrides):
    config = KLSFTConfig(output_dir=str(tmp_path / trainer_class.__name__), **{**fast, **overrides})
    splits, _ = load_dataset_ref(str(sft_folder))
    model, tokenizer = load_model_and_tokenizer(resolve_model("tiny_nb_mistral"), bf16=False)
    return trainer_class(
        model, args=config, train_dataset=splits["train"], processing_class=tokenizer, peft_config=config.lora_config()
    )


def test_kl_beta_zero_is_exactly_sft_and_the_ce_term_matches_trl(sft_folder, tmp_path, fast):
    sft = _trainer(SFTTrainer, sft_folder, tmp_path, fast)
    batch = sft._prepare_inputs(next(iter(sft.get_train_dataloader())))
    assert (batch["labels"] == -100).any() and (batch["labels"] != -100).any()  # assistant-only loss
    sft_loss, sft_grads = _loss_and_grads(sft, batch)

    plain = _trainer(KLSFTTrainer, sft_folder, tmp_path, fast, kl_beta=0.0)
    plain_loss, plain_grads = _loss_and_grads(plain, batch)
    assert torch.equal(plain_loss, sft_loss)
    assert plain_grads.keys() == sft_grads.keys()
    assert all(torch.equal(plain_grads[name], sft_grads[name]) for name in sft_grads)
    assert "kl" not in plain._metrics["train"]

    # With the KL term on, a fresh adapter (LoRA B = 0) is the reference: KL is 0 and the loss is TRL's CE
    kl_trainer = _trainer(KLSFTTrainer, sft_folder, tmp_path, fast, kl_beta=0.1)
    kl_loss, kl_grads = _loss_and_grads(kl_trainer, batch)
    torch.testing.assert_close(kl_loss, sft_loss)
    for name, grad in sft_grads.items():
        torch.testing.assert_close(kl_grads[name], grad, rtol=1e-4, atol=1e-7)
    assert kl_trainer._metrics["train"]["kl"] == [0.0]
    assert kl_trainer._metrics["train"]["ce"][0] == pytest.approx(sft_loss.item(), rel=1e-6)


def test_kl_is_logged_separately_and_positive_after_a_step(sft_folder, tmp_path, fast):
    trainer = _trainer(KLSFTTrainer, sft_folder, tmp_path, fast, kl_beta=0.5, learning_rate=1e-3)
    before = {name: p.detach().clone() for name, p in trainer.model.named_parameters() if p.requires_grad}
    trainer.train()

    logs = [entry for entry in trainer.state.log_history if "loss" in entry]
    assert [entry["step"] for entry in logs] == [1, 2, 3]
    assert logs[0]["kl"] == 0.0  # the first step starts from the reference itself
    assert all(entry["kl"] > 0 for entry in logs[1:])
    for entry in logs:  # one micro-batch per step: the logged loss is exactly ce + kl_beta * kl
        assert entry["loss"] == pytest.approx(entry["ce"] + 0.5 * entry["kl"], rel=1e-5)
    changed = [
        name for name, p in trainer.model.named_parameters() if p.requires_grad and not torch.equal(p, before[name])
    ]
    assert changed and all("lora_" in name for name in changed)
    assert not trainer.model.get_output_embeddings().weight.requires_grad


def test_trainer_needs_a_lora_adapter_and_a_kl_sft_config(sft_folder, tmp_path):
    with pytest.raises(TypeError, match="needs a KLSFTConfig"):
        KLSFTTrainer("unused", args=object())
    with pytest.raises(ValueError, match="kl_beta must be >= 0"):
        KLSFTConfig(output_dir=str(tmp_path), kl_beta=-0.1)
    with pytest.raises(ValueError, match="must not include lm_head"):
        KLSFTConfig(output_dir=str(tmp_path), lora_target_modules=["q_proj", "lm_head"])
