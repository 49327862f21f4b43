"""`saga push`: publish a validated dataset folder (or an adapter folder) to the Hub as one tagged commit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from huggingface_hub.utils import disable_progress_bars

from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.hub.folders import check_publishable
from saga.hub.publish import REPO_TYPES, publish_folder

# The training records `saga train` writes, whose cards `render_adapter_card` renders.
ADAPTER_KINDS = ("sft", "dpo")

EXAMPLES = """examples:
  HF_TOKEN=hf_... saga push build/nb_sft --repo-id my-org/nb-sft --tag v1.0.0
  saga push build/nb_dpo --repo-id my-org/nb-dpo --tag v1.1.0 --private
  saga push build/nb_sft --repo-id my-org/nb-sft --tag v2.0.0-rc1 --branch staging
  saga push runs/sft/adapter --repo-id my-org/nb-sft-lora --tag v1.0.0 --repo-type model

The card is re-rendered for the repository and tag, so its usage snippets load exactly what was published. The
token comes from HF_TOKEN or from `hf auth login`, and is never printed. A dataset folder is refused unless
saga/validation.json says success and its files are the bytes that were validated; an adapter folder needs
saga/training.json. An existing tag is never moved; pushing the same folder to it again prints the same commit.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "push",
        help=COMMANDS["push"][1],
        description="Upload DIR as one commit (the card merged with the one on the Hub), then tag it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="dataset folder (Hub layout) or adapter folder")
    parser.add_argument("--repo-id", required=True, metavar="ORG/NAME", help="target repository")
    parser.add_argument("--tag", required=True, metavar="vX.Y.Z", help="new tag for the commit (never moved)")
    parser.add_argument("--private", action="store_true", help="create the repository private if it is new")
    parser.add_argument("--branch", default="main", help="branch to commit to (created from main if missing)")
    parser.add_argument("--repo-type", choices=REPO_TYPES, default="dataset", help="dataset, or model for adapters")
    add_json_option(parser)
    parser.set_defaults(func=run_push)


def run_push(args: argparse.Namespace) -> int:
    if not getattr(args, "verbose", False):
        disable_progress_bars()  # saga's commands are quiet unless asked (-v): stderr is for errors and logs
    check_publishable(args.folder, args.repo_type)  # refuse before touching the folder's card
    render_card_for(args.folder, args.repo_type, args.repo_id, args.tag)
    result = publish_folder(
        args.folder, args.repo_id, args.tag, repo_type=args.repo_type, branch=args.branch, private=args.private
    )
    published = {"repo_id": result.repo_id, "tag": result.tag, "commit": result.commit_sha, "url": result.commit_url}
    emit(args, published, published_text)
    return 0


def published_text(published: dict) -> str:
    """The lines `saga push` (and `saga train --push-to`) print for a published folder."""
    return f"tag: {published['repo_id']}@{published['tag']}\ncommit: {published['commit']}\nurl: {published['url']}"


def render_card_for(folder: Path, repo_type: str, repo_id: str, tag: str) -> None:
    """Re-render a saga card so that its usage snippets name the repository and tag it is published under (the
    card is presentation, outside what validation vouches for); a folder saga did not build keeps its card.

    Args:
        folder (`Path`): the dataset or adapter folder.
        repo_type (`str`): `"dataset"` or `"model"`.
        repo_id (`str`): the target repository.
        tag (`str`): the tag it is published under.
    """
    if repo_type == "dataset":
        from saga.stages import STAGES, card_section  # deferred: the stages import every builder

        manifest = folder / "saga" / "manifest.json"
        builders = {stage.builder.__name__ for stage in STAGES.values()}
        if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8")).get("builder") not in builders:
            return
        from saga.cards.dataset import render_dataset_card

        extra, plots = card_section(folder)
        render_dataset_card(folder, repo_id=repo_id, revision=tag, extra=extra, plots=plots)
    elif (record := folder / "saga" / "training.json").is_file():
        if json.loads(record.read_text(encoding="utf-8")).get("kind") not in ADAPTER_KINDS:
            return
        from saga.cards.model import render_adapter_card

        render_adapter_card(folder, repo_id, tag)
