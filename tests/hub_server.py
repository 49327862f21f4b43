"""A Hub-protocol test server: the real `huggingface_hub` and `datasets` clients talk HTTP to it on localhost.

It implements exactly the routes those clients call for saga's publish/resolve/load paths (found by reading
`hf_api.py`, `_commit_api.py`, `lfs.py`, `file_download.py`, `hf_file_system.py` and `datasets/load.py`):

| route | client call |
|---|---|
| `GET /api/whoami-v2` | `HfApi.whoami` |
| `GET /api/agent-harnesses` | user-agent building (`utils/_detect_agent.py`), once a day per `HF_HOME` |
| `POST /api/repos/create` | `create_repo` |
| `POST /api/validate-yaml` | `create_commit` when it adds a `README.md` |
| `GET /api/{type}s/{repo}[/revision/{rev}]` | `repo_info`/`dataset_info`/`model_info`, `HfFileSystem` |
| `GET /api/{type}s/{repo}/refs` | `list_repo_refs` |
| `POST /api/{type}s/{repo}/preupload/{rev}` | `create_commit` (upload mode per file) |
| `POST /{datasets/}{repo}.git/info/lfs/objects/batch` | LFS batch API (basic transfer) |
| `PUT /_lfs/{type}/{repo}/{oid}`, `POST .../verify` | LFS upload + verify actions handed out by the batch API |
| `POST /api/{type}s/{repo}/commit/{rev}` | `create_commit` (NDJSON; 412 on a stale `parentCommit`) |
| `POST /api/{type}s/{repo}/branch/{branch}`, `.../tag/{rev}` | `create_branch`, `create_tag` (409 if it exists) |
| `GET /api/{type}s/{repo}/tree/{rev}[/{path}]` | `list_repo_tree`, `HfFileSystem.ls/glob` (paginated) |
| `POST /api/{type}s/{repo}/paths-info/{rev}` | `get_paths_info`, `HfFileSystem.info` |
| `GET/HEAD /{datasets/}{repo}/resolve/{rev}/{path}` | `hf_hub_download`, `HfFileSystem` reads (Range) |

Anything else is answered with 501 and recorded in `unknown_routes`; handler crashes are answered with 500 and
recorded in `server_errors`. The `hub` fixture asserts both are empty, so a client that starts calling a new
route fails the test instead of passing silently. Faults (`inject`) make a route fail a given number of times;
`lose_response` applies a request but answers with an error, as a lost response; `before_next` runs an action (say,
a concurrent commit) just before a route is served.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote

import yaml

from .hub_http import Handler, RecordedRequest, Request, Response, iso_date
from .hub_store import Blob, Commit, HubStore, Repo, StoreError

SENTINEL_TOKEN = "hf_saga_SENTINEL_TOKEN_must_never_leak_1f2e3d"
USER = "saga-tester"
_REPO = r"(?P<ns>[^/]+)/(?P<name>[^/]+)"
_API = rf"^/api/(?P<kind>models|datasets)/{_REPO}"
_LFS_OBJECT = rf"^/_lfs/(?P<kind>models|datasets)/{_REPO}/(?P<oid>[0-9a-f]{{64}})"
_RESOLVE = r"/resolve/(?P<rev>[^/]+)/(?P<path>.+)$"


class HubServer:
    """The running server: `url` to point `HF_ENDPOINT` at, the store, the request log and fault injection.

    Args:
        token (`str`): the only token accepted for writes and private reads.
        tree_page_size (`int`): entries per page of tree listings; small values exercise the client's pagination.
    """

    def __init__(self, token: str = SENTINEL_TOKEN, tree_page_size: int = 1000):
        self.token = token
        self.tree_page_size = tree_page_size
        self._lock = threading.RLock()
        self.reset()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.hub = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hub-test-server", daemon=True)
        routes = [
            ("GET", r"^/api/whoami-v2$", "whoami", self._whoami),
            ("GET", r"^/api/agent-harnesses$", "agent_harnesses", self._agent_harnesses),
            ("POST", r"^/api/repos/create$", "create_repo", self._create_repo),
            ("POST", r"^/api/validate-yaml$", "validate_yaml", self._validate_yaml),
            ("GET", rf"{_API}(?:/revision/(?P<rev>[^/]+))?$", "repo_info", self._repo_info),
            ("GET", rf"{_API}/refs$", "refs", self._refs),
            ("POST", rf"{_API}/preupload/(?P<rev>[^/]+)$", "preupload", self._preupload),
            ("POST", rf"{_API}/commit/(?P<rev>[^/]+)$", "commit", self._commit),
            ("POST", rf"{_API}/branch/(?P<branch>[^/]+)$", "create_branch", self._create_branch),
            ("POST", rf"{_API}/tag/(?P<rev>[^/]+)$", "create_tag", self._create_tag),
            ("GET", rf"{_API}/tree/(?P<rev>[^/]+)(?:/(?P<path>.+))?$", "tree", self._tree),
            ("POST", rf"{_API}/paths-info/(?P<rev>[^/]+)$", "paths_info", self._paths_info),
            ("POST", rf"^/(?P<prefix>datasets/)?{_REPO}\.git/info/lfs/objects/batch$", "lfs_batch", self._lfs_batch),
            ("PUT", rf"{_LFS_OBJECT}$", "lfs_upload", self._lfs_upload),
            ("POST", rf"{_LFS_OBJECT}/verify$", "lfs_verify", self._lfs_verify),
            ("GET HEAD", rf"^/(?P<prefix>datasets/){_REPO}{_RESOLVE}", "resolve", self._resolve),
            ("GET HEAD", rf"^/{_REPO}{_RESOLVE}", "resolve", self._resolve),
        ]
        self._routes = [(methods.split(), re.compile(pattern), name, fn) for methods, pattern, name, fn in routes]
        self._thread.start()

    # ----------------------------------------------------------------------------------------- test controls
    def reset(self) -> None:
        """Forget all repositories, requests, faults, hooks and recorded problems (the `hub` fixture, per test)."""
        with self._lock:
            self.store = HubStore()
            self.requests: list[RecordedRequest] = []
            self.unknown_routes: list[str] = []
            self.server_errors: list[str] = []
            self._faults: dict[str, list[tuple[int, int]]] = {}
            self._lost: dict[str, list[tuple[int, int]]] = {}
            self._hooks: dict[str, list[Callable[[], object]]] = {}

    def inject(self, route: str, status: int, times: int = 1) -> None:
        """Make the next `times` requests to `route` fail with `status` (with `Retry-After: 0`)."""
        with self._lock:
            self._faults.setdefault(route, []).append((status, times))

    def lose_response(self, route: str, status: int = 502, times: int = 1) -> None:
        """Serve the next `times` requests to `route` (their effect is applied) but answer `status` instead: a
        response lost on the way back, as when a proxy times out after the Hub applied a commit."""
        with self._lock:
            self._lost.setdefault(route, []).append((status, times))

    def before_next(self, route: str, action: Callable[[], object]) -> None:
        """Run `action` once, just before the next request to `route` is handled (e.g. a concurrent commit)."""
        with self._lock:
            self._hooks.setdefault(route, []).append(action)

    def calls(self, route: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.route == route]

    def shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # ----------------------------------------------------------------------------------------------- dispatch
    def handle(self, request: Request) -> Response:
        with self._lock:
            route, response = self._dispatch(request)
            authenticated = request.headers.get("authorization") == f"Bearer {self.token}"
            self.requests.append(RecordedRequest(request.method, request.path, route, response.status, authenticated))
            return response

    def _dispatch(self, request: Request) -> tuple[str | None, Response]:
        for methods, pattern, name, handler in self._routes:
            match = pattern.match(request.path)
            if request.method not in methods or match is None:
                continue
            request.params = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
            for action in self._hooks.pop(name, []):
                action()
            fault = self._take_fault(name)
            if fault is not None:
                return name, Response.json({"error": f"injected fault on {name}"}, fault, {"Retry-After": "0"})
            try:
                response = handler(request)
                lost = self._take_fault(name, self._lost)
                if lost is not None:
                    return name, Response.json({"error": f"response to {name} lost"}, lost, {"Retry-After": "0"})
                return name, response
            except StoreError as err:
                headers = {"X-Error-Message": err.message}
                if err.code:
                    headers["X-Error-Code"] = err.code
                return name, Response.json({"error": err.message}, err.status, headers)
            except Exception as err:  # noqa: BLE001 - re-surfaced by the fixture's teardown assertion
                self.server_errors.append(f"{request.method} {request.path}: {type(err).__name__}: {err}")
                return name, Response.json({"error": f"hub test server crashed: {err}"}, 500)
        message = f"hub test server: unknown route {request.method} {request.path}"
        self.unknown_routes.append(message)
        return None, Response.json({"error": message}, 501)

    def _take_fault(self, route: str, faults: dict[str, list[tuple[int, int]]] | None = None) -> int | None:
        pending = (self._faults if faults is None else faults).get(route)
        if not pending:
            return None
        status, times = pending[0]
        if times <= 1:
            pending.pop(0)
        else:
            pending[0] = (status, times - 1)
        return status

    # --------------------------------------------------------------------------------------------------- auth
    def _authenticated(self, request: Request) -> bool:
        """True with the right token, False without one; a wrong token is a 401 as on the Hub."""
        value = request.headers.get("authorization")
        if value is None:
            return False
        if value != f"Bearer {self.token}":
            raise StoreError(401, "Invalid credentials in Authorization header")
        return True

    def _repo(self, request: Request, write: bool = False) -> Repo:
        authenticated = self._authenticated(request)
        if write and not authenticated:
            raise StoreError(401, "You must be authenticated to write")
        kind = request.params.get("kind") or ("datasets" if request.params.get("prefix") else "models")
        repo = self.store.get(kind[:-1], f"{request.params['ns']}/{request.params['name']}")
        if repo.private and not authenticated:
            raise StoreError(404, "Repository not found", "RepoNotFound")
        return repo

    def _repo_url(self, repo: Repo) -> str:
        prefix = "datasets/" if repo.repo_type == "dataset" else ""
        return f"{self.url}/{prefix}{repo.repo_id}"

    # --------------------------------------------------------------------------------------- repository routes
    def _whoami(self, request: Request) -> Response:
        if not self._authenticated(request):
            raise StoreError(401, "Invalid credentials in Authorization header")
        return Response.json({"type": "user", "name": USER, "orgs": [], "auth": {"type": "access_token"}})

    def _agent_harnesses(self, request: Request) -> Response:
        """The registry `huggingface_hub` fetches (once a day) to tag its user agent; an empty one detects nothing."""
        return Response.json({"standardEnvVars": [], "harnesses": {}})

    def _create_repo(self, request: Request) -> Response:
        if not self._authenticated(request):
            raise StoreError(401, "You must be authenticated to create a repo")
        payload = request.json()
        repo_id = f"{payload.get('organization') or USER}/{payload['name']}"
        private = payload.get("visibility") == "private" or bool(payload.get("private"))
        try:
            repo = self.store.create_repo(payload.get("type") or "model", repo_id, private)
        except StoreError as err:
            url = f"{self.url}/{'datasets/' if payload.get('type') == 'dataset' else ''}{repo_id}"
            return Response.json({"error": err.message, "url": url}, err.status)
        return Response.json({"url": self._repo_url(repo), "name": repo_id, "id": repo_id})

    def _validate_yaml(self, request: Request) -> Response:
        payload = request.json()
        match = re.match(r"^---\s*\n(.*?)\n---\s*(?:\n|$)", payload["content"], flags=re.DOTALL)
        if payload.get("repoType") not in ("model", "dataset", "space"):
            return Response.json({"errors": [{"message": f"unknown repoType {payload.get('repoType')}"}]}, 400)
        metadata = yaml.safe_load(match.group(1)) if match else {}
        if not isinstance(metadata, dict):
            return Response.json({"errors": [{"message": "metadata must be a YAML mapping"}]}, 400)
        return Response.json({"errors": [], "warnings": []})

    def _repo_info(self, request: Request) -> Response:
        repo = self._repo(request)
        commit = repo.resolve(request.params.get("rev", "main"))
        blobs = request.flag("blobs")
        siblings = []
        for path, blob in sorted(commit.files.items()):
            sibling: dict = {"rfilename": path}
            if blobs:
                sibling.update(size=len(blob.content), blobId=blob.git_oid)
                if blob.lfs:
                    sibling["lfs"] = {
                        "size": len(blob.content),
                        "sha256": blob.sha256,
                        "pointerSize": len(blob.pointer),
                    }
            siblings.append(sibling)
        readme = commit.files.get("README.md")
        match = readme and re.match(r"^---\s*\n(.*?)\n---", readme.content.decode(), flags=re.DOTALL)
        card_data = yaml.safe_load(match.group(1)) if match else None
        payload = {
            "_id": repo.repo_id,
            "id": repo.repo_id,
            "author": repo.repo_id.split("/")[0],
            "sha": commit.oid,
            "private": repo.private,
            "gated": False,
            "disabled": False,
            "lastModified": iso_date(commit.date),
            "createdAt": iso_date(min(c.date for c in repo.commits.values())),
            "tags": [],
            "downloads": 0,
            "likes": 0,
            "siblings": siblings,
        }
        if card_data is not None:
            payload["cardData"] = card_data
        if repo.repo_type == "model":
            payload["modelId"] = repo.repo_id
        return Response.json(payload)

    def _refs(self, request: Request) -> Response:
        repo = self._repo(request)

        def refs(kind: str, names: dict[str, str]) -> list[dict]:
            return [{"name": n, "ref": f"refs/{kind}/{n}", "targetCommit": oid} for n, oid in sorted(names.items())]

        payload = {"branches": refs("heads", repo.branches), "converts": [], "tags": refs("tags", repo.tags)}
        if request.flag("include_prs"):
            payload["pullRequests"] = []
        return Response.json(payload)

    def _create_branch(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        branch = request.params["branch"]
        if branch in repo.branches:
            raise StoreError(409, f"Reference already exists: refs/heads/{branch}")
        start = (request.json() or {}).get("startingPoint") or "main"
        repo.branches[branch] = repo.resolve(start).oid
        return Response.json({})

    def _create_tag(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        tag = request.json()["tag"]
        if tag in repo.tags:
            raise StoreError(409, f"Tag {tag} already exists")
        repo.tags[tag] = repo.resolve(request.params["rev"]).oid
        return Response.json({})

    # ------------------------------------------------------------------------------------------ commit routes
    def _preupload(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        if request.flag("create_pr"):
            raise StoreError(501, "hub test server: pull requests are not implemented")
        head = repo.resolve(request.params["rev"])
        files = []
        for item in request.json()["files"]:
            sample = base64.b64decode(item["sample"])
            lfs = repo.is_lfs_path(head, item["path"], item["size"], sample)
            entry = {"path": item["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False}
            existing = head.files.get(item["path"])
            if existing is not None:
                entry["oid"] = existing.sha256 if lfs else existing.git_oid
            files.append(entry)
        return Response.json({"files": files, "commitOid": head.oid})

    def _commit(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        if request.flag("create_pr"):
            raise StoreError(501, "hub test server: pull requests are not implemented")
        lines = [json.loads(line) for line in request.body.decode().splitlines() if line.strip()]
        if not lines or lines[0].get("key") != "header":
            raise StoreError(400, "the first NDJSON line must be the commit header")
        header = lines[0]["value"]
        operations: list[tuple[str, str, Blob | None]] = []
        for line in lines[1:]:
            key, value = line["key"], line["value"]
            if key == "file":
                content = base64.b64decode(value["content"])
                if b"\0" in content or len(content) >= 10 * 1024 * 1024:
                    raise StoreError(400, f"{value['path']}: binary or large files must be uploaded with LFS")
                operations.append(("add", value["path"], Blob(content, lfs=False)))
            elif key == "lfsFile":
                content = repo.lfs_objects.get(value["oid"])
                if content is None:
                    raise StoreError(422, f"{value['path']}: LFS object {value['oid']} was never uploaded")
                operations.append(("add", value["path"], Blob(content, lfs=True)))
            elif key in ("deletedFile", "deletedFolder"):
                operations.append(("delete_file" if key == "deletedFile" else "delete_folder", value["path"], None))
            else:
                raise StoreError(501, f"hub test server: unknown commit operation {key!r}")
        commit = self.store.commit(
            repo, request.params["rev"], header["summary"], operations, header.get("parentCommit")
        )
        return Response.json(
            {
                "success": True,
                "commitOid": commit.oid,
                "commitUrl": f"{self._repo_url(repo)}/commit/{commit.oid}",
                "hookOutput": "",
            }
        )

    def _lfs_batch(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        payload = request.json()
        if payload.get("operation") != "upload" or "basic" not in payload.get("transfers", ["basic"]):
            raise StoreError(501, f"hub test server: only basic LFS uploads are implemented, got {payload}")
        kind = f"{repo.repo_type}s"
        objects = []
        for obj in payload["objects"]:
            entry = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in repo.lfs_objects:
                base = f"{self.url}/_lfs/{kind}/{repo.repo_id}/{obj['oid']}"
                entry["authenticated"] = True
                entry["actions"] = {"upload": {"href": base, "header": {}}, "verify": {"href": f"{base}/verify"}}
            objects.append(entry)
        return Response(
            200,
            json.dumps({"transfer": "basic", "objects": objects}).encode(),
            {"Content-Type": "application/vnd.git-lfs+json"},
        )

    def _lfs_upload(self, request: Request) -> Response:
        repo = self.store.get(request.params["kind"][:-1], f"{request.params['ns']}/{request.params['name']}")
        blob = Blob(request.body, lfs=True)
        if blob.sha256 != request.params["oid"]:
            raise StoreError(400, f"uploaded content hashes to {blob.sha256}, not {request.params['oid']}")
        repo.lfs_objects[blob.sha256] = request.body
        return Response(200)

    def _lfs_verify(self, request: Request) -> Response:
        repo = self._repo(request, write=True)
        payload = request.json()
        content = repo.lfs_objects.get(payload["oid"])
        if content is None or len(content) != payload["size"]:
            raise StoreError(404, f"LFS object {payload['oid']} ({payload['size']} bytes) not found")
        return Response.json({})

    # -------------------------------------------------------------------------------------------- read routes
    def _entry(self, repo: Repo, commit: Commit, path: str, expand: bool) -> dict:
        blob = commit.files.get(path)
        if blob is not None:
            entry: dict = {"type": "file", "oid": blob.git_oid, "size": len(blob.content), "path": path}
            if blob.lfs:
                entry["lfs"] = {"oid": blob.sha256, "size": len(blob.content), "pointerSize": len(blob.pointer)}
        else:
            children = sorted((p, b.git_oid) for p, b in commit.files.items() if p.startswith(path + "/"))
            entry = {"type": "directory", "oid": Blob(repr(children).encode(), False).git_oid, "size": 0, "path": path}
        if expand:
            last = repo.last_commit_of(commit, path)
            entry["lastCommit"] = {"id": last.oid, "title": last.title, "date": iso_date(last.date)}
        return entry

    def _tree(self, request: Request) -> Response:
        repo = self._repo(request)
        commit = repo.resolve(request.params["rev"])
        folder = request.params.get("path", "").strip("/")
        if folder and not commit.is_folder(folder):
            raise StoreError(404, f"{folder} is not a folder at {commit.oid}", "EntryNotFound")
        paths = commit.children(folder, request.flag("recursive"))
        start = int(request.query.get("cursor", ["0"])[0])
        page = paths[start : start + self.tree_page_size]
        headers = {}
        if start + self.tree_page_size < len(paths):
            query = {k: v[0] for k, v in request.query.items() if k != "cursor"}
            query["cursor"] = str(start + self.tree_page_size)
            link = f"{self.url}{request.path}?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
            headers["Link"] = f'<{link}>; rel="next"'
        expand = request.flag("expand")
        return Response.json([self._entry(repo, commit, p, expand) for p in page], headers=headers)

    def _paths_info(self, request: Request) -> Response:
        repo = self._repo(request)
        commit = repo.resolve(request.params["rev"])
        form = parse_qs(request.body.decode())
        expand = form.get("expand", ["false"])[0].lower() == "true"
        known = [
            p.strip("/")
            for p in form.get("paths", [])
            if p.strip("/") in commit.files or commit.is_folder(p.strip("/"))
        ]
        return Response.json([self._entry(repo, commit, p, expand) for p in known])

    def _resolve(self, request: Request) -> Response:
        repo = self._repo(request)
        commit = repo.resolve(request.params["rev"])
        blob = commit.files.get(request.params["path"])
        if blob is None:
            raise StoreError(404, f"Entry not found: {request.params['path']}", "EntryNotFound")
        headers = {
            "X-Repo-Commit": commit.oid,
            "ETag": f'"{blob.etag}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        if blob.lfs:
            headers.update({"X-Linked-Etag": f'"{blob.etag}"', "X-Linked-Size": str(len(blob.content))})
        content, status = blob.content, 200
        range_header = request.headers.get("range")
        if range_header:
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
            if match is None or not any(match.groups()):
                raise StoreError(416, f"unsupported Range {range_header!r}")
            first, last = match.groups()
            size = len(blob.content)
            start = int(first) if first else max(size - int(last), 0)
            end = min(int(last), size - 1) if first and last else size - 1
            if start >= size or start > end:
                return Response(416, headers={"Content-Range": f"bytes */{size}"})
            content, status = blob.content[start : end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        return Response(status, content, headers)
