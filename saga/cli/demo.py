"""`saga demo`: the main job on the bundled defaults — Wikipedia sample → sentences → scored → sft → prompts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from builders.dataset_inputs import read_split_files
from saga.stages import run_stage

EXAMPLES = """examples:
  saga demo
  saga demo --root /tmp/saga-demo
"""
STAGE_ORDER = ("sentences", "scored", "sft", "prompts")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="build the bundled sample's datasets and print what each stage did",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", type=Path, default=Path("build/demo"), help="where the dataset folders go")
    parser.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    print("| stage | state | rows | validation | dropped |")
    print("|---|---|---|---|---|")
    for name in STAGE_ORDER:
        result, report = run_stage(name, root=args.root)
        funnel = json.loads((result.out_dir / "saga" / "funnel.json").read_text())
        dropped = ", ".join(f"{r} {n}" for step in funnel for r, n in step["dropped"].items()) or "-"
        rows = ", ".join(f"{split} {n}" for split, n in result.rows.items())
        state = "reused" if result.reused else "built"
        print(f"| {name} | {state} | {rows} | {report.suite} passed | {dropped} |")
    scored = read_split_files(args.root / "scored", ["score", "parse_success"])
    print(
        f"\nscored sentences: mean grammar score {scored['score'].mean():.3f}, parse success "
        f"{scored['parse_success'].mean():.1%}, share ≥ 0.65: {(scored['score'] >= 0.65).mean():.1%}"
    )
    print(f"dataset folders (cards in README.md): {args.root}/{{{','.join(STAGE_ORDER)}}}")
    return 0
