"""Grammar scorer throughput: scorer vs bare `nlp.pipe`, 1 vs 2 processes, cold vs cached, vs a naive loop.

Run: `python -m bench.bench_scorer --texts 2000` (part of `make bench`). Sentences come from the bundled
Wikipedia sample (`assets/wiki_nb/`), split as the corpus builders split them; `--wiki` points elsewhere. Every
measurement parses the same texts with the same pipeline after a warm-up, and prints sentences per second of wall
time. Single-process rows also give the ratio in CPU time of this process, which other load on the machine does
not distort; the two-process row can only be measured in wall time. Its warm-up starts the scorer's worker pool
(`builders.scoring.pool`), which the measured call then reuses, as every later call of a long run does; starting
the pool (each worker loads the pipeline) is a one-off cost of a few seconds and is not measured. Each row is the
fastest of `--repeat` runs (3), as `timeit` advises: on a shared 2-core machine single runs of the same row were
seen 10% apart, and the fastest run is the one least disturbed by other load.

The scorer does not run the components whose output it never reads (`unread_components`: the lemmatizer). The
table therefore also times bare `nlp.pipe` without them, and the scorer's row gives its ratio to both: to the whole
pipeline, which the goal names, and to the parse the scorer itself runs, which shows what its own work costs.

The row with κ = 0 skips the acceptability classifier (`ScoreFormula.acceptability_weight`), so the table shows
what the rules and the n-gram term cost and what the classifier adds.

Goals (issue 3): scorer / bare `nlp.pipe` ≥ 0.90, two processes / one ≥ 1.7×, cached / cold ≥ 50×.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path

from builders import nlp as nlp_loader
from builders.scoring import GrammarScorer, GrammarScorerConfig, ScoreCache, ScoreFormula
from builders.scoring.scorer import unread_components
from builders.text.cleaning import paragraphs
from builders.text.splitting import split_sentences

DEFAULT_WIKI = files("assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
WARM_UP_TEXTS = 50
# The scorer with the acceptability classifier switched off: what the rules and the n-gram term cost alone.
RULES_AND_NGRAM = ScoreFormula(acceptability_weight=0.0)


def load_sentences(path: Path, limit: int) -> list[str]:
    """The first `limit` sentences of the articles in a JSONL file (`title`, `text`), in file order.

    Args:
        path (`Path`): JSONL with one article per line.
        limit (`int`): number of sentences to return.
    """
    sentences: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            for paragraph in paragraphs(article["text"], article.get("title"))[0]:
                sentences.extend(split_sentences(paragraph))
                if len(sentences) >= limit:
                    return sentences[:limit]
    if len(sentences) < limit:
        raise SystemExit(f"{path} holds only {len(sentences)} sentences; ask for --texts {len(sentences)} or fewer")
    return sentences


def seconds(run: Callable[[], Iterable], repeat: int) -> tuple[float, float]:
    """The fastest (wall-clock seconds, CPU seconds of this process) of `repeat` runs exhausting `run()`."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in run():
            pass
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main(argv: list[str] | None = None) -> list[tuple[str, float, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=2000, help="number of sentences to score")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest is reported")
    parser.add_argument("--pipeline", default="nb_saga_sm")
    parser.add_argument("--wiki", type=Path, default=Path(str(DEFAULT_WIKI)), help="JSONL articles (title, text)")
    args = parser.parse_args(argv)

    texts = load_sentences(args.wiki, args.texts)
    n = len(texts)
    nlp = nlp_loader.load(args.pipeline)
    scorer = GrammarScorer(GrammarScorerConfig(pipeline=args.pipeline))
    list(nlp.pipe(texts[:WARM_UP_TEXTS]))
    list(scorer.score_batch(texts[:WARM_UP_TEXTS]))
    list(scorer.score_batch(texts[:WARM_UP_TEXTS], n_process=2))

    repeat = args.repeat
    bare = seconds(lambda: nlp.pipe(texts, batch_size=args.batch_size), repeat)
    skipped = unread_components(nlp)
    with nlp.select_pipes(disable=skipped):
        lean = seconds(lambda: nlp.pipe(texts, batch_size=args.batch_size), repeat)
    naive = seconds(lambda: (nlp(text) for text in texts), repeat)
    one = seconds(lambda: scorer.score_batch(texts, batch_size=args.batch_size, n_process=1), repeat)
    rules_scorer = GrammarScorer(GrammarScorerConfig(pipeline=args.pipeline, formula=RULES_AND_NGRAM))
    list(rules_scorer.score_batch(texts[:WARM_UP_TEXTS]))
    rules = seconds(lambda: rules_scorer.score_batch(texts, batch_size=args.batch_size, n_process=1), repeat)
    two = seconds(lambda: scorer.score_batch(texts, batch_size=args.batch_size, n_process=2), repeat)
    scorer.close()
    with tempfile.TemporaryDirectory() as folder:
        caches: list[ScoreCache] = []
        cached_scorer = GrammarScorer(GrammarScorerConfig(pipeline=args.pipeline))
        list(cached_scorer.score_batch(texts[:WARM_UP_TEXTS]))

        def cold_run() -> Iterable:
            """Score into a new, empty cache, so that every run of the cold row starts cold."""
            caches.append(ScoreCache(Path(folder) / f"scores-{len(caches)}.sqlite"))
            cached_scorer.cache = caches[-1]
            return cached_scorer.score_batch(texts, batch_size=args.batch_size)

        cold = seconds(cold_run, repeat)
        warm = seconds(lambda: cached_scorer.score_batch(texts, batch_size=args.batch_size), repeat)
        for cache in caches:
            cache.close()

    def ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
        return f"{a[0] / b[0]:.2f} (CPU {a[1] / b[1]:.2f})"

    rows = [
        ("bare nlp.pipe (1 process)", n / bare[0], "1.00", ""),
        (
            f"bare nlp.pipe without {', '.join(skipped) or 'nothing'} (what the scorer runs)",
            n / lean[0],
            f"{ratio(bare, lean)} of bare",
            "",
        ),
        ("naive nlp(text) loop", n / naive[0], f"{ratio(bare, naive)} of bare", ""),
        ("scorer without the classifier (κ = 0), 1 process", n / rules[0], f"{ratio(bare, rules)} of bare", ""),
        ("scorer, 1 process", n / one[0], f"{ratio(bare, one)} of bare; {ratio(lean, one)} of its parse", "≥ 0.90"),
        ("scorer, 2 processes", n / two[0], f"{one[0] / two[0]:.2f}× 1 process (wall)", "≥ 1.7×"),
        ("scorer + cache, cold", n / cold[0], f"{ratio(bare, cold)} of bare", ""),
        ("scorer + cache, all cached", n / warm[0], f"{cold[0] / warm[0]:.1f}× cold (wall)", "≥ 50×"),
    ]
    print(
        f"scorer throughput: {n} Wikipedia sentences, batch size {args.batch_size}, pipeline {args.pipeline},"
        f" fastest of {repeat} runs per row"
    )
    print(f"scorer: {scorer.fingerprint}\n")
    print("| measurement | sentences/s | ratio | goal |")
    print("|---|---:|---:|---|")
    for name, rate, text, goal in rows:
        print(f"| {name} | {rate:,.0f} | {text} | {goal} |")
    return rows


if __name__ == "__main__":
    main()
