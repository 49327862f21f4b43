"""Grammar scorer throughput: scorer vs bare `nlp.pipe`, 1 vs 2 processes, cold vs cached, vs a naive loop.

Run: `python -m bench.bench_scorer --texts 2000` (part of `make bench`). Sentences come from the bundled
Wikipedia sample (`assets/wiki_nb/`), split as the corpus builders split them; `--wiki` points elsewhere. Every
measurement parses the same texts with the same pipeline after a warm-up, and prints sentences per second of wall
time. Single-process rows also give the ratio in CPU time of this process, which other load on the machine does
not distort; the two-process row can only be measured in wall time. Its warm-up starts the scorer's worker pool
(`saga.builders.scoring.pool`), which the measured call then reuses, as every later call of a long run does; starting
the pool (each worker loads the pipeline) is a one-off cost of a few seconds and is not measured. Each row is the
fastest of `--repeat` runs (3), as `timeit` advises: on a shared 2-core machine single runs of the same row were
seen 10% apart, and the fastest run is the one least disturbed by other load. The runs go in rounds, each round
running every row once (`interleaved_seconds`): rows timed one after another each met their own stretch of the
machine's drift, and single bench runs put one process anywhere from 0.64 to 0.96 of bare.

The scorer does not run the components whose output it never reads (`unread_components`: the lemmatizer). The
table therefore also times bare `nlp.pipe` without them, and the scorer's row gives its ratio to both: to the whole
pipeline, which the goal names, and to the parse the scorer itself runs, which shows what its own work costs.

The default scorer runs without the acceptability classifier (κ = 0, `ScoreFormula.acceptability_weight`); a row
with the classifier switched on (κ = `TUNED_ACCEPTABILITY_WEIGHT`) shows what it would add.

A second table says where one process's time goes, in CPU seconds per 1,000 sentences: the parse the scorer runs
(the row above), then, each timed alone on the same docs (`time_parts`), the components it skips, its sentence
starts and its scoring component, with the rules and n-gram term inside it, and the classifier's input ids and
forward passes when it is switched on; and what the speed goal leaves for everything the scorer adds, (parse +
skipped components) / 0.90 − parse. Parts timed alone do not drift with the machine from one row to the next.
Beside them stands a floor under the classifier's time (`classifier_floor`): its forward passes' multiply-adds
(`AcceptabilityNet.multiply_adds`) over the fastest rate at which this machine multiplies a batch's tokens by one of
the network's weight matrices on one thread (torch's `mm`).

A third table times each rule alone on the same parsed docs (CPU milliseconds per 1,000 sentences, the docs'
shared tables built before the clock starts), the ten costliest first: where a faster scorer would start.

Goals: the default scorer / bare `nlp.pipe` ≥ 0.90, two processes / one ≥ 1.7×, cached / cold ≥ 50×.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path

import torch

from saga.builders import nlp as nlp_loader
from saga.builders.scoring import GrammarScorer, GrammarScorerConfig, ScoreCache, ScoreFormula
from saga.builders.scoring.acceptability import AcceptabilityNet
from saga.builders.scoring.component import COMPONENT_NAME
from saga.builders.scoring.formula import TUNED_ACCEPTABILITY_WEIGHT
from saga.builders.scoring.rules.annotation import tables
from saga.builders.scoring.scorer import unread_components
from saga.builders.scoring.segmentation import COMPONENT_NAME as SENTENCE_STARTS
from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.tables import markdown_table
from saga.threads import torch_threads

DEFAULT_WIKI = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
WARM_UP_TEXTS = 50
# The scorer with the acceptability classifier switched off: what the rules and the n-gram term cost alone.
WITH_CLASSIFIER = ScoreFormula(acceptability_weight=TUNED_ACCEPTABILITY_WEIGHT)
RULE_ROWS = 10
# Matrix products per timed run of the floor's rate: one product of a batch takes well under a millisecond.
PRODUCTS_PER_RUN = 20


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
    return interleaved_seconds({"run": run}, repeat)["run"]


def interleaved_seconds(runs: dict[str, Callable[[], Iterable]], repeat: int) -> dict[str, tuple[float, float]]:
    """The fastest (wall-clock seconds, CPU seconds) of each of `runs` over `repeat` rounds that run each once.

    Why rounds: this machine's speed drifts over minutes, and rows timed one after another each see their own stretch
    of it; a ratio of two rows then measures the drift as much as the rows. In rounds every row meets each stretch.

    Args:
        runs (`dict[str, Callable[[], Iterable]]`): name → a call whose result is exhausted in the timing.
        repeat (`int`): rounds.
    """
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in run():
                pass
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    return {name: (min(walls[name]), min(cpus[name])) for name in runs}


def time_parts(
    scorer: GrammarScorer, classified: GrammarScorer, texts: list[str], batch_size: int, repeat: int
) -> dict[str, float]:
    """CPU seconds of each part of one process's work, timed alone on the same parsed docs (fastest of `repeat`).

    Returns `unread` (the components the scorer skips, `unread_components`, run on the parsed docs), `starts` (the
    sentence starts set on the tokenised docs), `component` (the default scoring component on the parsed docs),
    `rules` (the rules and the n-gram term: `analyse` of every doc), `classifier` (the input ids and forward passes
    of the classifier when switched on, a batch of docs at a time); and, from `classifier_floor`, `floor` and
    `gflops`. Parts timed alone do not drift with the machine from one row to the next, as the throughput rows do.

    Args:
        scorer (`GrammarScorer`): the default scorer, whose parts are timed.
        classified (`GrammarScorer`): the same scorer with the classifier switched on.
        texts (`list[str]`): the bench's texts.
        batch_size (`int`): docs per call, as in the measured rows.
        repeat (`int`): runs per part.
    """
    nlp, component = scorer.nlp, scorer.nlp.get_pipe(COMPONENT_NAME)
    classifier = classified.nlp.get_pipe(COMPONENT_NAME)
    starts = nlp.get_pipe(SENTENCE_STARTS)
    tokenised = [nlp.make_doc(text) for text in texts]
    with nlp.select_pipes(disable=[COMPONENT_NAME]):
        docs = list(nlp.pipe(texts, batch_size=batch_size))
    skipped = [nlp.get_pipe(name) for name in nlp.disabled]  # what `unread_components` named
    batches = [docs[start : start + batch_size] for start in range(0, len(docs), batch_size)]
    worded = [[a.worded if a else [] for a in map(component.analyse, batch)] for batch in batches]
    lengths = [
        len(row)
        for batch, sentences in zip(batches, worded, strict=True)
        for doc, sents in zip(batch, sentences, strict=True)
        for row in classifier.classifier_rows(doc, sents)
    ]
    floor, gflops = classifier_floor(
        classifier.acceptability.net, lengths, max(1, round(sum(lengths) * batch_size / len(texts))), repeat
    )

    def cpu(run: Callable[[], Iterable]) -> float:
        return seconds(run, repeat)[1]

    return {
        "unread": cpu(lambda: [d for pipe in skipped for d in pipe.pipe(docs, batch_size=batch_size)]),
        "starts": cpu(lambda: [starts(doc) for doc in tokenised]),
        "component": cpu(lambda: component.pipe(docs, batch_size=batch_size)),
        "rules": cpu(lambda: [component.analyse(doc) for doc in docs]),
        "classifier": cpu(
            lambda: [classifier.sentence_acceptability(b, w) for b, w in zip(batches, worded, strict=True)]
        ),
        "floor": floor,
        "gflops": gflops,
    }


def time_rules(scorer: GrammarScorer, texts: list[str], batch_size: int) -> dict[str, float]:
    """CPU seconds of each rule over the parsed texts, each doc's shared tables (`annotation.tables`) built before
    its rules are timed, so a rule's time is its own.

    Args:
        scorer (`GrammarScorer`): the scorer whose rules are timed.
        texts (`list[str]`): the bench's texts.
        batch_size (`int`): docs per parse call.
    """
    component = scorer.nlp.get_pipe(COMPONENT_NAME)
    with scorer.nlp.select_pipes(disable=[COMPONENT_NAME]):
        docs = list(scorer.nlp.pipe(texts, batch_size=batch_size))
    for doc in docs:  # warm the lexicon, speller and tables caches the rules fill on first use
        component.analyse(doc)
    spent = dict.fromkeys(component.rules.rules, 0.0)
    for doc in docs:
        tables(doc)
        for rule_id, rule in component.rules.rules.items():
            start = time.process_time()
            for _ in rule(doc):
                pass
            spent[rule_id] += time.process_time() - start
    return spent


def classifier_floor(net: AcceptabilityNet, lengths: list[int], batch_tokens: int, repeat: int) -> tuple[float, float]:
    """(CPU seconds under which `net` cannot read sentences of these lengths on one thread, the rate in GFLOP/s).

    The rate is the fastest at which this machine multiplies `batch_tokens` rows by one of the network's LSTM weight
    matrices on one thread: its input products of every layer and its recurrent products are each such a product.

    Args:
        net (`AcceptabilityNet`): the classifier's network.
        lengths (`list[int]`): the token count of each sentence it reads.
        batch_tokens (`int`): rows per product (the tokens of one batch of docs).
        repeat (`int`): runs per weight shape; the fastest counts.
    """
    shapes = {tuple(w.shape) for name, w in net.encoder.named_parameters() if name.startswith("weight_")}
    rates = []
    with torch_threads(1), torch.inference_mode():
        for rows, columns in sorted(shapes):
            tokens, weight = torch.randn(batch_tokens, columns), torch.randn(columns, rows)
            cpu = seconds(lambda t=tokens, w=weight: [torch.mm(t, w) for _ in range(PRODUCTS_PER_RUN)], repeat)[1]
            rates.append(PRODUCTS_PER_RUN * batch_tokens * rows * columns / max(cpu, 1e-9))
    return net.multiply_adds(lengths) / max(rates), 2 * max(rates) / 1e9


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
    skipped = unread_components(nlp)
    classified = GrammarScorer(GrammarScorerConfig(pipeline=args.pipeline, formula=WITH_CLASSIFIER))
    cached_scorer = GrammarScorer(GrammarScorerConfig(pipeline=args.pipeline))
    for warmed in (classified, cached_scorer):
        list(warmed.score_batch(texts[:WARM_UP_TEXTS]))

    def lean_run() -> list:
        with nlp.select_pipes(disable=skipped):
            return list(nlp.pipe(texts, batch_size=args.batch_size))

    with tempfile.TemporaryDirectory() as folder:
        caches: list[ScoreCache] = []

        def cold_run() -> Iterable:
            """Score into a new, empty cache, so that every run of the cold row starts cold."""
            caches.append(ScoreCache(Path(folder) / f"scores-{len(caches)}.sqlite"))
            cached_scorer.cache = caches[-1]
            return cached_scorer.score_batch(texts, batch_size=args.batch_size)

        timed = interleaved_seconds(
            {
                "bare": lambda: nlp.pipe(texts, batch_size=args.batch_size),
                "lean": lean_run,
                "naive": lambda: (nlp(text) for text in texts),
                "one": lambda: scorer.score_batch(texts, batch_size=args.batch_size, n_process=1),
                "classified": lambda: classified.score_batch(texts, batch_size=args.batch_size, n_process=1),
                "two": lambda: scorer.score_batch(texts, batch_size=args.batch_size, n_process=2),
                "cold": cold_run,
                # Right after a cold run: its cache holds every text.
                "warm": lambda: cached_scorer.score_batch(texts, batch_size=args.batch_size),
            },
            repeat,
        )
        for cache in caches:
            cache.close()
    scorer.close()
    bare, lean, naive, one, with_classifier, two, cold, warm = (
        timed[name] for name in ("bare", "lean", "naive", "one", "classified", "two", "cold", "warm")
    )
    parts = time_parts(scorer, classified, texts, args.batch_size, repeat)
    rules = time_rules(scorer, texts, args.batch_size)

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
        (
            "scorer (default, κ = 0), 1 process",
            n / one[0],
            f"{ratio(bare, one)} of bare; {ratio(lean, one)} of its parse",
            "≥ 0.90",
        ),
        (
            f"scorer with the classifier (κ = {TUNED_ACCEPTABILITY_WEIGHT:g}), 1 process",
            n / with_classifier[0],
            f"{ratio(bare, with_classifier)} of bare",
            "",
        ),
        ("scorer, 2 processes", n / two[0], f"{one[0] / two[0]:.2f}× 1 process (wall)", "≥ 1.7×"),
        ("scorer + cache, cold", n / cold[0], f"{ratio(bare, cold)} of bare", ""),
        ("scorer + cache, all cached", n / warm[0], f"{cold[0] / warm[0]:.1f}× cold (wall)", "≥ 50×"),
    ]
    print(
        f"scorer throughput: {n} Wikipedia sentences, batch size {args.batch_size}, pipeline {args.pipeline},"
        f" fastest of {repeat} rounds that run every row once"
    )
    print(f"scorer: {scorer.fingerprint}\n")
    cells = [[name, f"{rate:,.0f}", text, goal] for name, rate, text, goal in rows]
    print(markdown_table(["measurement", "sentences/s", "ratio", "goal"], cells, align="lrrl"))

    per_thousand = 1000 / n
    unread = ", ".join(skipped) or "no component"
    budget = [
        ("parse the scorer runs (the row above)", lean[1]),
        (f"{unread}, which bare runs and the scorer does not", parts["unread"]),
        ("sentence starts", parts["starts"]),
        ("scoring component: rules, n-gram term, results", parts["component"]),
        ("  of which the rules and the n-gram term", parts["rules"]),
        ("the acceptability classifier when switched on (input ids and forward passes)", parts["classifier"]),
        (f"floor under the classifier: its arithmetic at {parts['gflops']:.0f} GFLOP/s on one thread", parts["floor"]),
        (
            f"what ≥ 0.90 of bare leaves for all the scorer adds: (parse + {unread}) / 0.90 − parse",
            (lean[1] + parts["unread"]) / 0.9 - lean[1],
        ),
    ]
    print("\nwhere one process's time goes (CPU seconds per 1,000 sentences; each part but the parse timed alone)\n")
    print(markdown_table(["part", "seconds"], [[name, f"{cpu * per_thousand:.2f}"] for name, cpu in budget], "lr"))
    print(f"\nthe {RULE_ROWS} costliest rules (CPU milliseconds per 1,000 sentences, each timed alone)\n")
    costliest = sorted(rules.items(), key=lambda item: -item[1])[:RULE_ROWS]
    cells = [[rule_id, f"{cpu * per_thousand * 1000:.1f}"] for rule_id, cpu in costliest]
    cells.append([f"all {len(rules)} rules", f"{sum(rules.values()) * per_thousand * 1000:.1f}"])
    print(markdown_table(["rule", "ms"], cells, align="lr"))
    return rows


if __name__ == "__main__":
    main()
