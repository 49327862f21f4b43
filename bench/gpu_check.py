"""The GPU path in a few minutes: KL-SFT and DPO steps of a random-init Mistral in bf16, with tokens/s and MFU.

Run on a machine with one GPU: `scripts/gpu-check.sh` (or `python -m bench.gpu_check`). It builds a ~0.5B Mistral
(the seed's architecture: grouped-query attention, q/k/v/o/gate/up/down projections) from random weights with the
bundled tokenizer, writes an SFT and a pairs dataset from the bundled Wikipedia sample, and trains a LoRA adapter
on each through `saga.trainers.runs.train_adapter`, as `saga train` does: bf16, gradient checkpointing, the seed's LoRA
settings. Every sequence is long enough to be cut at `--max-length`, so a step's tokens are known exactly:
batch × max length for KL-SFT, twice that for DPO (chosen and rejected); TRL's own count (`num_tokens`) is used.

MFU counts the model's useful FLOPs per token, 6N for the policy's forward and backward (N: its parameters; the
recompute of gradient checkpointing is not useful work) plus 2N for the frozen reference's forward (the KL term of
KL-SFT, the reference log-probabilities of DPO), over the GPU's dense bf16 peak (`PEAK_TFLOPS` by device name, or
`--peak-tflops`). `--size tiny --cpu` runs the same path on CPU in seconds (the test suite does); its MFU is `n/a`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from importlib.resources import files
from pathlib import Path

import torch
from transformers import AutoTokenizer, MistralForCausalLM

from bench.bench_trainers import write_folders
from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.models import resolve_model
from saga.tables import markdown_table
from saga.trainers.dpo_config import LoRADPOConfig
from saga.trainers.kl_sft_config import KLSFTConfig
from saga.trainers.runs import train_adapter
from saga.trainers.tiny_policy import TinyPolicyConfig

WIKI = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
# Dense bf16 peak of one GPU (TFLOP/s, without sparsity), by a part of its `torch.cuda.get_device_name()`
PEAK_TFLOPS = {"H200": 989.0, "H100": 989.0, "A100": 312.0, "L40S": 362.0, "L4": 121.0, "A10": 125.0}


# Mistral shapes, as the bundled policy's config describes them (its corpus and optimiser fields are unused here)
SIZES = {
    "0.5b": TinyPolicyConfig(
        hidden_size=1536,
        intermediate_size=4096,
        num_hidden_layers=20,
        num_attention_heads=12,
        num_key_value_heads=4,
        max_position_embeddings=4096,
    ),
    "tiny": TinyPolicyConfig(hidden_size=64, intermediate_size=160, num_hidden_layers=2),
}


def random_mistral(size: TinyPolicyConfig, folder: Path) -> int:
    """Save a random-init bf16 Mistral of `size` with the bundled tokenizer to `folder`; its parameter count."""
    tokenizer = AutoTokenizer.from_pretrained(resolve_model("tiny_nb_mistral").location)
    torch.manual_seed(0)
    model = MistralForCausalLM(size.model_config(tokenizer)).to(torch.bfloat16)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return sum(p.numel() for p in model.parameters())


def long_texts(count: int, words: int) -> list[str]:
    """`count` texts of at least `words` words each, from consecutive sentences of the bundled Wikipedia sample."""
    sentences = []
    for line in Path(str(WIKI)).read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        for paragraph in paragraphs(article["text"], article["title"])[0]:
            sentences.extend(split_sentences(paragraph))
    texts, current, index = [], [], 0
    while len(texts) < count:
        current.append(sentences[index % len(sentences)])
        index += 1
        if sum(len(s.split()) for s in current) >= words:
            texts.append(" ".join(current))
            current = []
    return texts


def write_datasets(root: Path, rows: int, max_length: int) -> tuple[Path, Path]:
    """An SFT and a pairs folder (Hub layout) whose every sequence is longer than `max_length` tokens."""
    texts = long_texts(rows, words=max_length)  # a word is at least one token
    return write_folders(root, [("Skriv om emnet.", text) for text in texts])


def peak_flops(cpu: bool, peak_tflops: float | None) -> tuple[str, float | None]:
    """The device's name and dense bf16 peak in FLOP/s (`None` when unknown)."""
    if cpu or not torch.cuda.is_available():
        return "cpu", peak_tflops * 1e12 if peak_tflops else None
    name = torch.cuda.get_device_name()
    if peak_tflops:
        return name, peak_tflops * 1e12
    known = [tflops for part, tflops in PEAK_TFLOPS.items() if part in name]
    return name, known[0] * 1e12 if known else None


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="0.5b")
    parser.add_argument("--steps", type=int, default=10, help="optimizer steps per trainer")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--max-length", type=int, default=1024, help="tokens per sequence")
    parser.add_argument("--cpu", action="store_true", help="run on CPU (a smoke test of the same path)")
    parser.add_argument("--peak-tflops", type=float, help="the device's dense bf16 peak (default: by device name)")
    args = parser.parse_args(argv)

    device, peak = peak_flops(args.cpu, args.peak_tflops)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        parameters = random_mistral(SIZES[args.size], root / "model")
        sft, pairs = write_datasets(root, args.steps * args.batch_size, args.max_length)
        common = {
            "max_steps": args.steps,
            "per_device_train_batch_size": args.batch_size,
            "gradient_accumulation_steps": 1,
            "max_length": args.max_length,
            "bf16": True,
            "use_cpu": args.cpu,
            "gradient_checkpointing": True,
            "logging_steps": 1,
            "disable_tqdm": True,
            "report_to": "none",
        }
        runs = (
            ("sft", KLSFTConfig(output_dir=str(root / "sft-adapter"), **common), sft, 1),
            ("dpo", LoRADPOConfig(output_dir=str(root / "dpo-adapter"), **common), pairs, 2),
        )
        for kind, config, data, sequences in runs:
            record = train_adapter(kind, config, str(data), root / f"{kind}-adapter", model_ref=str(root / "model"))
            seconds = record["metrics"]["train_runtime_s"]
            # TRL counts the tokens it trained on; every sequence is cut at max_length, so they are known anyway
            tokens = record["metrics"]["last_logged"].get(
                "num_tokens", args.steps * args.batch_size * args.max_length * sequences
            )
            rate = tokens / seconds
            mfu = 8 * parameters * rate / peak if peak else None
            rows.append({"trainer": kind, "tokens_per_s": rate, "mfu": mfu, "seconds": seconds})
    print(
        f"GPU check on {device}: random-init Mistral {args.size} ({parameters / 1e6:,.0f}M parameters), bf16, "
        f"gradient checkpointing, LoRA r16 on 7 projections; {args.steps} steps of {args.batch_size} × "
        f"{args.max_length} tokens\n"
    )
    cells = [
        [
            row["trainer"],
            f"{row['tokens_per_s']:,.0f}",
            f"{row['mfu']:.1%}" if row["mfu"] is not None else "n/a",
            f"{row['seconds']:.1f}",
        ]
        for row in rows
    ]
    print(markdown_table(["trainer", "tokens/s", "MFU", "seconds"], cells, align="lrrr"))
    return rows


if __name__ == "__main__":
    main()
