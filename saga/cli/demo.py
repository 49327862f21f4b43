"""`saga demo`: the main job on the bundled defaults (Wikipedia sample → sentences → parsed summary)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import polars as pl
from tqdm.auto import tqdm

from builders import nlp as nlp_loader
from builders.build import build
from builders.sentences import Sentences
from builders.sources.wikipedia import WikiSource

EXAMPLES = """examples:
  saga demo
  saga demo --out /tmp/saga-demo
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the main job on the bundled Wikipedia sample and print what it did",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=Path("build/demo"))
    parser.add_argument("--pipeline", default="nb_saga_sm")
    parser.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    build(Sentences, args.out / "sentences", inputs={"articles": WikiSource().fingerprint()})
    funnel = json.loads((args.out / "sentences" / "saga" / "funnel.json").read_text())
    for step in funnel:
        print(f"{step['step']:>10}: {step['in']:>6} in → {step['out']:>6} out, dropped {step['dropped']}")
    texts = pl.read_parquet(args.out / "sentences" / "data" / "train-00000-of-00001.parquet")["text"].to_list()
    nlp = nlp_loader.load(args.pipeline)
    pos, verbal_root, tokens = Counter(), 0, 0
    for doc in tqdm(nlp.pipe(texts, batch_size=64), total=len(texts), desc="parsing", unit="sent", disable=None):
        tokens += len(doc)
        pos.update(t.pos_ for t in doc)
        verbal_root += any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in doc)
    print(f"parsed {len(texts)} sentences ({tokens} tokens) with {args.pipeline}")
    print(f"sentences with a verbal root: {verbal_root / max(len(texts), 1):.1%}")
    print("most frequent UPOS: " + ", ".join(f"{tag} {n / tokens:.1%}" for tag, n in pos.most_common(6)))
    return 0
