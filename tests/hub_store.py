"""In-memory git-like storage behind the Hub-protocol test server (`hub_server.py`).

It models what the Hub clients can observe: repositories with immutable commits (each a full snapshot of
path -> blob), branches and tags pointing at commits, and a per-repository LFS object store. Blob ids follow
git (`sha1("blob <size>\\0" + data)`, computed over the LFS pointer for LFS files), so ETags and preupload oids
mean what `huggingface_hub` expects them to mean.
"""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

# The `.gitattributes` a freshly created Hub repository starts with (trimmed to the patterns saga publishes).
INITIAL_GITATTRIBUTES = b"""*.bin filter=lfs diff=lfs merge=lfs -text
*.parquet filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
*.png filter=lfs diff=lfs merge=lfs -text
*.arrow filter=lfs diff=lfs merge=lfs -text
"""
REGULAR_FILE_MAX_SIZE = 10 * 1024 * 1024  # above this the Hub requires LFS
_EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


class StoreError(Exception):
    """A refusal the HTTP layer turns into a Hub-style error response.

    Args:
        status (`int`): HTTP status to answer with.
        message (`str`): the error message (JSON `error` field and `X-Error-Message` header).
        code (`str`, *optional*): the Hub's `X-Error-Code` (`RepoNotFound`, `RevisionNotFound`, `EntryNotFound`),
            which `huggingface_hub` maps to typed exceptions.
    """

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Blob:
    """File content as stored in a commit; `lfs` tells whether git holds a pointer instead of the bytes."""

    content: bytes
    lfs: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def pointer(self) -> bytes:
        spec = "version https://git-lfs.github.com/spec/v1"
        return f"{spec}\noid sha256:{self.sha256}\nsize {len(self.content)}\n".encode()

    @property
    def git_oid(self) -> str:
        data = self.pointer if self.lfs else self.content
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    @property
    def etag(self) -> str:
        """What the Hub sends as (linked) ETag: the sha256 for LFS files, the git oid otherwise."""
        return self.sha256 if self.lfs else self.git_oid


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    title: str
    files: dict[str, Blob]
    date: datetime

    def is_folder(self, path: str) -> bool:
        return any(p.startswith(path + "/") for p in self.files)

    def children(self, folder: str, recursive: bool) -> list[str]:
        """Files and folders under `folder` ("" for the root): direct children, or all descendants."""
        prefix = f"{folder}/" if folder else ""
        found: set[str] = set()
        for path in self.files:
            if not path.startswith(prefix):
                continue
            parts = path[len(prefix) :].split("/")
            for depth in range(1, (len(parts) if recursive else 1) + 1):
                found.add(prefix + "/".join(parts[:depth]))
        return sorted(found)


@dataclass
class Repo:
    """One repository: commits by oid, refs by name, and the LFS objects uploaded to it."""

    repo_type: str
    repo_id: str
    private: bool
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    lfs_objects: dict[str, bytes] = field(default_factory=dict)

    def resolve(self, revision: str) -> Commit:
        """The commit a branch, tag, `refs/...` name or full commit oid points at, or a `RevisionNotFound` error."""
        name = revision
        for prefix, refs in (("refs/heads/", self.branches), ("refs/tags/", self.tags)):
            if revision.startswith(prefix):
                name = revision[len(prefix) :]
                if name in refs:
                    return self.commits[refs[name]]
        if name in self.branches:
            return self.commits[self.branches[name]]
        if name in self.tags:
            return self.commits[self.tags[name]]
        if revision in self.commits:
            return self.commits[revision]
        raise StoreError(404, f"Invalid rev id: {revision}", "RevisionNotFound")

    def is_lfs_path(self, commit: Commit, path: str, size: int, sample: bytes) -> bool:
        """Upload mode the Hub would pick: LFS for big or binary files and for `.gitattributes` LFS patterns."""
        if size >= REGULAR_FILE_MAX_SIZE or b"\0" in sample:
            return True
        attributes = commit.files.get(".gitattributes")
        patterns = [] if attributes is None else attributes.content.decode().splitlines()
        for line in patterns:
            parts = line.split()
            if len(parts) < 2 or "filter=lfs" not in parts[1:]:
                continue
            target = path if "/" in parts[0] else path.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(target, parts[0]):
                return True
        return False

    def last_commit_of(self, commit: Commit, path: str) -> Commit:
        """The oldest commit in `commit`'s history from which `path` (a file or folder prefix) is unchanged."""

        def snapshot(c: Commit) -> list[tuple[str, str]]:
            return sorted((p, b.git_oid) for p, b in c.files.items() if p == path or p.startswith(path + "/"))

        current = commit
        wanted = snapshot(commit)
        while current.parent is not None and snapshot(self.commits[current.parent]) == wanted:
            current = self.commits[current.parent]
        return current


