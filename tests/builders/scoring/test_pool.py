"""`ScorerPool` and `GrammarScorer` with `n_process > 1`: same results as one process, in order, one pool reused
across calls, and worker failures raised in the parent."""

import os
import signal

import pytest

from saga.builders.scoring import GrammarScorer, GrammarScorerConfig, ScoreCache
from saga.builders.scoring.cache import text_key
from saga.builders.scoring.errors import ScorerWorkerError
from saga.builders.scoring.pool import ScorerPool
from saga.errors import PipelineLoadError

TEXTS = [
    "Den store bilen står i garasjen.",
    "Et bil står i garasjen.",
    "Huset stort.",
    "I dag han spiser fisk.",
    "Jeg kan å svømme.",
    "Eg veit ikkje kva du meiner.",
    "Barna leker i hagen, og foreldrene drikker kaffe.",
    "han kom hjem",
]


@pytest.fixture(scope="module")
def pooled():
    """A scorer whose two-process pool lives for this module (started by the first `n_process=2` call)."""
    with GrammarScorer() as scorer:
        yield scorer


def test_two_processes_give_the_same_results_in_order(pooled, scorer):
    texts = TEXTS * 3
    one = [r.to_dict() for r in scorer.score_batch(texts, batch_size=3)]
    two = [r.to_dict() for r in pooled.score_batch(texts, batch_size=3, n_process=2)]
    assert two == one
    assert pooled.fingerprint == scorer.fingerprint


def test_rejected_inputs_keep_their_place(pooled, scorer):
    texts = [None, TEXTS[0], "", "   ", 7, TEXTS[2], "x" * 100_001, "...", TEXTS[1]]
    two = [r.to_dict() for r in pooled.score_batch(texts, batch_size=2, n_process=2, chunk_size=4)]
    assert two == [r.to_dict() for r in scorer.score_batch(texts)]
    assert [r["reason"] for r in two] == [
        "not_a_string", None, "empty", "empty", "not_a_string", None, "too_long", "no_words", None,
    ]  # fmt: skip


def test_the_pool_is_started_once_and_reused(pooled):
    list(pooled.score_batch(TEXTS[:2], n_process=2))
    pool = pooled._pool
    assert len(pool.worker_pids) == 2 and os.getpid() not in pool.worker_pids
    list(pooled.score_batch(TEXTS, batch_size=1, n_process=2))
    assert pooled._pool is pool and not pool.closed


def test_cache_is_filled_and_read_with_two_processes(pooled, scorer, tmp_path, monkeypatch):
    cache = ScoreCache(tmp_path / "scores.sqlite")
    cached = GrammarScorer(scorer.config, cache=cache)
    cached._pool = pooled._pool  # borrow the started pool instead of starting another
    try:
        first = [r.to_dict() for r in cached.score_batch(TEXTS, batch_size=3, n_process=2)]
        assert len(cache.get_many(cached.fingerprint, [text_key(t) for t in TEXTS])) == len(TEXTS)
        monkeypatch.setattr(cached, "_pool", None)
        monkeypatch.setattr(ScorerPool, "__init__", lambda *args: pytest.fail("all cached: no pool needed"))
        assert [r.to_dict() for r in cached.score_batch(TEXTS, n_process=2)] == first
    finally:
        cache.close()


def test_an_error_in_a_worker_is_raised_in_the_parent_and_the_pool_survives(pooled):
    list(pooled.score_batch(TEXTS[:1], n_process=2))
    with pytest.raises(TypeError, match="only strings are parsed, got NoneType"):
        list(pooled._pool.score([TEXTS[0], None, TEXTS[1]], batch_size=1))  # None never reaches a worker otherwise
    assert [r.parse_success for r in pooled.score_batch(TEXTS[:3], n_process=2)] == [True, True, False]


def test_a_worker_that_cannot_build_its_pipeline_fails_the_start():
    config = GrammarScorerConfig(pipeline="no_such_pipeline")
    with pytest.raises(PipelineLoadError, match="no_such_pipeline"):
        ScorerPool(config, n_process=1)


def test_a_dead_worker_raises_and_a_new_pool_replaces_it(pooled):
    list(pooled.score_batch(TEXTS[:1], n_process=2))
    pool = pooled._pool
    os.kill(next(iter(pool.worker_pids)), signal.SIGKILL)
    with pytest.raises(ScorerWorkerError, match="died"):
        list(pooled.score_batch(TEXTS * 4, batch_size=1, n_process=2))
    assert pool.closed
    pooled.close()
    assert pooled._pool is None
