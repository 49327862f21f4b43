"""HTTP plumbing of the Hub test server: request/response records and the `http.server` adapter."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One parsed request; `params` holds the route's URL-decoded path parameters (repo, revision, path)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def json(self):
        return json.loads(self.body or b"null")

    def flag(self, name: str) -> bool:
        return self.query.get(name, ["false"])[0].lower() in ("1", "true")


@dataclass
class Response:
    """What a route answers; the adapter adds `Content-Length` (and omits the body for HEAD)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return cls(status, json.dumps(payload).encode(), {"Content-Type": "application/json", **(headers or {})})


@dataclass(frozen=True)
class RecordedRequest:
    """One line of the server's request log: what was called, which route served it, with what status and auth."""

    method: str
    path: str
    route: str | None
    status: int
    authenticated: bool


def iso_date(date: datetime) -> str:
    """Dates as the Hub writes them (`huggingface_hub.utils.parse_datetime` accepts only this form)."""
    return date.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class Handler(BaseHTTPRequestHandler):
    """Adapts `http.server` to `HubServer.handle`: reads the whole body (sized or chunked), keeps connections alive."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        """Silent: the server's request log is the record, and stderr stays clean for the tests' leak checks."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self._read_body(),
        )
        response = self.server.hub.handle(request)  # type: ignore[attr-defined]
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _serve
