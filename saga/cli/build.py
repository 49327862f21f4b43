"""`saga build`: run a dataset builder into a dataset folder in Hub layout."""

from __future__ import annotations

import argparse
from pathlib import Path

from builders.build import build
from builders.sentences import Sentences
from builders.sources.wikipedia import WikiSource

EXAMPLES = """examples:
  saga build sentences                                   # bundled Wikipedia sample → build/datasets/sentences
  saga build sentences --source wiki.parquet --out out/sentences
  saga build sentences --source wikimedia/wikipedia --source-config 20231101.nb --max-articles 1000
"""
DEFAULT_ROOT = Path("build/datasets")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build a versioned dataset",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="dataset", metavar="DATASET", required=True)
    sentences = sub.add_parser(
        "sentences",
        help="Wikipedia articles → clean Bokmål sentences",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sentences.add_argument("--source", default="bundled", help="bundled, a parquet/JSONL file or folder, or a Hub id")
    sentences.add_argument("--source-config", default=None, help="Hub config (default 20231101.nb)")
    sentences.add_argument("--max-articles", type=int, default=None)
    sentences.add_argument("--out", type=Path, default=DEFAULT_ROOT / "sentences")
    sentences.set_defaults(func=run_sentences)


def run_sentences(args: argparse.Namespace) -> int:
    kwargs = {"source": args.source, "max_articles": args.max_articles}
    if args.source_config:
        kwargs["source_config"] = args.source_config
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    source = WikiSource(kwargs["source"], kwargs.get("source_config", "20231101.nb"))
    result = build(Sentences, args.out, kwargs, inputs={"articles": source.fingerprint()})
    state = "up to date" if result.reused else "built"
    print(f"{result.out_dir}: {state}, rows {result.rows}, fingerprint {result.fingerprint}")
    return 0
