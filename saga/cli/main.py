"""The `saga` command: wires the command groups together and maps typed errors to one line."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from saga import __version__
from saga.cli import build as build_cli
from saga.cli import demo as demo_cli
from saga.cli import eval as eval_cli
from saga.cli import merge as merge_cli
from saga.cli import model as model_cli
from saga.cli import nlp as nlp_cli
from saga.cli import push as push_cli
from saga.cli import run as run_cli
from saga.cli import score as score_cli
from saga.cli import train as train_cli
from saga.errors import SagaError

GROUPS = [build_cli, demo_cli, eval_cli, merge_cli, model_cli, nlp_cli, push_cli, run_cli, score_cli, train_cli]


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with one sub-command per registered group."""
    parser = argparse.ArgumentParser(
        prog="saga",
        description="Versioned datasets and thin trainers for grammar alignment with verifiable feedback.",
    )
    parser.add_argument("--version", action="version", version=f"saga {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does (to stderr)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args) or 0)
    except SagaError as err:
        if os.environ.get("SAGA_DEBUG") == "1":
            raise
        print(format_error(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("saga: interrupted", file=sys.stderr)
        return 130


def format_error(err: SagaError) -> str:
    """One line for the error, plus a hint line when the error carries one."""
    text = f"saga: error: {err}"
    if err.hint:
        text += f"\nhint: {err.hint}"
    return text


if __name__ == "__main__":
    sys.exit(main())
