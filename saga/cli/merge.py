"""`saga merge`: fold a KL-SFT adapter into its base model, the SFT checkpoint that generation and DPO use."""

from __future__ import annotations

import argparse
from pathlib import Path

from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.errors import InputDataError

EXAMPLES = """examples:
  saga merge runs/sft --out runs/sft-merged
  saga merge my-org/nb-sft-lora@v1.0.0 --out runs/sft-merged --dtype bfloat16

The adapter comes first, as the folder does in `saga push DIR` (`--adapter REF` is accepted too).

The base model is the one recorded in the adapter's saga/training.json, loaded at the recorded revision.
The merged folder holds the weights, the tokenizer, a card and saga/merge.json (adapter + base provenance).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge",
        help=COMMANDS["merge"][1],
        description="Merge a LoRA adapter into the base model it was trained on and save a standalone model.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("adapter", nargs="?", metavar="ADAPTER", help="adapter folder or ORG/NAME@REV")
    parser.add_argument("--adapter", dest="adapter_option", metavar="REF", help=argparse.SUPPRESS)
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="merged model folder to write")
    parser.add_argument("--dtype", choices=("float32", "bfloat16"), default="float32", help="weights dtype")
    add_json_option(parser)
    parser.set_defaults(func=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    from saga.cli.train import quiet_progress
    from saga.trainers.merge import merge_adapter

    adapter = args.adapter or args.adapter_option
    if not adapter or (args.adapter and args.adapter_option):
        raise InputDataError("name the adapter once: saga merge ADAPTER --out DIR")
    if not getattr(args, "verbose", False):
        quiet_progress()
    merge = merge_adapter(adapter, args.out, dtype=args.dtype)
    emit(args, {"merged": str(args.out), **merge}, _merge_text)
    return 0


def _merge_text(merge: dict) -> str:
    adapter, base = merge["adapter"], merge["base_model"]
    return (
        f"merged: {merge['merged']}\nadapter: {adapter['ref']} (sha256 {adapter['adapter_sha256']})\n"
        f"base model: {base['ref']} @ {base['revision']}"
    )
