"""The `sentences` builder: accounting of every row, determinism, and broken inputs."""

import hashlib
import json

import polars as pl
import pytest

from saga.builders.build import build
from saga.builders.sentences import Sentences, SentencesConfig
from saga.builders.sources.wikipedia import WikiSource, load_articles
from saga.errors import InputDataError


def _build(articles_file, out, **config):
    inputs = {"articles": WikiSource(str(articles_file)).fingerprint()}
    return build(Sentences, out, {"source": str(articles_file), **config}, inputs, cache_dir=out.parent / "cache")


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_row_is_kept_or_counted(articles_file, tmp_path):
    result = _build(articles_file, tmp_path / "s")
    funnel = {step["step"]: step for step in json.loads((tmp_path / "s" / "saga" / "funnel.json").read_text())}
    assert funnel["articles"]["dropped"] == {"empty_text": 1}
    assert funnel["lines"]["dropped"] == {"title": 3, "heading": 1, "list_item": 1}
    sentences = funnel["sentences"]
    assert sentences["dropped"] == {"duplicate": 1, "language_en": 1, "language_nn": 1, "too_short": 1}
    assert sentences["out"] == result.rows["train"] == 8
    frame = pl.read_parquet(tmp_path / "s" / "data" / "train-00000-of-00001.parquet")
    assert frame["text"].is_unique().all()
    assert "Bergen var en viktig handelsby i middelalderen." in frame["text"].to_list()
    assert frame.filter(pl.col("article_id") == "a1")["sentence_idx"].to_list() == [0, 1, 2, 3, 4]


def test_same_inputs_same_bytes_and_fingerprint(articles_file, tmp_path):
    first = _build(articles_file, tmp_path / "one" / "s")
    second = _build(articles_file, tmp_path / "two" / "s")
    assert first.fingerprint == second.fingerprint
    name = "data/train-00000-of-00001.parquet"
    assert _sha(tmp_path / "one" / "s" / name) == _sha(tmp_path / "two" / "s" / name)
    assert _build(articles_file, tmp_path / "one" / "s").reused


def test_a_build_the_datasets_cache_holds_is_generated_again_for_its_funnel(articles_file, tmp_path, caplog):
    """The funnel lives on the builder, not in `datasets`' cache: a folder rebuilt from a warm cache (its manifest
    gone) is generated again, so it gets the same funnel and dropped rows as the first build."""
    first = tmp_path / "s"
    _build(articles_file, first, write_dropped=True)
    saved = {name: (first / "saga" / name).read_bytes() for name in ("funnel.json", "dropped.parquet")}
    (first / "saga" / "manifest.json").unlink()
    caplog.set_level("INFO", logger="saga.builders.build")
    assert not _build(articles_file, first, write_dropped=True).reused
    assert "found in the datasets cache without its funnel; generating it again" in caplog.text
    assert {name: (first / "saga" / name).read_bytes() for name in saved} == saved


def test_changed_default_changes_fingerprint(articles_file, tmp_path):
    base = _build(articles_file, tmp_path / "a" / "s")
    stricter = _build(articles_file, tmp_path / "b" / "s", min_words=6)
    assert base.fingerprint != stricter.fingerprint
    assert stricter.rows["train"] < base.rows["train"]


def test_config_validation_names_bad_values():
    with pytest.raises(ValueError, match="need 0 < min_words < max_words, got 10 and 5"):
        SentencesConfig(name="x", min_words=10, max_words=5)


def test_oversized_article_is_a_counted_drop(tmp_path):
    path = tmp_path / "big.jsonl"
    big = {"id": "big", "title": "Stor", "text": "Dette er en setning. " * 50_000}
    small = {"id": "s", "title": "Liten", "text": "Liten\nDette er en helt vanlig setning om noe."}
    path.write_text(json.dumps(big) + "\n" + json.dumps(small) + "\n")
    _build(path, tmp_path / "s", max_article_chars=100_000)
    funnel = json.loads((tmp_path / "s" / "saga" / "funnel.json").read_text())
    assert funnel[0]["dropped"] == {"article_too_long": 1}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jsonl", b"", "the file is empty"),
        ("bad.parquet", b"PAR1 not parquet", "cannot read as parquet: ArrowInvalid"),
        (
            "nocol.jsonl",
            b'{"id": "1", "title": "x", "body": "y"}\n',
            r"missing column\(s\) text; found id, title, body",
        ),
        ("latin1.jsonl", '{"id": "1", "title": "x", "text": "Blåbær"}\n'.encode("latin-1"), ":1: not valid UTF-8"),
        ("notes.txt", b"hei", "unsupported file type '.txt'"),
        (
            "mixed.jsonl",
            b'{"id": 1, "title": "A", "text": "Hei."}\n{"id": "b", "title": "B", "text": "Hallo."}\n',
            r"column\(s\) id \(Json\) must hold strings in every row",
        ),
        (
            "mixedtext.jsonl",
            b'{"id": "1", "title": "A", "text": 5}\n{"id": "2", "title": "B", "text": "Hallo."}\n',
            r"column\(s\) text \(Json\) must hold strings",
        ),
    ],
)
def test_broken_inputs_give_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputDataError, match=message):
        load_articles(WikiSource(str(path)))


def test_a_parquet_file_without_rows_is_named(tmp_path):
    import polars as pl

    path = tmp_path / "empty.parquet"
    pl.DataFrame(schema={"id": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8}).write_parquet(path)
    with pytest.raises(InputDataError, match=r"empty.parquet: the file holds no articles \(0 rows\)"):
        load_articles(WikiSource(str(path)))


def test_missing_source_is_named():
    with pytest.raises(InputDataError, match="article source not found: nope.jsonl"):
        WikiSource("nope.jsonl").local_files()


def test_write_dropped_keeps_every_dropped_sentence_with_its_reason(tmp_path):
    import polars as pl

    from saga.stages import run_stage

    path = tmp_path / "articles.jsonl"
    text = "Oslo er en by. Oslo er en by. Dette er en helt vanlig setning om byen. Kort."
    path.write_text(json.dumps({"id": "1", "title": "Oslo", "text": text}) + "\n", encoding="utf-8")
    result, _ = run_stage("sentences", {"source": str(path), "write_dropped": True}, root=tmp_path / "datasets")
    dropped = pl.read_parquet(result.out_dir / "saga" / "dropped.parquet")
    funnel = json.loads((result.out_dir / "saga" / "funnel.json").read_text())
    counted = next(step for step in funnel if step["step"] == "sentences")["dropped"]
    assert dict(dropped.group_by("reason").len().iter_rows()) == {k: v for k, v in counted.items() if v}
    assert set(dropped.columns) == {"article_id", "sentence_idx", "text", "step", "reason"}
