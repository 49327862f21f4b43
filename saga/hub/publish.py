"""Publish a dataset or adapter folder to the Hub as one tagged commit.

The order of steps is what makes a revision either fully published or absent:

1. check the folder (validation/training record and the bytes it vouches for, required files) and the names, and
   find a token (`huggingface_hub.get_token`: `HF_TOKEN`, or the one `hf auth login` saved), before any request;
2. read the refs: refuse if the tag exists (tags are immutable), find the head of the branch (creating the branch
   if needed);
3. merge the card with the one at the head and list the head's files, so files the folder no longer has in the
   folders it publishes (`data/`, `saga/`) are deleted instead of left behind;
4. upload everything as **one** commit whose `parent_commit` is that head: either the whole folder lands or
   nothing does, and a concurrent push makes the Hub answer 412 instead of interleaving;
5. tag that commit.

Publishing is idempotent, and a lost response does not make it lie: before reporting a failure it reads what the
Hub now holds. A tag that already holds exactly this folder's files is success with that commit (a rerun of a
finished push prints the same SHA); a branch head that already holds them is tagged instead of committed again
(an earlier run whose tag or whose commit response was lost); a commit or tag request that failed but took effect
is found and finished. "Holds this folder" compares every file but the card, whose YAML is merged with the Hub's,
by its git blob id or LFS sha256.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, RepoFile, get_token
from huggingface_hub.errors import EntryNotFoundError, HFValidationError
from huggingface_hub.utils import validate_repo_id

from saga import __version__
from saga.errors import HubAuthError, HubRequestError, PublishRefusedError
from saga.hub.card_merge import merge_card_text
from saga.hub.folders import check_publishable
from saga.hub.retry import call_hub
from saga.versions import folder_files, folder_fingerprint

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
        [`HubAuthError`]: no token (`HF_TOKEN` or `hf auth login`), or the Hub refused it.
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
    token = get_token()
    if not token:
        raise HubAuthError(
            "no Hugging Face token: publishing needs one with write access",
            hint="set HF_TOKEN or run `hf auth login`",
        )
    api = HfApi(token=token, library_name="saga", library_version=__version__)
    where = f"{repo_type} {repo_id}"
    target = Target(api, repo_id, repo_type)

    call_hub(
        f"creating {where}", lambda: api.create_repo(repo_id, repo_type=repo_type, private=private, exist_ok=True)
    )
    tags, heads = target.refs()
    fingerprint = folder_fingerprint(folder)
    if tag in tags:
        if target.holds(tags[tag], folder):
            logger.info("tag %s of %s already holds %s: nothing to publish", tag, where, folder)
            return PublishResult(repo_id, repo_type, branch, tag, tags[tag], target.commit_url(tags[tag]), fingerprint)
        raise PublishRefusedError(
            f"tag {tag} already exists on {where} (commit {tags[tag]}); tags are never moved",
            hint="publish under a new version tag",
        )
    if branch not in heads:
        call_hub(
            f"creating branch {branch} on {where}",
            lambda: api.create_branch(repo_id, branch=branch, repo_type=repo_type),
        )
        heads[branch] = call_hub(
            f"reading branch {branch} of {where}", lambda: api.repo_info(repo_id, repo_type=repo_type, revision=branch)
        ).sha
    parent = heads[branch]
    if target.holds(parent, folder):
        logger.info("%s@%s already holds %s (an earlier run committed it): tagging it", where, branch, folder)
        oid, url = parent, target.commit_url(parent)
    else:
        oid, url = _commit(target, folder, branch, parent, tag, fingerprint)
    _tag(target, tag, oid, branch)
    return PublishResult(repo_id, repo_type, branch, tag, oid, url, fingerprint)


@dataclass(frozen=True)
class Target:
    """The repository being published to, and what it holds now.

    Args:
        api (`HfApi`): the authenticated client.
        repo_id (`str`): `ORG/NAME`.
        repo_type (`str`): `"dataset"` or `"model"`.
    """

    api: HfApi
    repo_id: str
    repo_type: str

    @property
    def where(self) -> str:
        return f"{self.repo_type} {self.repo_id}"

    def refs(self) -> tuple[dict[str, str], dict[str, str]]:
        """(tag → commit, branch → commit), read now."""
        refs = call_hub(
            f"listing refs of {self.where}", lambda: self.api.list_repo_refs(self.repo_id, repo_type=self.repo_type)
        )
        return {r.name: r.target_commit for r in refs.tags}, {r.name: r.target_commit for r in refs.branches}

    def holds(self, revision: str, folder: Path) -> bool:
        """True when `revision` has every file of `folder` but the card, byte for byte (git blob id or LFS sha256),
        and no other file in the folders the folder publishes."""
        entries = call_hub(
            f"listing files of {self.where}@{revision}",
            lambda: list(
                self.api.list_repo_tree(self.repo_id, repo_type=self.repo_type, revision=revision, recursive=True)
            ),
        )
        remote = {e.path: e for e in entries if isinstance(e, RepoFile)}
        local = [path for path in folder_files(folder) if path != "README.md"]
        owned = {path.split("/", 1)[0] for path in local if "/" in path}
        extra = [p for p in remote if "/" in p and p.split("/", 1)[0] in owned and p not in local]
        return not extra and all(path in remote and _same_bytes(remote[path], folder / path) for path in local)

    def commit_url(self, oid: str) -> str:
        prefix = "datasets/" if self.repo_type == "dataset" else ""
        return f"{self.api.endpoint}/{prefix}{self.repo_id}/commit/{oid}"


def _same_bytes(entry: RepoFile, path: Path) -> bool:
    data = path.read_bytes()
    if entry.lfs is not None:
        return entry.lfs.sha256 == hashlib.sha256(data).hexdigest()
    return entry.blob_id == hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _commit(target: Target, folder: Path, branch: str, parent: str, tag: str, fingerprint: str) -> tuple[str, str]:
    """Commit `folder` on top of `parent`; if the request fails, a head that holds the folder means it took effect."""
    api, where = target.api, target.where
    logger.info("publishing %s to %s@%s on top of %s", folder, target.repo_id, branch, parent)
    operations = _operations(api, folder, target.repo_id, target.repo_type, parent)
    try:
        commit = call_hub(
            f"committing {folder} to {where}@{branch}",
            lambda: api.create_commit(
                target.repo_id,
                operations,
                commit_message=f"Publish {tag}",
                commit_description=f"Published by saga {__version__}; folder fingerprint sha256:{fingerprint}",
                repo_type=target.repo_type,
                revision=branch,
                parent_commit=parent,
            ),
            on_status={
                412: f"branch {branch} moved while publishing (another push?); nothing was published, run again"
            },
        )
    except HubRequestError:
        head = target.refs()[1].get(branch)
        if head is not None and head != parent and target.holds(head, folder):
            logger.warning(
                "the commit's response was lost, but %s@%s now holds %s: using %s", where, branch, folder, head
            )
            return head, target.commit_url(head)
        raise
    logger.info("committed %s as %s", folder, commit.oid)
    return commit.oid, commit.commit_url


def _tag(target: Target, tag: str, oid: str, branch: str) -> None:
    """Tag `oid`; if the request fails, a tag that now points at `oid` means it took effect."""
    api = target.api
    try:
        call_hub(
            f"tagging commit {oid} of {target.where} as {tag} (the commit is on {branch}; publish again to tag it)",
            lambda: api.create_tag(
                target.repo_id, tag=tag, revision=oid, repo_type=target.repo_type, tag_message=f"saga {tag}"
            ),
            on_status={409: f"tag {tag} was created by someone else meanwhile"},
        )
    except HubRequestError:
        if target.refs()[0].get(tag) != oid:
            raise
        logger.warning("the tag's response was lost, but %s now points at %s", tag, oid)


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
