"""Retries with backoff for the Hub calls that `huggingface_hub` sends without any, and one-line Hub errors.

`huggingface_hub` already retries (through `http_backoff`) the preupload, LFS batch/upload/verify, pagination and
download requests. The commit, tag, branch, refs and repo-info calls go out once. `call_hub` retries those on the
statuses `http_backoff` retries (429 and 5xx, honouring `Retry-After`) and on transient network errors, and does not
retry again what the library has already retried. What still fails becomes a typed saga error naming the step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from huggingface_hub import constants
from huggingface_hub.errors import HfHubHTTPError

from saga.errors import HubAuthError, HubRequestError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The status codes `huggingface_hub.utils.http_backoff` retries by default.
RETRY_STATUS_CODES = (408, 429, 500, 502, 503, 504)
_TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def call_hub(
    what: str,
    request: Callable[[], T],
    *,
    expected: tuple[type[Exception], ...] = (),
    on_status: dict[int, str] | None = None,
    max_retries: int = 5,
    base_wait: float = 1.0,
    max_wait: float = 8.0,
) -> T:
    """Run one Hub call, retrying transient failures with exponential backoff.

    Args:
        what (`str`): the step, for messages ("creating tag v1.0.0 on org/name").
        request (`Callable[[], T]`): the call, e.g. `lambda: api.create_tag(...)`.
        expected (`tuple[type[Exception], ...]`, *optional*): library errors the caller handles itself (e.g.
            `RevisionNotFoundError`); they are re-raised unchanged.
        on_status (`dict[int, str]`, *optional*): a message per HTTP status that has a specific meaning for this
            call (e.g. 412 on a commit: the branch moved).
        max_retries (`int`, *optional*, defaults to 5): retries after the first attempt.
        base_wait (`float`, *optional*, defaults to 1.0): seconds before the first retry; doubles each time.
        max_wait (`float`, *optional*, defaults to 8.0): cap on the wait between retries.

    Raises:
        [`HubAuthError`]: on HTTP 401/403.
        [`HubRequestError`]: when the call fails for good.
    """
    wait, attempt = base_wait, 0
    while True:
        try:
            return request()
        except expected:
            raise
        except HfHubHTTPError as err:
            status = err.response.status_code if err.response is not None else None
            if status in (401, 403):
                raise HubAuthError(
                    f"the Hub refused the token (HTTP {status}) while {what}",
                    hint="set HF_TOKEN, or log in with `hf auth login`, with a token that has access to the "
                    "repository (write access to publish)",
                ) from err
            if status in (on_status or {}):
                raise HubRequestError(f"{what}: {on_status[status]}") from err
            if status not in RETRY_STATUS_CODES or _retried_by_library(err) or attempt == max_retries:
                raise HubRequestError(f"{what} failed: {describe_http_error(err)}") from err
            delay = _retry_after(err.response) if err.response is not None else None
            reason = f"HTTP {status}"
        except _TRANSIENT_ERRORS as err:
            if attempt == max_retries:
                raise HubRequestError(f"{what} failed: cannot reach {constants.ENDPOINT} ({err})") from err
            delay, reason = None, type(err).__name__
        attempt += 1
        delay = wait if delay is None else delay
        logger.warning("%s: %s, retry %d/%d in %.1fs", what, reason, attempt, max_retries, delay)
        time.sleep(delay)
        wait = min(max_wait, wait * 2)


def describe_http_error(err: HfHubHTTPError) -> str:
    """`HTTP <status>: <server message>` in one line (the library's own message spans several)."""
    status = err.response.status_code if err.response is not None else "?"
    message = err.server_message or str(err).strip().splitlines()[0]
    return f"HTTP {status}: {message.strip()}"


def _retried_by_library(err: HfHubHTTPError) -> bool:
    """Whether the failed request went through `http_backoff` already: preupload, LFS batch and LFS storage uploads.

    Only `/api/...` requests other than preupload are sent once by `huggingface_hub`; LFS batch requests
    (`{repo}.git/info/lfs/...`) and uploads (to storage hosts) are not under `/api/` and are retried by the library.
    """
    if err.response is None:
        return False
    path = urlsplit(str(err.response.request.url)).path
    return "/api/" not in path or "/preupload/" in path


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None
