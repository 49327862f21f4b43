"""`saga train sft|dpo` and `saga train --from-card`: LoRA adapters from dataset revisions, with cards."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import yaml

from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.cli.push import published_text
from saga.errors import InputDataError, PublishRefusedError

EXAMPLES = """examples:
  saga train sft --dataset build/demo/sft --out runs/sft --max-steps 20 --use_cpu
  saga train sft --dataset my-org/nb-sft@v1.0.0 --model norallm/normistral-7b-warm-instruct@main --out runs/sft
  saga train dpo --dataset build/demo/pairs --model runs/sft-merged --out runs/dpo --precompute_ref_log_probs
  saga train --from-card runs/sft --out runs/sft-again

Every field of the trainer config is a flag (`saga train sft --help` lists them: --kl_beta, --lora_r,
--learning_rate, ...); --config FILE sets them from YAML, and flags override the file. The bundled tiny
model (tiny_nb_mistral) is the default base. The adapter folder holds adapter_model.safetensors,
adapter_config.json, README.md (the card) and saga/training.json (config, revisions, seed, versions, metrics).
"""
KIND_HELP = {
    "sft": "KL-regularised SFT of a LoRA adapter on a `messages` dataset",
    "dpo": "DPO of a LoRA adapter on the merged SFT checkpoint, from `prompt`/`chosen`/`rejected` pairs",
}
# saga's own options of `saga train KIND`; every other word on the command line belongs to the trainer config
RUN_OPTIONS = ("--config", "--dataset", "--model", "--out", "--push-to", "--tag")
# TrainingArguments fields that saga's own options replace: where the adapter goes (--out) and how it is published
# (--push-to, --tag, as one tagged commit with its card). They are left out of the help, and refused when given.
REPLACED_FIELDS = {
    "output_dir": "--out",
    "push_to_hub": "--push-to",
    "hub_model_id": "--push-to",
    "hub_strategy": "--push-to",
    "hub_token": "HF_TOKEN or `hf auth login`",
    "hub_private_repo": "saga push --private",
    "hub_always_push": "--push-to",
    "hub_revision": "--tag",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    from trl import TrlParser

    from saga.trainers.dpo_config import LoRADPOConfig
    from saga.trainers.kl_sft_config import KLSFTConfig

    parser = subparsers.add_parser(
        "train",
        help=COMMANDS["train"][1],
        description="Train a LoRA adapter and write it with its card and training record.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--from-card", type=Path, metavar="DIR", help="retrain what DIR/saga/training.json describes")
    _add_output_options(parser)
    add_json_option(parser)
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", parser_class=TrlParser)
    for kind, config_class in (("sft", KLSFTConfig), ("dpo", LoRADPOConfig)):
        sub = kinds.add_parser(
            kind,
            dataclass_types=[config_class],
            help=KIND_HELP[kind],
            epilog=EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        for action in sub._actions:
            if action.dest != "help":
                action.default = argparse.SUPPRESS  # so that only flags actually given override --config
            if action.dest in REPLACED_FIELDS:
                action.help = argparse.SUPPRESS
        sub.add_argument("--config", type=Path, default=argparse.SUPPRESS, metavar="FILE", help="YAML config fields")
        sub.add_argument("--dataset", default=argparse.SUPPRESS, metavar="REF", help="ORG/NAME@REV or a folder")
        sub.add_argument(
            "--model", default=argparse.SUPPRESS, metavar="REF", help="base model (default: tiny_nb_mistral)"
        )
        _add_output_options(sub)
        add_json_option(sub)
    parser.set_defaults(func=run_train)


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=argparse.SUPPRESS, metavar="DIR", help="adapter folder to write")
    parser.add_argument("--push-to", default=argparse.SUPPRESS, metavar="ORG/NAME", help="publish the adapter")
    parser.add_argument("--tag", default=argparse.SUPPRESS, metavar="vX.Y.Z", help="tag for --push-to")


def run_train(args: argparse.Namespace) -> int:
    from saga.models import DEFAULT_MODEL
    from saga.trainers.runs import KINDS, retrain_from_card, train_adapter

    if not getattr(args, "verbose", False):
        quiet_progress()
    options = vars(args)
    replaced = sorted(name for name in REPLACED_FIELDS if name in options)
    if replaced:
        instead = ", ".join(f"--{name} (use {REPLACED_FIELDS[name]})" for name in replaced)
        raise InputDataError(f"saga train sets these itself: {instead}")
    out, push_to, tag = options.get("out"), options.get("push_to"), options.get("tag")
    if out is None:
        raise InputDataError("--out DIR is required: the adapter folder to write")
    if push_to and not tag:
        raise PublishRefusedError("--push-to needs --tag vX.Y.Z (a new tag for the published adapter)")
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs; results go to stdout below
        if args.from_card is not None:
            if args.kind is not None:
                raise InputDataError(f"--from-card retrains what the card describes; drop the '{args.kind}' argument")
            record = retrain_from_card(args.from_card, out)
        elif args.kind is None:
            raise InputDataError("name what to train: saga train sft|dpo ... (or saga train --from-card DIR)")
        else:
            if "dataset" not in options:
                raise InputDataError(f"saga train {args.kind} needs --dataset REF (ORG/NAME@REV or a dataset folder)")
            config = build_config(KINDS[args.kind][0], config_arguments(args.argv, args.kind), out)
            record = train_adapter(args.kind, config, options["dataset"], out, options.get("model", DEFAULT_MODEL))
    result = {"adapter": str(out), **record}
    if push_to:
        result["published"] = _publish(out, push_to, tag)
    emit(args, result, _train_text)
    return 0


def config_arguments(argv: list[str], kind: str) -> list[str]:
    """The words of `saga train KIND ...` that TRL's parser reads: `--config FILE` and the config fields' flags.

    Args:
        argv (`list[str]`): the command line after `saga`.
        kind (`str`): `sft` or `dpo`.
    """
    own = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    for option in RUN_OPTIONS:
        own.add_argument(option)
    after_train = argv[argv.index("train") + 1 :]
    known, rest = own.parse_known_args(after_train[after_train.index(kind) + 1 :])
    return (["--config", known.config] if known.config else []) + rest


def build_config(config_class, arguments: list[str], out: Path):
    """The config as TRL's scripts build it (`TrlParser.parse_args_and_config`): `--config FILE` sets fields from
    YAML (and its `env:` mapping the environment), flags override the file; `output_dir` is saga's `--out`.

    Args:
        config_class (`type`): `KLSFTConfig` or `LoRADPOConfig`.
        arguments (`list[str]`): `--config FILE` and the config flags, as typed (`config_arguments`).
        out (`Path`): the adapter folder.

    Raises:
        [`InputDataError`]: an unreadable config file, fields the config class does not have, invalid values.
    """
    from trl import TrlParser

    source = f"config file {arguments[1]}" if arguments[:1] == ["--config"] else "the command line"
    try:
        (config,) = TrlParser([config_class]).parse_args_and_config([*arguments, "--output_dir", str(out)])
    except (OSError, yaml.YAMLError, ValueError) as err:
        raise InputDataError(f"invalid {config_class.__name__} from {source}: {err}") from err
    return config


def quiet_progress() -> None:
    """saga's commands are quiet unless asked (-v): no download, dataset-map or weight-loading progress bars; the
    training run keeps its one bar (the Trainer's), on stderr."""
    import datasets
    import transformers
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()
    datasets.disable_progress_bars()
    transformers.utils.logging.disable_progress_bar()


def _train_text(result: dict) -> str:
    metrics = result["metrics"]
    last = metrics["last_logged"]
    shown = ("loss", "ce", "kl", "rewards/accuracies", "rewards/margins")
    lines = [
        f"adapter: {result['adapter']}",
        f"dataset: {result['dataset']['ref']} @ {result['dataset']['revision']}",
        f"base model: {result['base_model']['ref']} @ {result['base_model']['revision']}",
        f"steps: {metrics['global_step']}, mean training loss {metrics['train_loss']:.4f}",
        "final: " + ", ".join(f"{key} {last[key]:.4f}" for key in shown if key in last),
        f"adapter sha256: {result['adapter_sha256']}",
    ]
    if "published" in result:
        lines.append(published_text(result["published"]))
    return "\n".join(lines)


def _publish(out: Path, repo_id: str, tag: str) -> dict:
    from saga.cards.model import render_adapter_card
    from saga.hub.publish import publish_folder

    render_adapter_card(out, repo_id=repo_id, revision=tag)  # the usage snippet names the published revision
    result = publish_folder(out, repo_id, tag, repo_type="model")
    return {"repo_id": result.repo_id, "tag": result.tag, "commit": result.commit_sha, "url": result.commit_url}
