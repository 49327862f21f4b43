"""Publish a dataset or adapter folder to the Hub as one tagged commit.

The order of steps is what makes a revision either fully published or absent:

1. check the folder (validation/training record, required files) and the names, and read `HF_TOKEN`, before any
   request;
2. read the refs: refuse if the tag exists (tags are immutable), find the head of the branch (creating the branch
   if needed);
3. merge the card with the one at the head and list the head's files, so files the folder no longer has in the
   folders it publishes (`data/`, `saga/`) are deleted instead of left behind;
4. upload everything as **one** commit whose `parent_commit` is that head: either the whole folder lands or
   nothing does, and a concurrent push makes the Hub answer 412 instead of interleaving;
5. tag that commit.

If step 5 fails the commit is on the branch but untagged; publishing again finds nothing to change and tags it.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from huggingface_hub.errors import EntryNotFoundError, HFValidationError
from huggingface_hub.utils import validate_repo_id

from saga import __version__
from saga.errors import HubAuthError, PublishRefusedError
from saga.hub.card_merge import merge_card_text
from saga.hub.folders import check_publishable, folder_files, folder_fingerprint
from saga.hub.retry import call_hub

logger = logging.getLogger(__name__)

REPO_TYPES = ("dataset", "model")
TAG_PATTERN = re.compile(r"v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?")


@dataclass(frozen=True)
class PublishResult:
    """What a publish produced: where it went and the commit the tag points at.

    Args:
        repo_id (`str`): the repository (`ORG/NAME`).
        repo_type (`str`): `"dataset"` or `"model"`.
        branch (`str`): the branch the commit was made on.
        tag (`str`): the tag created on the commit.
        commit_sha (`str`): the commit's 40-hex SHA, which loaders pin.
        commit_url (`str`): the commit's page on the Hub.
        fingerprint (`str`): content fingerprint of the published folder (also in the commit description).
    """

    repo_id: str
    repo_type: str
    branch: str
    tag: str
    commit_sha: str
    commit_url: str
    fingerprint: str


def publish_folder(
    folder: str | Path,
    repo_id: str,
    tag: str,
    *,
    repo_type: str = "dataset",
    branch: str = "main",
    private: bool = False,
) -> PublishResult:
    """Upload `folder` to `repo_id` as one commit on `branch` and tag it `tag`.

    Args:
        folder (`str` or `Path`): a dataset folder (Hub layout with `saga/validation.json`) or an adapter folder.
        repo_id (`str`): target repository, `ORG/NAME`.
        tag (`str`): new tag, `vX.Y.Z`; an existing tag is never moved.
        repo_type (`str`, *optional*, defaults to `"dataset"`): `"dataset"` or `"model"` (adapters).
        branch (`str`, *optional*, defaults to `"main"`): branch to commit to; created from `main` if missing.
        private (`bool`, *optional*, defaults to `False`): create the repository private (an existing repository
            keeps its visibility).

    Returns:
        [`PublishResult`]: the commit SHA and URL.

    Raises:
        [`PublishRefusedError`]: bad folder (failed or missing validation), bad names, or the tag exists.
        [`HubAuthError`]: `HF_TOKEN` unset or refused.
        [`HubRequestError`]: the Hub failed after retries, or the branch moved while publishing.

    Example:
        ```python
        >>> result = publish_folder("out/nb_sft", "my-org/nb-sft", "v1.0.0")  # doctest: +SKIP
        >>> result.commit_sha  # doctest: +SKIP
        '3f1c...'
        ```
    """
    folder = Path(folder)
    if repo_type not in REPO_TYPES:
        raise PublishRefusedError(f"unknown repo type {repo_type!r}; expected one of {', '.join(REPO_TYPES)}")
    check_publishable(folder, repo_type)
    _check_names(repo_id, tag)
    token = os.environ.get("HF_TOKEN")
    if not token:
        raise HubAuthError("HF_TOKEN is not set; publishing needs a token with write access")
    api = HfApi(token=token, library_name="saga", library_version=__version__)
    where = f"{repo_type} {repo_id}"

    call_hub(
        f"creating {where}", lambda: api.create_repo(repo_id, repo_type=repo_type, private=private, exist_ok=True)
    )
    refs = call_hub(f"listing refs of {where}", lambda: api.list_repo_refs(repo_id, repo_type=repo_type))
    tags = {ref.name: ref.target_commit for ref in refs.tags}
    if tag in tags:
        raise PublishRefusedError(
            f"tag {tag} already exists on {where} (commit {tags[tag]}); tags are never moved",
            hint="publish under a new version tag",
        )
    heads = {ref.name: ref.target_commit for ref in refs.branches}
    if branch not in heads:
        call_hub(
            f"creating branch {branch} on {where}",
            lambda: api.create_branch(repo_id, branch=branch, repo_type=repo_type),
        )
        heads[branch] = call_hub(
            f"reading branch {branch} of {where}", lambda: api.repo_info(repo_id, repo_type=repo_type, revision=branch)
        ).sha
    parent = heads[branch]
    logger.info("publishing %s to %s@%s on top of %s", folder, repo_id, branch, parent)

    operations = _operations(api, folder, repo_id, repo_type, parent)
    fingerprint = folder_fingerprint(folder)
    commit = call_hub(
        f"committing {folder} to {where}@{branch}",
        lambda: api.create_commit(
            repo_id,
            operations,
            commit_message=f"Publish {tag}",
            commit_description=f"Published by saga {__version__}; folder fingerprint sha256:{fingerprint}",
            repo_type=repo_type,
            revision=branch,
            parent_commit=parent,
        ),
        on_status={412: f"branch {branch} moved while publishing (another push?); nothing was published, run again"},
    )
    logger.info("committed %s as %s", folder, commit.oid)
    call_hub(
        f"tagging commit {commit.oid} of {where} as {tag} (the commit is on {branch}; publish again to tag it)",
        lambda: api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type=repo_type, tag_message=f"saga {tag}"),
        on_status={409: f"tag {tag} was created by someone else meanwhile"},
    )
    return PublishResult(repo_id, repo_type, branch, tag, commit.oid, commit.commit_url, fingerprint)


def _check_names(repo_id: str, tag: str) -> None:
    try:
        validate_repo_id(repo_id)
    except HFValidationError as err:
        raise PublishRefusedError(f"invalid repository id {repo_id!r}: {err}") from err
    if "/" not in repo_id:
        raise PublishRefusedError(f"invalid repository id {repo_id!r}: expected ORG/NAME")
    if not TAG_PATTERN.fullmatch(tag):
        raise PublishRefusedError(f"invalid tag {tag!r}: expected vX.Y.Z (e.g. v1.0.0)")


def _operations(api: HfApi, folder: Path, repo_id: str, repo_type: str, parent: str) -> list:
    """Additions for every file (the card merged with the head's), deletions for stale files in published folders."""
    where = f"{repo_type} {repo_id}@{parent}"
    local = folder_files(folder)
    remote = call_hub(
        f"listing files of {where}", lambda: api.list_repo_files(repo_id, repo_type=repo_type, revision=parent)
    )
    owned_folders = {path.split("/", 1)[0] for path in local if "/" in path}
    stale = [path for path in remote if "/" in path and path.split("/", 1)[0] in owned_folders and path not in local]
    existing_card = _read_remote_card(api, repo_id, repo_type, parent) if "README.md" in remote else None
    card = merge_card_text((folder / "README.md").read_text(encoding="utf-8"), existing_card, repo_type)
    operations: list = [CommitOperationDelete(path_in_repo=path) for path in stale]
    for path in local:
        content = card.encode("utf-8") if path == "README.md" else str(folder / path)
        operations.append(CommitOperationAdd(path_in_repo=path, path_or_fileobj=content))
    logger.info("%d file(s) to upload, %d stale file(s) to delete", len(local), len(stale))
    return operations


def _read_remote_card(api: HfApi, repo_id: str, repo_type: str, revision: str) -> str | None:
    with tempfile.TemporaryDirectory(prefix="saga-card-") as cache_dir:
        try:
            path = call_hub(
                f"downloading the card of {repo_type} {repo_id}@{revision}",
                lambda: api.hf_hub_download(
                    repo_id, "README.md", repo_type=repo_type, revision=revision, cache_dir=cache_dir
                ),
                expected=(EntryNotFoundError,),
            )
        except EntryNotFoundError:
            return None
        return Path(path).read_text(encoding="utf-8")
