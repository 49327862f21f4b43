"""The Hub-protocol test server answers the real `huggingface_hub` client as the Hub does, and fails loudly."""

from __future__ import annotations

import pytest
from huggingface_hub import CommitOperationAdd, HfApi, HfFileSystem, get_hf_file_metadata, hf_hub_url
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

REPO = "saga-org/server-check"
FILES = {
    "README.md": b"---\nlicense: mit\n---\n# check\n",
    "data/train-00000-of-00002.parquet": b"PAR1" + bytes(range(256)) * 4 + b"PAR1",
    "data/train-00001-of-00002.parquet": b"PAR1" + bytes(100) + b"PAR1",
    "saga/manifest.json": b'{"rows": 3}',
    "saga/plots/funnel.png": b"\x89PNG\r\n\x1a\n" + bytes(40),
}


@pytest.fixture
def seeded(hub, hub_env):
    """A dataset repo holding FILES on main (plus the initial `.gitattributes`)."""
    return hub.store.seed("dataset", REPO, FILES)


def test_tree_listing_is_paginated_and_complete(hub, seeded):
    entries = list(HfApi().list_repo_tree(REPO, repo_type="dataset", recursive=True))

    assert {entry.path for entry in entries} == {*FILES, ".gitattributes", "data", "saga", "saga/plots"}
    assert len(hub.calls("tree")) > 1  # pages of 2 entries, followed through the Link header


def test_paths_info_reports_files_folders_and_last_commit(hub, seeded):
    infos = HfApi().get_paths_info(
        REPO,
        ["README.md", "data", "missing.txt", "data/train-00000-of-00002.parquet"],
        repo_type="dataset",
        expand=True,
    )

    by_path = {info.path: info for info in infos}
    assert set(by_path) == {"README.md", "data", "data/train-00000-of-00002.parquet"}  # missing paths are omitted
    assert by_path["README.md"].lfs is None and by_path["README.md"].size == len(FILES["README.md"])
    assert by_path["data/train-00000-of-00002.parquet"].lfs.sha256  # parquet is stored with LFS
    assert by_path["data"].last_commit.oid == seeded.oid


def test_resolve_serves_metadata_headers_and_byte_ranges(hub, seeded):
    url = hf_hub_url(REPO, "data/train-00000-of-00002.parquet", repo_type="dataset")
    metadata = get_hf_file_metadata(url)
    content = FILES["data/train-00000-of-00002.parquet"]
    assert metadata.commit_hash == seeded.oid
    assert metadata.size == len(content)
    assert metadata.etag == seeded.files["data/train-00000-of-00002.parquet"].sha256  # X-Linked-Etag for LFS

    with HfFileSystem(skip_instance_cache=True).open(
        f"datasets/{REPO}/data/train-00000-of-00002.parquet", block_size=16
    ) as handle:
        handle.seek(100)
        assert handle.read(10) == content[100:110]
    assert 206 in [call.status for call in hub.calls("resolve")]


def test_commit_on_a_stale_parent_is_refused_with_412(hub, seeded):
    api = HfApi()
    api.upload_file(path_or_fileobj=b"newer\n", path_in_repo="notes.md", repo_id=REPO, repo_type="dataset")

    with pytest.raises(HfHubHTTPError) as err:
        api.create_commit(
            REPO,
            [CommitOperationAdd("late.md", b"late\n")],
            commit_message="late",
            repo_type="dataset",
            parent_commit=seeded.oid,
        )
    assert err.value.response.status_code == 412
    assert "late.md" not in api.list_repo_files(REPO, repo_type="dataset")


def test_existing_tag_is_refused_with_409(hub, seeded):
    api = HfApi()
    api.create_tag(REPO, tag="v1.0.0", repo_type="dataset")

    with pytest.raises(HfHubHTTPError) as err:
        api.create_tag(REPO, tag="v1.0.0", repo_type="dataset")
    assert err.value.response.status_code == 409


def test_auth_private_repos_and_whoami(hub, hub_env):
    hub.store.create_repo("model", "saga-org/secret", private=True)

    assert HfApi().whoami()["name"] == "saga-tester"
    assert HfApi().model_info("saga-org/secret").private is True
    with pytest.raises(RepositoryNotFoundError):
        HfApi(token=False).model_info("saga-org/secret")
    with pytest.raises(HfHubHTTPError) as err:
        HfApi(token="hf_not_the_token").model_info("saga-org/secret")
    assert err.value.response.status_code == 401


def test_unknown_route_fails_loudly_and_is_recorded(hub, seeded):
    with pytest.raises(HfHubHTTPError) as err:
        HfApi().list_repo_commits(REPO, repo_type="dataset")  # a route the server deliberately lacks

    assert err.value.response.status_code == 501
    assert hub.unknown_routes == [f"hub test server: unknown route GET /api/datasets/{REPO}/commits/main"]
    hub.unknown_routes.clear()  # expected here; anywhere else the `hub` fixture's teardown fails the test
