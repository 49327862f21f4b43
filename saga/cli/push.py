"""`saga push`: publish a validated dataset folder (or an adapter folder) to the Hub as one tagged commit."""

from __future__ import annotations

import argparse
from pathlib import Path

from huggingface_hub.utils import disable_progress_bars

from saga.hub.publish import REPO_TYPES, publish_folder

EXAMPLES = """examples:
  HF_TOKEN=hf_... saga push build/nb_sft --repo-id my-org/nb-sft --tag v1.0.0
  saga push build/nb_dpo --repo-id my-org/nb-dpo --tag v1.1.0 --private
  saga push build/nb_sft --repo-id my-org/nb-sft --tag v2.0.0-rc1 --branch staging
  saga push runs/sft/adapter --repo-id my-org/nb-sft-lora --tag v1.0.0 --repo-type model

The token comes from HF_TOKEN or from `hf auth login`, and is never printed. A dataset folder is refused unless
saga/validation.json says success and its files are the bytes that were validated; an adapter folder needs
saga/training.json. An existing tag is never moved; pushing the same folder to it again prints the same commit.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "push",
        help="publish a dataset/adapter folder to the Hub as one tagged commit",
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
    parser.set_defaults(func=run_push)


def run_push(args: argparse.Namespace) -> int:
    if not getattr(args, "verbose", False):
        disable_progress_bars()  # saga's commands are quiet unless asked (-v): stderr is for errors and logs
    result = publish_folder(
        args.folder, args.repo_id, args.tag, repo_type=args.repo_type, branch=args.branch, private=args.private
    )
    print(f"tag: {result.repo_id}@{result.tag}")
    print(f"commit: {result.commit_sha}")
    print(f"url: {result.commit_url}")
    return 0
