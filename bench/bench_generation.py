"""Generation and pairing throughput: completions/s of the transformers backend, pairs/s of the Δ-pairing.

Run: `python -m bench.bench_generation --prompts 8` (part of `make bench`). Generation uses the bundled tiny policy
(`assets/tiny_nb_mistral/`) on CPU with topic prompts built from the bundled Wikipedia titles. It compares batch
sizes, and the per-row seeded sampler against transformers' own sampling on the same batches (`do_sample=True`
with the same temperature and top-p, top-k off; one global RNG, so not batch-independent): what reproducibility
costs. Pairing runs `pair_prompt` and the `pairs` builder on a synthetic scored set (seeded random scores, 12
completions per prompt).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import polars as pl
import torch
from transformers import GenerationConfig

from saga.builders.build import build
from saga.builders.generation import SamplingSettings, load_backend
from saga.builders.pairing import Candidate, pair_prompt
from saga.builders.pairs import Pairs
from saga.models import resolve_model
from saga.tables import markdown_table

WIKI = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
TEMPERATURES = (0.7, 0.9, 1.1)


def topic_prompts(count: int) -> list[list[dict]]:
    """`count` topic prompts from the first titles of the bundled Wikipedia sample."""
    titles = [json.loads(line)["title"] for line in Path(str(WIKI)).read_text(encoding="utf-8").splitlines()]
    return [[{"role": "user", "content": f"Skriv en kort tekst om {title}."}] for title in titles[:count]]


def completions_per_second(backend, prompts: list[list[dict]], settings: SamplingSettings) -> float:
    start = time.perf_counter()
    backend.generate(prompts, settings)
    return len(prompts) * settings.n / (time.perf_counter() - start)


def plain_sampling_per_second(backend, prompts: list[list[dict]], settings: SamplingSettings) -> float:
    """transformers' own `do_sample=True` on the same batches (the baseline the seeded sampler replaces)."""
    tokenizer, model = backend.tokenizer, backend.model
    texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
    rows = [text for text in texts for _ in range(settings.n)]
    config = GenerationConfig(
        do_sample=True,
        temperature=settings.temperature,
        top_k=0,  # transformers' default top_k=50 would make its sampling cheaper and different from saga's
        top_p=settings.top_p,
        max_new_tokens=settings.max_tokens,
        repetition_penalty=settings.repetition_penalty,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    threads = torch.get_num_threads()
    torch.set_num_threads(backend.threads or threads)
    start = time.perf_counter()
    for begin in range(0, len(rows), backend.batch_size):
        encoded = tokenizer(
            rows[begin : begin + backend.batch_size], add_special_tokens=False, padding=True, return_tensors="pt"
        )
        with torch.inference_mode():
            model.generate(**encoded, generation_config=config)
    elapsed = time.perf_counter() - start
    torch.set_num_threads(threads)
    return len(rows) / elapsed


def synthetic_candidates(prompts: int, per_prompt: int, seed: int = 0) -> dict[str, list[Candidate]]:
    """Seeded random scores in [-1, 1] (some duplicate texts), `per_prompt` completions for each prompt."""
    rng = random.Random(seed)
    return {
        f"p{i}": [
            Candidate(f"tekst {rng.randrange(per_prompt * 2)}", rng.uniform(-1, 1), TEMPERATURES[j % 3], j // 3)
            for j in range(per_prompt)
        ]
        for i in range(prompts)
    }


def pairing_rate(candidates: dict[str, list[Candidate]], strategy: str) -> tuple[float, int]:
    start = time.perf_counter()
    pairs = sum(len(pair_prompt(c, strategy).pairs) for c in candidates.values())
    return pairs / (time.perf_counter() - start), pairs


def builder_rate(candidates: dict[str, list[Candidate]]) -> tuple[float, int]:
    """The `pairs` builder end to end (read parquet, pair, write the Hub-layout folder) on the synthetic set."""
    rows = [
        {
            "prompt_id": pid,
            "prompt": [{"role": "user", "content": pid}],
            "completion": c.text,
            "score": c.score,
            "reject_reason": None,
            "temperature": c.temperature,
            "sample_idx": c.sample_idx,
        }
        for pid, items in candidates.items()
        for c in items
    ]
    with tempfile.TemporaryDirectory() as folder:
        scored = Path(folder) / "scored_completions" / "data"
        scored.mkdir(parents=True)
        pl.DataFrame(rows, schema_overrides={"reject_reason": pl.String}).write_parquet(scored / "train-0.parquet")
        start = time.perf_counter()
        result = build(Pairs, Path(folder) / "pairs", {"input_dir": str(scored.parent)}, {"input": "synthetic"})
        return result.rows["train"] / (time.perf_counter() - start), result.rows["train"]


def main(argv: list[str] | None = None) -> list[tuple[str, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=8, help="prompts per generation measurement")
    parser.add_argument("--n", type=int, default=4, help="completions per prompt")
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads while generating")
    parser.add_argument("--pair-prompts", type=int, default=5000, help="prompts in the synthetic scored set")
    args = parser.parse_args(argv)

    model = resolve_model("tiny_nb_mistral")
    prompts = topic_prompts(args.prompts)
    settings = SamplingSettings(n=args.n, temperature=0.9, max_tokens=args.max_tokens)
    backends = {
        size: load_backend("transformers", model, device="cpu", batch_size=size, threads=args.threads)
        for size in (1, 8, 32)
    }
    completions_per_second(backends[8], prompts[:1], settings)  # warm-up
    rates = {size: completions_per_second(backend, prompts, settings) for size, backend in backends.items()}
    plain = plain_sampling_per_second(backends[32], prompts, settings)

    candidates = synthetic_candidates(args.pair_prompts, 12)
    best_worst, n_best_worst = pairing_rate(candidates, "best_worst")
    all_pairs, n_all = pairing_rate(candidates, "all")
    builder, n_builder = builder_rate(candidates)

    rows = [
        ("generate, batch 1 (completions/s)", rates[1], "1.00"),
        ("generate, batch 8 (completions/s)", rates[8], f"{rates[8] / rates[1]:.2f}× batch 1"),
        ("generate, batch 32 (completions/s)", rates[32], f"{rates[32] / rates[1]:.2f}× batch 1"),
        ("transformers do_sample, batch 32 (completions/s)", plain, f"seeded = {rates[32] / plain:.2f}× of it"),
        (f"pair_prompt best_worst (pairs/s, {n_best_worst} pairs)", best_worst, ""),
        (f"pair_prompt all, cap 8 (pairs/s, {n_all} pairs)", all_pairs, f"{all_pairs / best_worst:.2f}× best_worst"),
        (
            f"pairs builder end to end (pairs/s, {n_builder} pairs)",
            builder,
            f"{builder / best_worst:.3f}× pair_prompt",
        ),
    ]
    print(
        f"generation: bundled tiny policy {model.revision[:12]}, CPU, {args.threads} thread(s), {len(prompts)} "
        f"prompts × {args.n} samples, max_tokens {args.max_tokens}; pairing: {args.pair_prompts} synthetic prompts "
        "× 12 completions\n"
    )
    cells = [[name, f"{rate:,.1f}", ratio] for name, rate, ratio in rows]
    print(markdown_table(["measurement", "rate", "ratio"], cells, align="lrr"))
    return rows


if __name__ == "__main__":
    main()
