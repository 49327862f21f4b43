"""`saga demo`: `saga run recipes/demo-cpu.yaml`, the whole pipeline on the bundled sample and tiny model."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path

from saga.cli.build import add_executor_arguments
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option
from saga.errors import RecipeError

DEMO_RECIPE = Path(str(files("saga.recipes") / "demo-cpu.yaml"))
EXAMPLES = """examples:
  saga demo
  saga demo --dry-run

The same as `saga run recipes/demo-cpu.yaml`: bundled Wikipedia sample → datasets → KL-SFT → merge → on-policy
pairs → DPO → evaluation of base, KL-SFT and DPO on held-out prompts, under build/demo-cpu/ (about 10 minutes on
2 CPU cores; a second run skips every finished stage).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help=COMMANDS["demo"][1],
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dry-run", action="store_true", help="validate the recipe and print the plan; run nothing")
    add_executor_arguments(parser)
    add_json_option(parser)
    parser.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from saga.cli.run import run_recipe_command

    if not DEMO_RECIPE.is_file():
        raise RecipeError(f"the demo recipe {DEMO_RECIPE} is missing", hint="reinstall saga")
    args.recipe = DEMO_RECIPE
    return run_recipe_command(args)
