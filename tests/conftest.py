"""Shared pytest fixtures.

`tests/` is a package (it has an `__init__.py`): without it pytest would put `tests/` on `sys.path`, where the
folders mirroring the source tree (`tests/saga/`, `tests/builders/`) shadow the real packages.

Hub fixtures: `hub_server` starts the Hub-protocol test server (`tests/hub_server.py`) once per session; `hub`
hands it to one test with empty state and fails the test if a client called a route the server does not know;
`hub_env` points this process and any subprocess at it (temporary `HF_HOME`, sentinel token, no Xet).

`acceptability_data` is a small stand-in for `../shared/data` (the fixture treebanks, a few news sentences) plus a
one-article Wikipedia file, for training the acceptability classifier in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from huggingface_hub import constants

from .hub_server import SENTINEL_TOKEN, HubServer


@pytest.fixture(scope="session")
def hub_server():
    """The Hub-protocol server on 127.0.0.1 (free port), with tiny tree pages so pagination is always exercised."""
    server = HubServer(token=SENTINEL_TOKEN, tree_page_size=2)
    yield server
    server.shutdown()


@pytest.fixture
def hub(hub_server):
    """The server with no repositories, requests or faults; unknown routes or server crashes fail the test."""
    hub_server.reset()
    yield hub_server
    assert not hub_server.unknown_routes, (
        f"client called routes the test server does not implement: {hub_server.unknown_routes}"
    )
    assert not hub_server.server_errors, f"test server crashed: {hub_server.server_errors}"


@pytest.fixture
def hub_env(hub, tmp_path, monkeypatch) -> dict[str, str]:
    """Point `huggingface_hub` in this process, and subprocesses given the returned env, at the test server.

    `huggingface_hub` reads `HF_ENDPOINT` and friends at import time, so the constants are patched as well as the
    environment. `datasets` does the same in `datasets.config`: load datasets in a subprocess with this env.
    """
    hf_home = tmp_path / "hf_home"
    env = {
        "HF_ENDPOINT": hub.url,
        "HF_HUB_DISABLE_XET": "1",
        "HF_UPDATE_DOWNLOAD_COUNTS": "0",
        "HF_HOME": str(hf_home),
        "HF_TOKEN": SENTINEL_TOKEN,
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for key in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_CACHE", "HF_DATASETS_CACHE", "HF_TOKEN_PATH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.url + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
    monkeypatch.setattr(constants, "HF_HOME", str(hf_home))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(hf_home / "hub"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(hf_home / "token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(hf_home / "stored_tokens"))
    monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(hf_home / "agent_harnesses.json"))
    return dict(os.environ)


@pytest.fixture
def acceptability_data(tmp_path) -> tuple[Path, Path]:
    """(data folder, Wikipedia JSONL): the news file holds a duplicate, a held-out sentence and a two-word line."""
    root = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "treebank", root)
    (root / "news_nb").mkdir()
    news = [
        "Billettene er kraftig redusert siden forrige sesong.",
        "Billettene er kraftig redusert siden forrige sesong.",
        "En uvirkelig sommer.",
        "For kort.",
    ]
    (root / "news_nb" / "npk_cc0_bokmaal_sentences.txt").write_text("\n".join(news) + "\n", encoding="utf-8")
    wiki = tmp_path / "wiki.jsonl"
    article = {"id": "1", "title": "Bergen", "text": "Bergen er en by på Vestlandet. Byen ble grunnlagt i 1070."}
    wiki.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    return root, wiki
