"""`saga nlp`: train, evaluate and inspect the Norwegian spaCy pipeline the scorer parses with."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from saga.builders import nlp as nlp_loader
from saga.builders.nlp import training
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.tables import markdown_table

EXAMPLES = """examples:
  saga nlp evaluate                                  # held-out UPOS/morph/lemma/UAS/LAS of nb_saga_sm
  saga nlp evaluate --pipeline nb_core_news_lg       # the same table for an installed pipeline
  saga nlp train --data ../shared/data --out build/nlp --install
  saga nlp train --data tests/fixtures/treebank --out /tmp/nlp --max-steps 5 --limit 50
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "nlp",
        help=COMMANDS["nlp"][1],
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="nlp_command", metavar="SUBCOMMAND", required=True)

    train = sub.add_parser(
        "train",
        help="prepare the treebanks and train nb_saga_sm (tagger, then parser)",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("--data", type=Path, required=True, help="folder holding ndt_nob/ and ud_nb/")
    train.add_argument("--out", type=Path, default=Path("build/nlp"), help="work folder (corpora, checkpoints)")
    train.add_argument("--max-steps", type=int, default=None, help="stop each stage after N steps (smoke runs)")
    train.add_argument("--limit", type=int, default=None, help="use only N NDT train sentences (smoke runs)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--install", action="store_true", help="copy the result into assets/ (the bundled pipeline)")
    train.set_defaults(func=run_train)

    evaluate = sub.add_parser(
        "evaluate",
        help="score a pipeline on the held-out UD sentences",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("--pipeline", default="nb_saga_sm", help="bundled name, installed package or folder")
    evaluate.add_argument("--heldout", type=Path, default=None, help="CoNLL-U file (default: the bundled held-out)")
    add_json_option(evaluate)
    evaluate.set_defaults(func=run_evaluate)


def run_train(args: argparse.Namespace) -> int:
    corpora = training.prepare(args.data, args.out / "corpus", limit=args.limit)
    print(f"corpora: {json.dumps(corpora.counts)}")
    conversion = corpora.conversion
    print(f"NDT→UD conversion on held-out: UPOS {conversion['upos']:.2%}, FEATS {conversion['feats']:.2%}")
    best = training.train(args.out / "corpus", args.out, max_steps=args.max_steps, seed=args.seed)
    heldout = args.out / "corpus" / "heldout.conllu"
    scores = training.package(best, args.out / "nb_saga_sm", heldout_path=heldout)
    print(format_scores("nb_saga_sm", scores))
    if args.install:
        target = Path(str(nlp_loader.BUNDLED_PIPELINES["nb_saga_sm"]))
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(args.out / "nb_saga_sm", target)
        shutil.copyfile(heldout, Path(str(training.HELDOUT)))
        print(f"installed into {target}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    scores = training.evaluate(nlp_loader.load(args.pipeline), args.heldout)
    emit(args, scores, lambda result: format_scores(args.pipeline, result))
    return 0


def format_scores(name: str, scores: dict[str, float]) -> str:
    """A Markdown table row set, ready for the README."""
    return markdown_table(["pipeline", *scores], [[name, *(f"{v:.1f}" for v in scores.values())]])
