"""`call_hub` retries what `huggingface_hub` sends once, backs off exponentially, and never retries twice."""

from __future__ import annotations

import httpx
import pytest
from huggingface_hub.errors import HfHubHTTPError

from saga.errors import HubAuthError, HubRequestError
from saga.hub import retry
from saga.hub.retry import call_hub


def failing(statuses: list[int], path: str = "/api/datasets/org/name/commit/main", headers: dict | None = None):
    """A request that fails with each status in turn, then returns "ok"; `calls` counts attempts."""

    def request():
        request.calls += 1
        if statuses:
            response = httpx.Response(
                statuses.pop(0), headers=headers, request=httpx.Request("POST", f"http://hub{path}")
            )
            raise HfHubHTTPError("failed", response=response, server_message="busy")
        return "ok"

    request.calls = 0
    return request


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(retry.time, "sleep", waited.append)
    return waited


def test_transient_statuses_are_retried_with_exponential_backoff(sleeps):
    request = failing([503, 429, 500])
    assert call_hub("committing", request) == "ok"
    assert request.calls == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_retry_after_is_honoured(sleeps):
    assert call_hub("tagging", failing([429], headers={"Retry-After": "3"})) == "ok"
    assert sleeps == [3.0]


def test_giving_up_after_max_retries_names_the_step(sleeps):
    request = failing([503] * 10)
    with pytest.raises(HubRequestError, match=r"^committing failed: HTTP 503: busy$"):
        call_hub("committing", request, max_retries=2)
    assert request.calls == 3 and sleeps == [1.0, 2.0]


@pytest.mark.parametrize(
    "path", ["/api/datasets/org/name/preupload/main", "/datasets/org/name.git/info/lfs/objects/batch"]
)
def test_requests_the_library_already_retried_are_not_retried_again(sleeps, path):
    request = failing([503], path=path)
    with pytest.raises(HubRequestError, match="HTTP 503"):
        call_hub("committing", request)
    assert request.calls == 1 and sleeps == []


def test_client_errors_are_not_retried_and_statuses_can_carry_a_meaning(sleeps):
    with pytest.raises(HubRequestError, match="HTTP 404"):
        call_hub("reading", failing([404]))
    with pytest.raises(HubRequestError, match="^committing: the branch moved$"):
        call_hub("committing", failing([412]), on_status={412: "the branch moved"})
    assert sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_become_one_clear_error(sleeps, status):
    with pytest.raises(HubAuthError, match=rf"the Hub refused the token \(HTTP {status}\) while tagging"):
        call_hub("tagging", failing([status]))
