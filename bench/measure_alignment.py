"""Does alignment move the tiny policy? Grammar score on held-out prompts: base → KL-SFT → DPO, and rewards accuracy.

Run (about 10 minutes on one core, after `saga demo --root build/demo` has built the SFT and prompts datasets):

    python -m bench.measure_alignment --sft build/demo/sft --prompts build/demo/prompts --out build/measure

Steps, all seeded: sample completions for the prompts' `test` split from the bundled tiny model and score them
with the grammar scorer; KL-SFT on the SFT corpus; merge; score again; sample completions for the `train` prompts
from the merged checkpoint, score them, and pair each prompt's best and worst completion (delta ≥ 0.25, chosen ≥
0.2, the seed's thresholds) into a small on-policy preference set; DPO on it; score again. Prints a table and
writes `results.json`. Not a timed test and not part of `make bench` (it trains); the numbers go in reports.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from pathlib import Path

import polars as pl
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from builders.scoring.scorer import GrammarScorer
from saga.cli.train import quiet_progress
from saga.hub.references import load_dataset_ref
from trainers.dpo_config import LoRADPOConfig
from trainers.inputs import resolve_model
from trainers.kl_sft_config import KLSFTConfig
from trainers.merge import merge_adapter
from trainers.runs import train_adapter

MIN_DELTA, MIN_CHOSEN = 0.25, 0.2


def sample(model_dir: str, prompts: list[list[dict]], samples: int, temperature: float, seed: int) -> list[list[str]]:
    """`samples` completions per chat prompt (batched, left-padded, seeded), decoded without special tokens.

    Args:
        model_dir (`str`): a model folder (with its tokenizer).
        prompts (`list[list[dict]]`): chat prompts (message lists).
        samples (`int`): completions per prompt.
        temperature (`float`): sampling temperature (top-p 0.95, at most 48 new tokens).
        seed (`int`): torch seed.
    """
    tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="left")
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
    torch.manual_seed(seed)
    completions: list[list[str]] = []
    for start in range(0, len(texts), 16):
        batch = tokenizer(texts[start : start + 16], return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            output = model.generate(
                **batch,
                do_sample=True,
                temperature=temperature,
                top_p=0.95,
                max_new_tokens=48,
                num_return_sequences=samples,
                pad_token_id=tokenizer.pad_token_id,
            )
        decoded = tokenizer.batch_decode(output[:, batch["input_ids"].shape[1] :], skip_special_tokens=True)
        completions += [decoded[i : i + samples] for i in range(0, len(decoded), samples)]
    return completions


def grammar(scorer: GrammarScorer, completions: list[list[str]]) -> dict:
    """Mean grammar score, parse-success rate and mean length (words) over all completions, with examples."""
    texts = [text.strip() for group in completions for text in group]
    results = list(scorer.score_batch(texts))
    return {
        "completions": len(results),
        "mean_score": statistics.fmean(r.score for r in results),
        "parse_success": statistics.fmean(r.parse_success for r in results),
        "mean_words": statistics.fmean(len(text.split()) for text in texts),
        "examples": [{"text": text, "score": r.score} for text, r in zip(texts[:8], results[:8], strict=True)],
    }


def preference_pairs(prompts: list[list[dict]], completions: list[list[str]], scorer: GrammarScorer) -> list[dict]:
    """Per prompt, the best and worst scored completion when they differ by ≥ 0.25 and the best scores ≥ 0.2."""
    pairs = []
    for prompt, group in zip(prompts, completions, strict=True):
        texts = sorted({text.strip() for text in group if text.strip()})
        scored = sorted(zip((r.score for r in scorer.score_batch(texts)), texts, strict=True))
        if len(scored) < 2:
            continue
        (worst, rejected), (best, chosen) = scored[0], scored[-1]
        if best - worst >= MIN_DELTA and best >= MIN_CHOSEN:
            pairs.append(
                {
                    "prompt": prompt,
                    "chosen": [{"role": "assistant", "content": chosen}],
                    "rejected": [{"role": "assistant", "content": rejected}],
                    "chosen_score": best,
                    "rejected_score": worst,
                }
            )
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure_alignment", description=__doc__.splitlines()[0])
    parser.add_argument("--sft", type=Path, required=True, help="SFT dataset folder (saga demo: ROOT/sft)")
    parser.add_argument("--prompts", type=Path, required=True, help="prompts dataset folder (saga demo: ROOT/prompts)")
    parser.add_argument("--out", type=Path, default=Path("build/measure"), help="work and result folder")
    parser.add_argument("--samples", type=int, default=4, help="completions per prompt")
    parser.add_argument("--sft-epochs", type=float, default=1.0, help="KL-SFT epochs over the SFT corpus")
    parser.add_argument("--dpo-epochs", type=float, default=2.0, help="DPO epochs over the on-policy pairs")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    quiet_progress()
    prompts, _ = load_dataset_ref(str(args.prompts))
    test_prompts, train_prompts = list(prompts["test"]["prompt"]), list(prompts["train"]["prompt"])
    scorer = GrammarScorer()
    base = resolve_model("tiny_nb_mistral").location
    common = {"use_cpu": True, "gradient_checkpointing": False, "logging_steps": 10, "seed": 0, "max_length": 128}
    common |= {"disable_tqdm": True, "gradient_accumulation_steps": 1, "per_device_train_batch_size": 16}
    results: dict = {"base": grammar(scorer, sample(base, test_prompts, args.samples, 0.7, 0))}

    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs
        sft_config = KLSFTConfig(output_dir="unused", num_train_epochs=args.sft_epochs, learning_rate=1e-3, **common)
        sft_record = train_adapter("sft", sft_config, str(args.sft), args.out / "sft")
        merge_adapter(str(args.out / "sft"), args.out / "sft-merged")
    merged = str(args.out / "sft-merged")
    results["kl_sft"] = grammar(scorer, sample(merged, test_prompts, args.samples, 0.7, 0))
    results["kl_sft"]["final"] = {k: sft_record["metrics"]["last_logged"][k] for k in ("loss", "ce", "kl")}

    pairs = preference_pairs(train_prompts, sample(merged, train_prompts, args.samples, 1.0, 1), scorer)
    (args.out / "pairs" / "data").mkdir(parents=True, exist_ok=True)
    pl.DataFrame(pairs).write_parquet(args.out / "pairs" / "data" / "train-00000-of-00001.parquet")
    with contextlib.redirect_stdout(sys.stderr):
        dpo_config = LoRADPOConfig(
            output_dir="unused", num_train_epochs=args.dpo_epochs, learning_rate=5e-4, **{**common, "logging_steps": 1}
        )
        dpo_record = train_adapter("dpo", dpo_config, str(args.out / "pairs"), args.out / "dpo", model_ref=merged)
        merge_adapter(str(args.out / "dpo"), args.out / "dpo-merged")
    results["dpo"] = grammar(scorer, sample(str(args.out / "dpo-merged"), test_prompts, args.samples, 0.7, 0))
    accuracies = [e["rewards/accuracies"] for e in dpo_record["log_history"] if "rewards/accuracies" in e]
    results["dpo"] |= {
        "pairs": len(pairs),
        "mean_chosen": statistics.fmean(p["chosen_score"] for p in pairs),
        "mean_rejected": statistics.fmean(p["rejected_score"] for p in pairs),
        "rewards_accuracy_first_step": accuracies[0],
        "rewards_accuracy_last_epoch": statistics.fmean(accuracies[len(accuracies) // 2 :]),
    }
    results["scorer_fingerprint"] = scorer.fingerprint
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    print("| model | completions | mean grammar score | parse success | mean words |")
    print("|---|---|---|---|---|")
    for name in ("base", "kl_sft", "dpo"):
        row = results[name]
        print(
            f"| {name} | {row['completions']} | {row['mean_score']:.3f} | {row['parse_success']:.1%} "
            f"| {row['mean_words']:.1f} |"
        )
    dpo = results["dpo"]
    print(
        f"\nKL-SFT final: loss {results['kl_sft']['final']['loss']:.3f}, ce {results['kl_sft']['final']['ce']:.3f}, "
        f"kl {results['kl_sft']['final']['kl']:.4f}\nDPO: {dpo['pairs']} on-policy pairs (mean chosen "
        f"{dpo['mean_chosen']:.3f}, rejected {dpo['mean_rejected']:.3f}); rewards accuracy first step "
        f"{dpo['rewards_accuracy_first_step']:.2f}, mean over the last epoch {dpo['rewards_accuracy_last_epoch']:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
