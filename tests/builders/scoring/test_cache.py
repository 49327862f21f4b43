"""The persistent score cache: keyed by (text hash, fingerprint), committed per batch, safe to interrupt."""

import sqlite3

import pytest

from saga.builders.scoring import GrammarScorer, ScoreCache, ScoreCacheError
from saga.builders.scoring.cache import text_key
from saga.builders.scoring.component import GrammarScorerComponent
from saga.builders.scoring.results import ScoreResult
from saga.builders.scoring.violations import Violation


def test_round_trip_and_fingerprint_isolation(tmp_path):
    result = ScoreResult(
        0.5, True, [Violation("repeated_word", 1, 3, "'og' twice in a row", 0.5)], 0.5, 1.0, 0.0, 1, 4
    )
    with ScoreCache(tmp_path / "scores.sqlite") as cache:
        cache.put_many("fp-a", [(text_key("Og og."), result)])
        assert cache.get_many("fp-a", [text_key("Og og."), text_key("other")]) == {text_key("Og og."): result}
        assert cache.get_many("fp-b", [text_key("Og og.")]) == {}
        assert len(cache) == 1


def test_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "scores.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ScoreCacheError, match="cannot open score cache"):
        ScoreCache(path)


def test_cached_texts_skip_spacy(scorer, tmp_path, monkeypatch):
    texts = ["Huset er stort.", "Huset stort.", "", "I går han spiste fisk."]
    cached_scorer = GrammarScorer(scorer.config, cache=ScoreCache(tmp_path / "scores.sqlite"))
    first = [r.to_dict() for r in cached_scorer.score_batch(texts)]
    assert len(cached_scorer.cache) == 3  # the empty text is rejected, not cached

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached text was parsed again")

    monkeypatch.setattr(cached_scorer.nlp, "pipe", no_parsing)
    assert [r.to_dict() for r in cached_scorer.score_batch(texts)] == first
    assert first == [scorer.score(t).to_dict() for t in texts]


def test_interrupted_run_keeps_every_finished_batch(scorer, tmp_path, monkeypatch):
    texts = [f"Vi kjøpte {n} nye hus i fjor." for n in range(2, 9)]
    path = tmp_path / "scores.sqlite"
    cached_scorer = GrammarScorer(scorer.config, cache=ScoreCache(path))
    analyse = GrammarScorerComponent.analyse
    seen = []

    def dies_on_the_fifth(self, doc, *args):
        seen.append(doc.text)
        if len(seen) == 5:
            raise KeyboardInterrupt
        return analyse(self, doc, *args)

    monkeypatch.setattr(GrammarScorerComponent, "analyse", dies_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        list(cached_scorer.score_batch(texts, batch_size=2))
    cached_scorer.cache.close()
    rows = sqlite3.connect(path).execute("SELECT text_sha256 FROM scores").fetchall()
    assert {row[0] for row in rows} == {text_key(t) for t in texts[:4]}  # two committed batches of two