class HubStore:
    """All repositories of the test Hub plus a commit counter that makes every commit oid unique."""

    def __init__(self) -> None:
        self.repos: dict[tuple[str, str], Repo] = {}
        self._sequence = itertools.count(1)

    def get(self, repo_type: str, repo_id: str) -> Repo:
        repo = self.repos.get((repo_type, repo_id))
        if repo is None:
            raise StoreError(404, f"Repository not found: {repo_type} {repo_id}", "RepoNotFound")
        return repo

    def create_repo(self, repo_type: str, repo_id: str, private: bool) -> Repo:
        """Create a repository whose `main` holds one initial commit with `.gitattributes`, as the Hub does."""
        if (repo_type, repo_id) in self.repos:
            raise StoreError(409, f"You already created this {repo_type} repo")
        repo = Repo(repo_type=repo_type, repo_id=repo_id, private=private)
        self.repos[(repo_type, repo_id)] = repo
        initial = self._new_commit(
            repo, None, "initial commit", {".gitattributes": Blob(INITIAL_GITATTRIBUTES, False)}
        )
        repo.branches["main"] = initial.oid
        return repo

    def commit(
        self,
        repo: Repo,
        branch: str,
        title: str,
        operations: list[tuple[str, str, Blob | None]],
        parent_commit: str | None = None,
    ) -> Commit:
        """Apply `(kind, path, blob)` operations (`add`, `delete_file`, `delete_folder`) on top of a branch head.

        The whole commit is validated before the branch moves, so a refused commit leaves no trace.
        """
        if branch not in repo.branches:
            raise StoreError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
        head = repo.commits[repo.branches[branch]]
        if parent_commit is not None and parent_commit != head.oid:
            raise StoreError(412, "A commit has happened since. Please refresh and try again.")
        files = dict(head.files)
        for kind, path, blob in operations:
            if kind == "add":
                files[path] = blob
            elif kind == "delete_file":
                if path not in files:
                    raise StoreError(404, f"A file with this name doesn't exist: {path}", "EntryNotFound")
                del files[path]
            else:
                prefix = path.rstrip("/") + "/"
                files = {p: b for p, b in files.items() if not p.startswith(prefix)}
        commit = self._new_commit(repo, head.oid, title, files)
        repo.branches[branch] = commit.oid
        return commit

    def seed(self, repo_type: str, repo_id: str, files: dict[str, bytes], title: str = "seed") -> Commit:
        """Commit `files` straight to `main` (creating the repo if needed): a test's way to set up prior state."""
        repo = self.repos.get((repo_type, repo_id)) or self.create_repo(repo_type, repo_id, private=False)
        head = repo.commits[repo.branches["main"]]
        operations = []
        for path, content in files.items():
            blob = Blob(content, repo.is_lfs_path(head, path, len(content), content[:512]))
            if blob.lfs:
                repo.lfs_objects[blob.sha256] = content
            operations.append(("add", path, blob))
        return self.commit(repo, "main", title, operations)

    def _new_commit(self, repo: Repo, parent: str | None, title: str, files: dict[str, Blob]) -> Commit:
        sequence = next(self._sequence)
        digest = hashlib.sha1(f"{repo.repo_type}/{repo.repo_id}\n{parent}\n{sequence}\n{title}\n".encode())
        for path in sorted(files):
            digest.update(f"{path}\0{files[path].git_oid}\n".encode())
        commit = Commit(digest.hexdigest(), parent, title, files, _EPOCH + timedelta(seconds=sequence))
        repo.commits[commit.oid] = commit
        return commit
