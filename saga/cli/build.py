"""`saga build`, `saga validate`, `saga card`: dataset folders in Hub layout, checked and described."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import yaml

from saga.builders.executor import EXECUTOR_TYPES, RayExecutor
from saga.builders.funnel import Funnel
from saga.cards.dataset import render_dataset_card
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.errors import ExecutorError, InputDataError
from saga.recipe import EXECUTOR_STAGES
from saga.stages import DEFAULT_ROOT, STAGES, card_section, run_stage, stage_of
from saga.validation.runner import validate_dataset

EXAMPLES = """examples:
  saga build sentences                          # bundled Wikipedia sample → build/datasets/sentences
  saga build sentences --input my_articles.jsonl   # your own articles: id, title, text (JSONL or parquet)
  saga build sft --config sft.yaml --out out/sft
  saga build completions --config gen.yaml      # e.g. model: runs/sft-merged, backend: vllm, n_samples: 8
  saga build pairs --config pairs.yaml          # reads scored_completions; e.g. strategy: all
  saga build scored --executor ray --ray-address auto --num-workers 16   # score on a Ray cluster
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = subparsers.add_parser("build", help=COMMANDS["build"][1], epilog=EXAMPLES, formatter_class=fmt)
    parser.add_argument("dataset", choices=sorted(STAGES), help="which dataset to build")
    parser.add_argument("--config", type=Path, help="YAML file of builder config fields (default: the defaults)")
    parser.add_argument(
        "--input",
        help="the previous stage's folder (default: ROOT/<stage>); for sentences, the articles: a JSONL or parquet "
        "file with id, title and text, or a Hub dataset id",
    )
    parser.add_argument("--out", type=Path, help="the dataset folder to write (default: ROOT/<dataset>)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="default location of all stages")
    add_executor_arguments(parser)
    add_json_option(parser)
    parser.set_defaults(func=run_build)

    validate = subparsers.add_parser(
        "validate",
        help=COMMANDS["validate"][1],
        epilog="examples:\n  saga validate build/datasets/sft\n  saga validate out/prompts --root out\n",
        formatter_class=fmt,
    )
    validate.add_argument("path", type=Path)
    validate.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where the SFT corpus is (for prompts)")
    add_json_option(validate)
    validate.set_defaults(func=run_validate)

    card = subparsers.add_parser(
        "card",
        help=COMMANDS["card"][1],
        epilog="examples:\n  saga card build/datasets/sft\n"
        "  saga card out/sft --repo-id me/nb-sft --revision v1.0.0\n",
        formatter_class=fmt,
    )
    card.add_argument("path", type=Path)
    card.add_argument("--repo-id", default="ORG/NAME")
    card.add_argument("--revision", default="v1.0.0")
    add_json_option(card)
    card.set_defaults(func=run_card)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """`--executor`, `--ray-address`, `--num-workers`: where the scoring and generation stages run."""
    group = parser.add_argument_group("executor (scored, completions, scored_completions)")
    group.add_argument(
        "--executor",
        choices=EXECUTOR_TYPES,
        help="run in this process (local, the default) or on a Ray cluster (ray; pip install 'saga[ray]')",
    )
    group.add_argument(
        "--ray-address", help="the Ray cluster: auto (this machine's cluster) or ray://HOST:10001 (default: start one)"
    )
    group.add_argument("--num-workers", type=int, help="Ray actors (default 2), one model and one CPU or GPU each")


def executor_setting(args: argparse.Namespace) -> dict | None:
    """The `executor` mapping the flags ask for, `None` when no flag is given (the config or recipe decides).

    Raises:
        `ExecutorError`: `--ray-address` or `--num-workers` without `--executor ray`, or a bad value.
    """
    if args.executor is None and args.ray_address is None and args.num_workers is None:
        return None
    if args.executor != "ray":
        raise ExecutorError("--ray-address and --num-workers need --executor ray")
    setting = {"type": "ray"}
    if args.ray_address is not None:
        setting["address"] = args.ray_address
    if args.num_workers is not None:
        setting["num_workers"] = args.num_workers
    RayExecutor.from_config(setting)
    return setting


def read_config(path: Path | None) -> dict:
    """Builder config fields from a YAML mapping (lists become tuples, as the configs declare)."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InputDataError(f"{path}: cannot read config: {err}") from err
    if not isinstance(data, dict):
        raise InputDataError(f"{path}: a config must be a mapping of field: value")
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def run_build(args: argparse.Namespace) -> int:
    config = read_config(args.config)
    if args.input is not None:  # the first stage reads articles (its `source`), the others a dataset folder
        config["source" if STAGES[args.dataset].reads is None else "input_dir"] = str(args.input)
    executor = executor_setting(args)
    if executor is not None:
        if args.dataset not in EXECUTOR_STAGES:
            raise ExecutorError(
                f"{args.dataset} runs in this process; --executor applies to {', '.join(EXECUTOR_STAGES)}"
            )
        config["executor"] = executor
    result, report = run_stage(args.dataset, config, root=args.root, out_dir=args.out)
    summary = {
        "out_dir": str(result.out_dir),
        "state": "up to date" if result.reused else "built",
        "rows": result.rows,
        "fingerprint": result.fingerprint,
        "funnel": Funnel.read(result.out_dir / "saga" / "funnel.json").to_dict(),
        "validation": {"suite": report.suite, "evaluated": report.evaluated},
        "card": str(result.out_dir / "README.md"),
    }
    emit(args, summary, _build_text)
    return 0


def _build_text(summary: dict) -> str:
    lines = [f"{summary['out_dir']}: {summary['state']}, rows {summary['rows']}, fingerprint {summary['fingerprint']}"]
    for step in summary["funnel"]:
        drops = ", ".join(f"{reason} {count}" for reason, count in step["dropped"].items())
        line = f"  {step['step']}: {step['in']} {step['unit']} in, {step['out']} out"
        lines.append(line + (f" (dropped: {drops})" if drops else ""))
    validation = summary["validation"]
    lines.append(
        f"validation: {validation['suite']} passed ({validation['evaluated']} expectations); card: {summary['card']}"
    )
    return "\n".join(lines)


def run_validate(args: argparse.Namespace) -> int:
    report = validate_dataset(args.path, stage_of(args.path).context(args.root))
    emit(args, dataclasses.asdict(report), lambda _: report.describe())
    return 0


def run_card(args: argparse.Namespace) -> int:
    extra, plots = card_section(args.path)
    render_dataset_card(args.path, repo_id=args.repo_id, revision=args.revision, extra=extra, plots=plots)
    emit(args, {"card": str(args.path / "README.md")}, lambda result: f"wrote {result['card']}")
    return 0
