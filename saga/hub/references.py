"""Dataset and model references: `ORG/NAME@REV` on the Hub or a local folder, resolved to an immutable revision.

Consumers never load "whatever `main` is today": a reference is resolved once to a commit SHA (through `HfApi`,
so tags, branches and SHAs all work) and loading pins that SHA, which is also what gets recorded. A local folder
is a valid reference too; its revision is its content fingerprint (see `folder_fingerprint`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from huggingface_hub import HfApi, constants, get_token
from huggingface_hub.errors import HFValidationError, RepositoryNotFoundError, RevisionNotFoundError
from huggingface_hub.utils import validate_repo_id

from saga import __version__
from saga.errors import ReferenceResolutionError
from saga.hub.retry import call_hub
from saga.versions import folder_fingerprint

if TYPE_CHECKING:
    from datasets import DatasetDict

_HUB_REFERENCE = re.compile(r"(?P<repo_id>[^/@\s]+/[^/@\s]+)(?:@(?P<revision>[^@\s]+))?")
_COMMIT_SHA = re.compile(r"[0-9a-f]{40}")
DEFAULT_REVISION = "main"


@dataclass(frozen=True)
class Reference:
    """A parsed reference: either a Hub repository at a revision, or a local folder.

    Args:
        repo_id (`str`, *optional*): `ORG/NAME` for Hub references.
        revision (`str`, *optional*): tag, branch or 40-hex SHA for Hub references (`main` when omitted).
        folder (`Path`, *optional*): the folder for local references.

    Example:
        ```python
        >>> parse_reference("my-org/nb-sft@v1.0.0")
        Reference(repo_id='my-org/nb-sft', revision='v1.0.0', folder=None)
        ```
    """

    repo_id: str | None = None
    revision: str | None = None
    folder: Path | None = None

    def __str__(self) -> str:
        return str(self.folder) if self.folder is not None else f"{self.repo_id}@{self.revision}"


def parse_reference(text: str) -> Reference:
    """Parse `ORG/NAME[@REV]` or an existing local folder (an existing folder wins over a Hub name).

    Args:
        text (`str`): the reference as given on the command line or in a config.

    Raises:
        [`ReferenceResolutionError`]: if it is neither an existing folder nor a valid `ORG/NAME[@REV]`.
    """
    path = Path(text).expanduser()
    if path.is_dir():
        return Reference(folder=path)
    match = _HUB_REFERENCE.fullmatch(text)
    if match is None or path.exists() or text.startswith((".", "/", "~")):
        raise ReferenceResolutionError(f"{text!r} is neither a local folder nor a Hub reference ORG/NAME@REV")
    try:
        validate_repo_id(match["repo_id"])
    except HFValidationError as err:
        raise ReferenceResolutionError(f"invalid repository id in reference {text!r}: {err}") from err
    return Reference(repo_id=match["repo_id"], revision=match["revision"] or DEFAULT_REVISION)


def resolve_revision(reference: str | Reference, repo_type: str = "dataset") -> str:
    """The immutable revision a reference stands for: the commit SHA on the Hub, or a local folder's fingerprint.

    Args:
        reference (`str` or [`Reference`]): `ORG/NAME@REV` (tag, branch or SHA) or a local folder.
        repo_type (`str`, *optional*, defaults to `"dataset"`): `"dataset"` or `"model"`.

    Returns:
        `str`: 40 hex digits (a commit SHA) or 64 hex digits (a folder fingerprint).

    Raises:
        [`ReferenceResolutionError`]: unknown repository or revision.
    """
    ref = parse_reference(reference) if isinstance(reference, str) else reference
    if ref.folder is not None:
        return folder_fingerprint(ref.folder)
    if constants.HF_HUB_OFFLINE:
        return cached_revision(ref, repo_type)
    api = HfApi(token=_read_token(), library_name="saga", library_version=__version__)
    try:
        info = call_hub(
            f"resolving {repo_type} {ref}",
            lambda: api.repo_info(ref.repo_id, repo_type=repo_type, revision=ref.revision),
            expected=(RepositoryNotFoundError, RevisionNotFoundError),
        )
    except RevisionNotFoundError as err:
        raise ReferenceResolutionError(f"revision {ref.revision!r} not found in {repo_type} {ref.repo_id}") from err
    except RepositoryNotFoundError as err:
        raise ReferenceResolutionError(
            f"{repo_type} {ref.repo_id} not found on the Hub (or HF_TOKEN has no access to it)"
        ) from err
    if _COMMIT_SHA.fullmatch(ref.revision) and info.sha != ref.revision:
        raise ReferenceResolutionError(f"{ref}: the Hub resolved the SHA to a different commit {info.sha}")
    _remember(ref, repo_type, info.sha)
    return info.sha


def _cache_folder(ref: Reference, repo_type: str) -> Path:
    """The repository's folder in the local Hub cache (`huggingface_hub`'s layout)."""
    return Path(constants.HF_HUB_CACHE) / f"{repo_type}s--{ref.repo_id.replace('/', '--')}"


def _remember(ref: Reference, repo_type: str, sha: str) -> None:
    """Record what a branch or tag resolved to in the cache's `refs/`, as `huggingface_hub` does for the revisions
    it downloads, so that offline mode can resolve it later (`cached_revision`)."""
    if _COMMIT_SHA.fullmatch(ref.revision) or "/" in ref.revision or ".." in ref.revision:
        return
    refs = _cache_folder(ref, repo_type) / "refs"
    refs.mkdir(parents=True, exist_ok=True)
    (refs / ref.revision).write_text(sha, encoding="utf-8")


def cached_revision(ref: Reference, repo_type: str = "dataset") -> str:
    """The commit SHA a Hub reference had when it was last downloaded, from the local Hub cache (offline mode).

    `huggingface_hub` records every branch or tag it resolved in `refs/` of the repository's cache folder and keeps
    each downloaded commit under `snapshots/`.

    Args:
        ref (`Reference`): a Hub reference.
        repo_type (`str`, *optional*, defaults to `"dataset"`): `"dataset"` or `"model"`.

    Raises:
        [`ReferenceResolutionError`]: that revision was never downloaded here.
    """
    folder = _cache_folder(ref, repo_type)
    sha = ref.revision if _COMMIT_SHA.fullmatch(ref.revision) else None
    refs = folder / "refs" / ref.revision
    if sha is None and refs.is_file():
        sha = refs.read_text(encoding="utf-8").strip()
    if sha is None or not (folder / "snapshots" / sha).is_dir():
        raise ReferenceResolutionError(
            f"{repo_type} {ref} is not in the local Hub cache, and HF_HUB_OFFLINE is set",
            hint="download it once with the network on, or unset HF_HUB_OFFLINE",
        )
    return sha


def load_dataset_ref(reference: str | Reference, cache_dir: str | Path | None = None) -> tuple[DatasetDict, str]:
    """Load a dataset reference pinned to its resolved revision, and return that revision for the record.

    A Hub reference is resolved to its commit SHA first and loaded at that SHA, so a tag or branch that moves
    between resolving and loading cannot mix two revisions. A local folder loads its `data/{split}-*.parquet`.

    Args:
        reference (`str` or [`Reference`]): `ORG/NAME@REV` or a dataset folder.
        cache_dir (`str` or `Path`, *optional*): the `datasets` cache to use (defaults to `HF_DATASETS_CACHE`).

    Returns:
        `tuple[DatasetDict, str]`: the splits, and the commit SHA (Hub) or content fingerprint (folder).

    Example:
        ```python
        >>> splits, revision = load_dataset_ref("my-org/nb-sft@v1.0.0")  # doctest: +SKIP
        ```
    """
    import datasets  # deferred: importing datasets costs a second, and resolving alone does not need it

    ref = parse_reference(reference) if isinstance(reference, str) else reference
    revision = resolve_revision(ref, repo_type="dataset")
    cache = None if cache_dir is None else str(cache_dir)
    if ref.folder is None:
        return datasets.load_dataset(ref.repo_id, revision=revision, token=_read_token(), cache_dir=cache), revision
    return datasets.load_dataset("parquet", data_files=_local_data_files(ref.folder), cache_dir=cache), revision


def _local_data_files(folder: Path) -> dict[str, list[str]]:
    files = sorted((folder / "data").glob("*.parquet"))
    if not files:
        raise ReferenceResolutionError(f"{folder} holds no data/{{split}}-*.parquet files")
    splits: dict[str, list[str]] = {}
    for path in files:
        splits.setdefault(path.name.split("-", 1)[0].removesuffix(".parquet"), []).append(str(path.resolve()))
    return splits


def _read_token() -> str | bool:
    """The token `huggingface_hub` finds (`HF_TOKEN`, or the one `hf auth login` saved); `False` when there is
    none, so the clients send no token at all."""
    return get_token() or False
