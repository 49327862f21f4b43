"""Scoring on Ray (`saga.builders.executor`) with 1 and 2 workers against the local 1-process scorer, in one run.

Run: `python -m bench.bench_ray` (part of `make bench`). A local Ray instance gets this machine's CPUs. A Ray job
starts its actors anew, and each actor starts a Python worker and builds the scorer pipeline (seconds), so a job's
wall time is a fixed start-up plus its texts at the workers' rate. The table separates the two: each width scores
a small and a large job (the bundled Wikipedia sentences, repeated to length; the scorer runs without a cache, so
every text is parsed), the rate is the difference in texts over the difference in seconds, and the start-up is
what the small job took beyond its texts at that rate. The local row scores the difference's texts in this process
with a warm pipeline, as a long local run does. A corpus of millions of sentences runs one job per stage, so the
rate decides its wall time; the last row gives the whole large job, start-up included, against the local scorer.

Goal: 2 Ray workers ≥ 1.7× one local process (rate).
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from bench.bench_scorer import DEFAULT_WIKI, WARM_UP_TEXTS, load_sentences
from saga.builders.executor import RayExecutor, import_ray
from saga.builders.scoring import GrammarScorer, GrammarScorerConfig
from saga.tables import markdown_table


def wall(run) -> float:
    start = time.perf_counter()
    for _ in run():
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> list[tuple[str, float, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=3000, help="texts in the small job")
    parser.add_argument("--large", type=int, default=12000, help="texts in the large job")
    parser.add_argument("--shard-size", type=int, default=500, help="texts per Ray shard")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--wiki", type=Path, default=Path(str(DEFAULT_WIKI)), help="JSONL articles (title, text)")
    args = parser.parse_args(argv)
    if not 0 < args.small < args.large:
        raise SystemExit(f"--small must be > 0 and < --large, got {args.small} and {args.large}")

    sentences = load_sentences(args.wiki, 6000)
    texts = list(itertools.islice(itertools.cycle(sentences), args.large))
    extra = args.large - args.small
    scorer = GrammarScorer(GrammarScorerConfig())
    list(scorer.score_batch(texts[:WARM_UP_TEXTS]))
    local = wall(lambda: scorer.score_batch(texts[:extra], batch_size=args.batch_size))

    ray = import_ray()
    ray.init(include_dashboard=False, log_to_driver=False)
    cpus = int(ray.cluster_resources().get("CPU", 0))
    measured = {}
    for workers in (1, 2):
        executor = RayExecutor(num_workers=workers, shard_size=args.shard_size)

        def job(size: int, executor: RayExecutor = executor):
            return scorer.score_batch(texts[:size], batch_size=args.batch_size, executor=executor)

        small, large = (wall(lambda size=size: job(size)) for size in (args.small, args.large))
        rate = extra / (large - small)
        measured[workers] = (rate, small - args.small / rate, large)
    ray.shutdown()

    local_rate = extra / local
    rows = [("local scorer, 1 process", local_rate, "1.00", "")]
    for workers, (rate, _, _) in measured.items():
        goal = "≥ 1.7×" if workers == 2 else ""
        rows.append((f"Ray, {workers} worker{'s' * (workers > 1)}", rate, f"{rate / local_rate:.2f}×", goal))
    for workers, (_, start_up, large) in measured.items():
        name = f"Ray, {workers} worker{'s' * (workers > 1)}"
        rows.append(
            (
                f"{name}: whole {args.large:,}-text job, {start_up:.1f} s start-up",
                args.large / large,
                f"{args.large / local_rate / large:.2f}×",
                "",
            )
        )
    print(
        f"scoring on Ray: local instance with {cpus} CPUs, jobs of {args.small:,} and {args.large:,} Wikipedia "
        f"sentences, shards of {args.shard_size}, batch size {args.batch_size}; rate = {extra:,} texts over the "
        "difference in wall time\n"
    )
    cells = [[name, f"{rate:,.0f}", ratio, goal] for name, rate, ratio, goal in rows]
    print(markdown_table(["measurement", "sentences/s", "vs local 1 process", "goal"], cells, align="lrrl"))
    return rows


if __name__ == "__main__":
    main()
