"""The `saga` command: wires the command groups together and maps typed errors to one line.

A command group's module imports what its commands run (spaCy, torch, transformers, TRL: seconds), so only the
group of the command being run is imported; `saga --help` and `saga --version` import none.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Iterable

from saga import __version__
from saga.errors import SagaError

# Each command: the `saga.cli` module that registers it, and its one-line help for `saga --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "build, validate and card a versioned dataset"),
    "validate": ("build", "run a dataset folder's great-expectations suite"),
    "card": ("build", "re-render a dataset folder's README.md card"),
    "run": ("run", "run a recipe: datasets, KL-SFT, merge, DPO pairs, DPO and evaluation, skipping finished stages"),
    "demo": ("demo", "run the CPU demo recipe (recipes/demo-cpu.yaml) and print its tables"),
    "train": ("train", "train a KL-SFT or DPO LoRA adapter from dataset revisions (or retrain one from its card)"),
    "merge": ("merge", "merge an SFT adapter into its base model (the SFT checkpoint for generation and DPO)"),
    "eval": ("eval", "evaluate a base model and adapters: grammar, diversity, length, perplexity on held-out data"),
    "push": ("push", "publish a dataset/adapter folder to the Hub as one tagged commit"),
    "score": ("score", "score texts for Bokmål grammar (one JSON object per line)"),
    "scorer": ("score", "evaluate or describe the grammar scorer"),
    "nlp": ("nlp", "train and evaluate the bundled Norwegian spaCy pipeline"),
    "model": ("model", "train the bundled tiny Norwegian policy model"),
}


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The top-level parser: the full sub-commands of `commands` (all when `None`), a help line for the others.

    Args:
        commands (`Iterable[str]`, *optional*): the commands whose modules to import and register.
    """
    parser = argparse.ArgumentParser(
        prog="saga",
        description="Versioned datasets and thin trainers for grammar alignment with verifiable feedback.",
    )
    parser.add_argument("--version", action="version", version=f"saga {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does (to stderr)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = set(COMMANDS) if commands is None else set(commands) & set(COMMANDS)
    modules = sorted({COMMANDS[name][0] for name in wanted})
    for module in modules:
        importlib.import_module(f"saga.cli.{module}").register(subparsers)
    for name, (module, help_text) in COMMANDS.items():
        if module not in modules:
            subparsers.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    # Top-level options take no value, so the first word that is not an option names the command.
    command = next((word for word in argv if not word.startswith("-")), None)
    parser = build_parser([command] if command else [])
    args = parser.parse_args(argv)
    args.argv = list(argv)  # for a command that hands its flags on to a library's parser (saga train: TRL's)
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
