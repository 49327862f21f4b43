"""Build time and peak memory of the corpus builders: the bundled sample vs a 10× larger synthetic corpus.

Run: `python -m bench.bench_builders [--scale 10]` (part of `make bench`). Each build runs in a fresh subprocess
so its peak RSS is its own. The synthetic corpus repeats the bundled articles `scale` times, each copy with its own
ids and a copy number inside every sentence (so deduplication does not collapse it). Peak memory should stay
flat as the corpus grows: articles are processed in batches and scores stream through the scorer's batches.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from saga.builders.sources.wikipedia import BUNDLED_PATH
from saga.stages import run_stage
from saga.tables import markdown_table

STAGES = ("sentences", "scored")


def synthetic_corpus(target: Path, scale: int) -> Path:
    """Write `scale` numbered copies of the bundled articles as JSONL; returns the path."""
    articles = [json.loads(line) for line in Path(str(BUNDLED_PATH)).read_text(encoding="utf-8").splitlines()]
    with target.open("w", encoding="utf-8") as handle:
        for copy in range(scale):
            for article in articles:
                text = article["text"] if copy == 0 else re.sub(r"\.(\s|$)", rf" ({copy}).\1", article["text"])
                row = {"id": f"{article['id']}-{copy}", "title": article["title"], "text": text}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return target


def child(stage: str, source: str, root: Path) -> None:
    """Build one stage in this process and print its wall time, rows and peak RSS as JSON."""
    start = time.perf_counter()
    config = {"source": source} if stage == "sentences" else {}
    result, _ = run_stage(stage, config, root=root)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": sum(result.rows.values()), "peak_mb": peak_mb}))


def measure(stage: str, source: str, root: Path) -> dict:
    command = [sys.executable, "-m", "bench.bench_builders", "--child", stage, "--source", source, "--root", str(root)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="size of the synthetic corpus, in bundled samples")
    parser.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--source", default="bundled", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.source, args.root)
        return []
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big = str(synthetic_corpus(Path(tmp) / f"wiki_x{args.scale}.jsonl", args.scale))
        for label, source in [("bundled sample", "bundled"), (f"{args.scale}× synthetic", big)]:
            root = Path(tmp) / label.replace(" ", "_")
            for stage in STAGES:
                rows.append({"corpus": label, "stage": stage, **measure(stage, source, root)})
    cells = [
        [
            r["corpus"],
            r["stage"],
            r["rows"],
            f"{r['seconds']:.1f}",
            f"{r['rows'] / r['seconds']:.0f}",
            f"{r['peak_mb']:.0f}",
        ]
        for r in rows
    ]
    print(markdown_table(["corpus", "stage", "rows", "seconds", "rows/s", "peak RSS (MB)"], cells))
    small, large = rows[: len(STAGES)], rows[len(STAGES) :]
    for a, b in zip(small, large, strict=True):
        print(
            f"{a['stage']}: {b['rows'] / a['rows']:.1f}× rows → {b['seconds'] / a['seconds']:.1f}× time, "
            f"{b['peak_mb'] / a['peak_mb']:.2f}× peak memory"
        )
    return rows


if __name__ == "__main__":
    main()
