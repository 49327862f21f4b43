"""`saga run RECIPE.yaml`: the whole pipeline from one file, each finished stage skipped; `--dry-run` plans only."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from saga.cli.build import add_executor_arguments, executor_setting
from saga.tables import markdown_table

EXAMPLES = """examples:
  saga run recipes/demo-cpu.yaml
  saga run recipes/normistral-nb-klsft-delta-dpo.yaml --dry-run
  saga -v run recipes/demo-cpu.yaml
  saga run recipes/normistral-nb-klsft-delta-dpo.yaml --executor ray --ray-address auto --num-workers 32

Stages, in order: sentences → scored → sft → prompts → kl_sft → merge → completions → scored_completions →
pairs → dpo → eval (→ push). A stage whose output folder already has the same fingerprint (settings + inputs +
code) is skipped, so a second run takes seconds. --dry-run validates the recipe and prints the plan without
reading any data or contacting the Hub.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a recipe: datasets, KL-SFT, merge, DPO pairs, DPO and evaluation, skipping finished stages",
        description="Run every stage of a recipe file in order; stages whose output is up to date are skipped.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("recipe", type=Path, metavar="RECIPE.yaml", help="the recipe file (see recipes/)")
    parser.add_argument("--dry-run", action="store_true", help="validate the recipe and print the plan; run nothing")
    add_executor_arguments(parser)
    parser.set_defaults(func=run_recipe_command)


def run_recipe_command(args: argparse.Namespace) -> int:
    from saga.recipe import load_recipe

    recipe = load_recipe(args.recipe, check_only=args.dry_run)
    executor = executor_setting(args)
    if executor is not None:  # the flags win over the recipe's executor section
        recipe = dataclasses.replace(recipe, executor=executor)
    print_plan(recipe)
    if args.dry_run:
        return 0
    from saga.cli.train import quiet_progress
    from saga.pipeline import run_recipe

    if not getattr(args, "verbose", False):
        quiet_progress()
    result = run_recipe(recipe, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print_summary(recipe, result)
    return 0


def print_plan(recipe) -> None:
    """The stages in order, each with what it reads, writes, and the settings the recipe gives it."""
    print(f"recipe {recipe.name} ({recipe.path}) → {recipe.root}")
    if recipe.description:
        print(f"  {recipe.description}")
    for index, step in enumerate(recipe.plan(), 1):
        print(f"{index:>2}. {step.name}: {step.what}")
        print(f"      reads: {'; '.join(step.inputs)}")
        print(f"      writes: {step.output}")
        if step.settings:
            shown = ", ".join(f"{key}={value}" for key, value in step.settings.items())
            print(f"      settings: {shown}")
    print()


def print_summary(recipe, result) -> None:
    """The stage table, the SFT/pairs statistics and the evaluation table of base → KL-SFT → DPO."""
    from saga.pipeline import pair_statistics
    from saga.trainers.evaluation import format_table

    stages = [[o.name, o.state, f"{o.seconds:.1f}", o.output, o.detail] for o in result.outcomes]
    print(markdown_table(["stage", "state", "seconds", "output", "detail"], stages))
    total = sum(outcome.seconds for outcome in result.outcomes)
    print(f"\ntotal: {total:.1f} s")
    stats = pair_statistics(recipe)
    sft_rows = ", ".join(f"{split} {n}" for split, n in sorted(stats["sft_rows"].items()))
    pairs_rows = ", ".join(f"{split} {n}" for split, n in sorted(stats["pairs_rows"].items()))
    print(f"\nSFT rows: {sft_rows}")
    print(
        f"pairs: {pairs_rows}; train: mean chosen {stats['mean_chosen']:.3f}, mean rejected "
        f"{stats['mean_rejected']:.3f}, mean delta {stats['mean_delta']:.3f}"
    )
    if result.evaluation is not None:
        report = result.evaluation
        print(
            f"\nheld-out evaluation: {report['prompts']['rows']} prompts × {report['settings']['n_samples']} "
            f"completions, perplexity on {report['heldout']['rows']} held-out sentences"
        )
        print(format_table(report["rows"]))
