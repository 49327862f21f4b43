"""Trainer cost: KL-SFT step time vs plain SFT, and DPO epoch time with vs without precomputed reference log-probs.

Run: `python -m bench.bench_trainers` (part of `make bench`). Uses the bundled tiny policy on one CPU thread and
datasets made from the bundled Wikipedia sample (SFT chat rows; preference pairs whose rejected side is the
chosen sentence reversed and lower-cased). Step times are medians over interleaved steps on identical batches, so
load from other processes hits both arms alike. `--vocab 32000` adds a random-init model of the same shape with
NorMistral's vocabulary size, where the LM head (and so the KL's extra vocabulary projections) weighs more.

Goals (issue 6): KL-SFT step / plain SFT step ≤ 1.6.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import polars as pl
import torch
from transformers import AutoModelForCausalLM, MistralForCausalLM

from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.cli.train import quiet_progress
from saga.hub.references import load_dataset_ref
from saga.models import load_model_and_tokenizer, resolve_model
from saga.tables import markdown_table
from saga.trainers.dpo_config import LoRADPOConfig
from saga.trainers.dpo_trainer import LoRADPOTrainer
from saga.trainers.kl_sft_config import KLSFTConfig
from saga.trainers.kl_sft_trainer import KLSFTTrainer

WIKI = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
COMMON = {
    "use_cpu": True,
    "report_to": "none",
    "disable_tqdm": True,
    "logging_steps": 1000,
    "seed": 0,
    "max_length": 128,
    "gradient_accumulation_steps": 1,
}


def sentences(limit: int) -> list[tuple[str, str]]:
    """(title, sentence) pairs of 5–30 words from the bundled sample, in file order.

    Args:
        limit (`int`): how many.
    """
    found = []
    for line in Path(str(WIKI)).read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        for paragraph in paragraphs(article["text"], article["title"])[0]:
            for sentence in split_sentences(paragraph):
                if 5 <= len(sentence.split()) <= 30:
                    found.append((article["title"], sentence))
                    if len(found) == limit:
                        return found
    return found


def write_datasets(root: Path, rows: int) -> tuple[Path, Path]:
    """An SFT folder (`messages`) and a pairs folder (`prompt`/`chosen`/`rejected`) under `root`."""
    return write_folders(root, [(f"Skriv en setning om {title}.", sentence) for title, sentence in sentences(rows)])


def write_folders(root: Path, examples: list[tuple[str, str]]) -> tuple[Path, Path]:
    """`root/sft` and `root/pairs` in Hub layout from (prompt, answer) pairs: each answer is the chosen side of a
    pair whose rejected side is its words reversed and lower-cased (clearly worse Norwegian)."""
    sft, pairs = [], []
    for prompt_text, answer in examples:
        prompt = {"role": "user", "content": prompt_text}
        sft.append({"messages": [prompt, {"role": "assistant", "content": answer}]})
        rejected = " ".join(reversed(answer.split())).lower()
        pairs.append(
            {
                "prompt": [prompt],
                "chosen": [{"role": "assistant", "content": answer}],
                "rejected": [{"role": "assistant", "content": rejected}],
            }
        )
    folders = []
    for name, table in (("sft", sft), ("pairs", pairs)):
        (root / name / "data").mkdir(parents=True)
        pl.DataFrame(table).write_parquet(root / name / "data" / "train-00000-of-00001.parquet")
        folders.append(root / name)
    return folders[0], folders[1]


def kl_sft_trainer(model, tokenizer, dataset, kl_beta: float, out: Path, checkpointing: bool) -> KLSFTTrainer:
    """A `KLSFTTrainer` at batch 8 (`kl_beta=0` is exactly TRL's `SFTTrainer`: the plain SFT arm)."""
    config = KLSFTConfig(
        output_dir=str(out),
        kl_beta=kl_beta,
        per_device_train_batch_size=8,
        gradient_checkpointing=checkpointing,
        **COMMON,
    )
    return KLSFTTrainer(model, args=config, train_dataset=dataset, processing_class=tokenizer)


def step_ratio(model_factory, tokenizer, dataset, root: Path, checkpointing: bool, steps: int) -> tuple[float, float]:
    """Median seconds per training step without the optimiser (forward + backward): plain SFT, then KL-SFT.

    Args:
        model_factory (`Callable`): a fresh model per arm.
        tokenizer: the tokenizer.
        dataset (`datasets.Dataset`): SFT rows (`messages`).
        root (`Path`): scratch folder.
        checkpointing (`bool`): gradient checkpointing on or off (the seed recipe turns it on).
        steps (`int`): batches, each timed twice per arm after two warm-up steps.
    """
    sft = kl_sft_trainer(model_factory(), tokenizer, dataset, 0.0, root / "sft", checkpointing)
    kl = kl_sft_trainer(model_factory(), tokenizer, dataset, 0.1, root / "kl", checkpointing)
    batches = [sft._prepare_inputs(batch) for _, batch in zip(range(steps), sft.get_train_dataloader(), strict=False)]
    for trainer in (sft, kl):
        trainer.current_gradient_accumulation_steps = 1  # set by the training loop, which is not run here
    times: dict[str, list[float]] = {"sft": [], "kl": []}
    for index, batch in enumerate(batches * 2):
        for name, trainer in (("sft", sft), ("kl", kl)):
            trainer.model.train()
            started = time.perf_counter()
            trainer.training_step(trainer.model, {key: value.clone() for key, value in batch.items()})
            if index >= 2:  # warm-up
                times[name].append(time.perf_counter() - started)
            trainer.model.zero_grad()
    return statistics.median(times["sft"]), statistics.median(times["kl"])


def dpo_epoch(model_dir: str, pairs: Path, precompute: bool, root: Path) -> float:
    """Seconds for one DPO epoch (trainer set-up, including any reference precomputation, plus training).

    Args:
        model_dir (`str`): the policy folder.
        pairs (`Path`): the preference dataset folder.
        precompute (`bool`): `precompute_ref_log_probs`.
        root (`Path`): scratch folder (a fresh datasets cache per arm, so no cached log-probs are reused).
    """
    splits, _ = load_dataset_ref(str(pairs), cache_dir=root / f"cache-{precompute}")
    model, tokenizer = load_model_and_tokenizer(resolve_model(model_dir), bf16=False)
    config = LoRADPOConfig(
        output_dir=str(root / f"dpo-{precompute}"),
        num_train_epochs=1,
        per_device_train_batch_size=8,
        gradient_checkpointing=False,
        precompute_ref_log_probs=precompute,
        **COMMON,
    )
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its final metrics
        trainer = LoRADPOTrainer(model, args=config, train_dataset=splits["train"], processing_class=tokenizer)
        trainer.train()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_trainers", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=256, help="SFT rows / preference pairs")
    parser.add_argument("--steps", type=int, default=8, help="timed batches per arm (each timed twice)")
    parser.add_argument("--vocab", type=int, nargs="*", default=[], help="extra random-init vocab sizes, e.g. 32000")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    quiet_progress()
    base = resolve_model("tiny_nb_mistral")
    with tempfile.TemporaryDirectory(prefix="saga-bench-") as scratch:
        root = Path(scratch)
        sft_dir, pairs_dir = write_datasets(root, args.rows)
        splits, _ = load_dataset_ref(str(sft_dir), cache_dir=root / "cache")
        _, tokenizer = load_model_and_tokenizer(base, bf16=False)

        variants = [("tiny_nb_mistral", len(tokenizer), lambda: AutoModelForCausalLM.from_pretrained(base.location))]
        for vocab in args.vocab:
            config = AutoModelForCausalLM.from_pretrained(base.location).config
            config.vocab_size = vocab
            variants.append((f"random init, vocab {vocab}", vocab, lambda config=config: MistralForCausalLM(config)))
        cells = []
        for name, vocab, factory in variants:
            for checkpointing in (False, True):
                sft, kl = step_ratio(
                    factory, tokenizer, splits["train"], root / f"{vocab}-{checkpointing}", checkpointing, args.steps
                )
                cells.append([name, vocab, checkpointing, f"{sft:.4f}", f"{kl:.4f}", f"{kl / sft:.2f}"])
        header = ["model", "vocab", "gradient checkpointing", "plain SFT s/step", "KL-SFT s/step"]
        print(markdown_table([*header, "KL-SFT / SFT (goal ≤ 1.6)"], cells))

        plain = dpo_epoch(base.location, pairs_dir, False, root)
        precomputed = dpo_epoch(base.location, pairs_dir, True, root)
        cells = [
            ["reference by disabling the adapter", args.rows, f"{plain:.2f}"],
            ["reference log-probs precomputed (included)", args.rows, f"{precomputed:.2f}"],
            ["precomputed / adapter-disabled", "", f"{precomputed / plain:.2f}"],
        ]
        print("\n" + markdown_table(["DPO, one epoch", "pairs", "seconds"], cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
