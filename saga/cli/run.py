"""`saga run RECIPE.yaml`: the whole pipeline from one file, each finished stage skipped; `--dry-run` plans only."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from saga.cli.build import add_executor_arguments, executor_setting
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
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
        help=COMMANDS["run"][1],
        description="Run every stage of a recipe file in order; stages whose output is up to date are skipped.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("recipe", type=Path, metavar="RECIPE.yaml", help="the recipe file (see recipes/)")
    parser.add_argument("--dry-run", action="store_true", help="validate the recipe and print the plan; run nothing")
    add_executor_arguments(parser)
    add_json_option(parser)
    parser.set_defaults(func=run_recipe_command)


def run_recipe_command(args: argparse.Namespace) -> int:
    from saga.recipe import load_recipe

    recipe = load_recipe(args.recipe, check_only=args.dry_run)
    executor = executor_setting(args)
    if executor is not None:  # the flags win over the recipe's executor section
        recipe = dataclasses.replace(recipe, executor=executor)
    plan = recipe_plan(recipe)
    if args.dry_run:
        emit(args, plan, plan_text)
        return 0
    if not getattr(args, "json", False):  # people see the plan before the minutes of running
        print(plan_text(plan))
    from saga.cli.train import quiet_progress
    from saga.pipeline import run_recipe

    if not getattr(args, "verbose", False):
        quiet_progress()
    result = run_recipe(recipe, progress=lambda line: print(line, file=sys.stderr, flush=True))
    emit(args, {**plan, **run_summary(recipe, result)}, summary_text)
    return 0


def recipe_plan(recipe) -> dict:
    """The recipe and its stages in order, each with what it reads, writes, and the settings the recipe gives it."""
    steps = [
        {"name": s.name, "what": s.what, "inputs": s.inputs, "output": s.output, "settings": s.settings}
        for s in recipe.plan()
    ]
    return {
        "recipe": recipe.name,
        "path": str(recipe.path),
        "root": str(recipe.root),
        "description": recipe.description,
        "plan": steps,
    }


def plan_text(plan: dict) -> str:
    lines = [f"recipe {plan['recipe']} ({plan['path']}) → {plan['root']}"]
    if plan["description"]:
        lines.append(f"  {plan['description']}")
    for index, step in enumerate(plan["plan"], 1):
        lines += [
            f"{index:>2}. {step['name']}: {step['what']}",
            f"      reads: {'; '.join(step['inputs'])}",
            f"      writes: {step['output']}",
        ]
        if step["settings"]:
            lines.append(f"      settings: {', '.join(f'{key}={value}' for key, value in step['settings'].items())}")
    return "\n".join(lines) + "\n"


def run_summary(recipe, result) -> dict:
    """The stages run, the SFT and pairs statistics, and the evaluation report of base → KL-SFT → DPO."""
    from saga.pipeline import pair_statistics

    stages = [
        {"name": o.name, "state": o.state, "seconds": o.seconds, "output": str(o.output), "detail": o.detail}
        for o in result.outcomes
    ]
    return {"stages": stages, "statistics": pair_statistics(recipe), "evaluation": result.evaluation}


def summary_text(summary: dict) -> str:
    from saga.trainers.evaluation import format_table

    stages = [[s["name"], s["state"], f"{s['seconds']:.1f}", s["output"], s["detail"]] for s in summary["stages"]]
    stats = summary["statistics"]
    sft_rows = ", ".join(f"{split} {n}" for split, n in sorted(stats["sft_rows"].items()))
    pairs_rows = ", ".join(f"{split} {n}" for split, n in sorted(stats["pairs_rows"].items()))
    lines = [
        markdown_table(["stage", "state", "seconds", "output", "detail"], stages),
        f"\ntotal: {sum(s['seconds'] for s in summary['stages']):.1f} s",
        f"\nSFT rows: {sft_rows}",
        f"pairs: {pairs_rows}; train: mean chosen {stats['mean_chosen']:.3f}, mean rejected "
        f"{stats['mean_rejected']:.3f}, mean delta {stats['mean_delta']:.3f}",
    ]
    report = summary["evaluation"]
    if report is not None:
        lines.append(
            f"\nheld-out evaluation: {report['prompts']['rows']} prompts × {report['settings']['n_samples']} "
            f"completions, perplexity on {report['heldout']['rows']} held-out sentences"
        )
        lines.append(format_table(report["rows"]))
    return "\n".join(lines)
