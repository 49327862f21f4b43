"""`saga model train-tiny`: train the bundled tiny Norwegian policy model (the CPU stand-in for NorMistral)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit

EXAMPLES = """examples:
  saga model train-tiny --data ../shared/data --out assets/tiny_nb_mistral
  saga model train-tiny --data ../shared/data --out /tmp/tiny --max-steps 20

Reads news_nb/npk_cc0_bokmaal_sentences.txt and wiki_nb/norquad_wikipedia_nb.jsonl under --data; about
10 minutes on one CPU core with the defaults. Seeded: the same data, settings and library versions give
the same weights.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "model",
        help=COMMANDS["model"][1],
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="model_command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train-tiny",
        help="train the tiny Mistral policy and its BPE tokenizer on the shared Norwegian text",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("--data", type=Path, required=True, metavar="DIR", help="shared data folder (news_nb, wiki_nb)")
    train.add_argument("--out", type=Path, required=True, metavar="DIR", help="model folder to write (replaced)")
    train.add_argument("--max-steps", type=int, default=None, help="optimiser steps (default: the config's 450)")
    train.add_argument("--seed", type=int, default=None, help="seed (default 42)")
    add_json_option(train)
    train.set_defaults(func=run_train_tiny)


def run_train_tiny(args: argparse.Namespace) -> int:
    from saga.trainers.tiny_policy import TinyPolicyConfig, train_tiny_policy

    overrides = {
        key: value for key, value in (("max_steps", args.max_steps), ("seed", args.seed)) if value is not None
    }
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs; results go to stdout below
        record = train_tiny_policy(args.data, args.out, TinyPolicyConfig(**overrides))
    emit(args, {"model": str(args.out), **record}, _tiny_text)
    return 0


def _tiny_text(record: dict) -> str:
    return (
        f"model: {record['model']} ({record['parameters']:,} parameters)\n"
        f"corpus: {record['corpus']['tokens']:,} tokens in {record['corpus']['blocks']:,} blocks\n"
        f"final loss: {record['final_logged_loss']}, mean {record['train_loss']:.4f}, {record['train_seconds']} s"
    )
