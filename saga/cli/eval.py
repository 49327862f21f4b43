"""`saga eval`: a base model and its adapters on held-out prompts and sentences; eval.json and card tables."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from saga.cli.config_flags import add_config_arguments, config_arguments
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit

EXAMPLES = """examples:
  saga eval --model tiny_nb_mistral --adapter runs/sft --prompts build/demo/prompts --heldout-text build/demo/sft
  saga eval --model tiny_nb_mistral --adapter build/demo-cpu/models/kl-sft --adapter build/demo-cpu/models/dpo \\
      --prompts build/demo-cpu/datasets/prompts --heldout-text build/demo-cpu/datasets/sft --n_samples 2
  saga eval --model norallm/normistral-7b-warm-instruct@main --adapter runs/sft --prompts my-prompts \\
      --heldout-text my-sft --backend vllm --json

Each adapter is applied to the base its saga/training.json records (a DPO adapter: the merged SFT checkpoint).
Every model completes the same prompts with the same seeds; the table shows parse success, mean grammar score,
MATTR, distinct-2, mean length (words) and perplexity on the held-out texts. eval.json and an Evaluation section
of the card are written into each adapter folder. Sampling flags are the fields of EvalConfig.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    from saga.trainers.eval_config import EvalConfig

    parser = subparsers.add_parser(
        "eval",
        help=COMMANDS["eval"][1],
        description="Evaluate a base model and LoRA adapters on held-out prompts and sentences.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--model", required=True, metavar="REF", help="base model: tiny_nb_mistral, folder, ORG/NAME@REV"
    )
    parser.add_argument("--adapter", action="append", default=[], type=Path, metavar="DIR", help="adapter folder")
    parser.add_argument("--prompts", required=True, type=Path, metavar="DIR", help="prompts dataset folder")
    parser.add_argument(
        "--heldout-text", required=True, type=Path, metavar="DIR", help="dataset folder with a text column (SFT)"
    )
    parser.add_argument("--pipeline", default="nb_saga_sm", help="spaCy pipeline of the grammar scorer")
    add_json_option(parser)
    add_config_arguments(parser.add_argument_group("evaluation settings (EvalConfig)"), EvalConfig)
    parser.set_defaults(func=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from saga.builders.scoring.scorer import GrammarScorerConfig
    from saga.cli.train import quiet_progress
    from saga.errors import InputDataError
    from saga.trainers.eval_config import EvalConfig
    from saga.trainers.evaluation import (
        EvalModel,
        adapter_model,
        evaluate_models,
        format_table,
        write_adapter_evaluation,
    )

    if not getattr(args, "verbose", False):
        quiet_progress()
    try:
        config = EvalConfig(**config_arguments(args, EvalConfig))
    except ValueError as err:
        raise InputDataError(f"invalid evaluation settings: {err}") from err
    models = [EvalModel("base", args.model)]
    for folder in args.adapter:
        model = adapter_model(folder)
        if any(model.label == seen.label for seen in models):  # two adapters of one kind: name them by folder
            model = adapter_model(folder, f"{model.label} ({folder})")
        models.append(model)
    with contextlib.redirect_stdout(sys.stderr):
        report = evaluate_models(
            models, args.prompts, args.heldout_text, config, GrammarScorerConfig(pipeline=args.pipeline)
        )
    for folder in args.adapter:
        write_adapter_evaluation(report, folder)
    written = [
        f"wrote {folder / 'eval.json'} and the Evaluation section of {folder / 'README.md'}" for folder in args.adapter
    ]
    emit(args, report, lambda result: "\n".join([format_table(result["rows"]), *written]))
    return 0
