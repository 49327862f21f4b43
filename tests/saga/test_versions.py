"""Library versions and source digests: what manifests and caches record about the code that made them."""

from saga.versions import installed_versions, source_fingerprint


def test_installed_versions_names_a_missing_distribution():
    versions = installed_versions(["spacy", "no-such-distribution-saga"])
    assert versions["spacy"][0].isdigit() and versions["no-such-distribution-saga"] == "not installed"


def test_source_fingerprint_follows_file_bytes_and_names(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    files = [tmp_path / "a.py", tmp_path / "b.py"]
    first = source_fingerprint(tmp_path, files)
    assert len(first) == 16 and source_fingerprint(tmp_path, files) == first
    (tmp_path / "b.py").write_text("y = 3\n")
    edited = source_fingerprint(tmp_path, files)
    (tmp_path / "b.py").rename(tmp_path / "c.py")
    renamed = source_fingerprint(tmp_path, [tmp_path / "a.py", tmp_path / "c.py"])
    assert len({first, edited, renamed}) == 3
