"""`ScorerPool`: worker processes that each build the scorer pipeline once and return small result dicts.

`nlp.pipe(n_process=2)` starts its workers on every call and ships each whole `Doc` back to the parent as bytes,
which made two processes barely faster than one. A pool worker keeps its pipeline between calls and returns only
`ScoreResult.to_dict()` dicts. Workers are started with the 'spawn' method (no forked copy of a parent's threads
or locks) and limited to one BLAS/OpenMP/torch/rayon thread each, so `n` workers use `n` cores. As with any
'spawn' start, a script that scores with `n_process > 1` needs an `if __name__ == "__main__":` guard (workers
import the main module).

Example:
    ```python
    >>> from saga.builders.scoring import GrammarScorerConfig
    >>> with ScorerPool(GrammarScorerConfig(), n_process=2) as pool:
    ...     [r["parse_success"] for r in pool.score(["Huset er stort.", "Huset stort."])]
    [True, False]
    ```
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from spacy.util import minibatch
from threadpoolctl import threadpool_limits

from saga.builders.scoring.errors import ScorerWorkerError

if TYPE_CHECKING:
    from saga.builders.scoring.scorer import GrammarScorer, GrammarScorerConfig

# Thread pools read these when they start: rayon (lingua) and any BLAS or OpenMP library loaded after start-up.
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")
# How long a start-up check holds its worker, so that a worker still building its pipeline gets the next one.
READY_PAUSE_S = 0.05
# Scored once by each worker at start: its unknown word and Nynorsk markers load the lexicon and the language
# detector, which the rules otherwise load on first use (seconds, in the middle of the first batch).
WARM_UP_TEXT = "Eg veit ikkje kva du meinar."

_worker_scorer: GrammarScorer | None = None
_worker_error: BaseException | None = None


def worker_scorer(config: GrammarScorerConfig) -> GrammarScorer:
    """A worker's scorer: one thread per library (so `n` workers use `n` cores), then the pipeline, warmed up."""
    os.environ.update(dict.fromkeys(THREAD_ENV, "1"))
    threadpool_limits(1)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    from saga.builders.scoring.scorer import GrammarScorer

    scorer = GrammarScorer(config)
    scorer.score(WARM_UP_TEXT)
    return scorer


def _start_worker(config: GrammarScorerConfig) -> None:
    """Pool initializer. A failure is kept and raised by the first task, where the parent sees it with its
    traceback (an initializer error only breaks the pool)."""
    global _worker_scorer, _worker_error
    try:
        _worker_scorer = worker_scorer(config)
    except Exception as err:  # noqa: BLE001 - re-raised by every task of this worker
        _worker_error = err


def _worker() -> GrammarScorer:
    """This worker's scorer, or the exception that building it raised."""
    if _worker_error is not None:
        raise _worker_error
    return _worker_scorer


def _ready() -> int:
    """Start-up check: the worker's process id, once it has built its pipeline."""
    _worker()
    time.sleep(READY_PAUSE_S)
    return os.getpid()


def _score_batch(items: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """Score one batch in a worker: the `ScoreResult.to_dict()` of each (text, prompt), in order."""
    scorer = _worker()
    return [doc._.saga_result for doc in scorer.nlp.pipe(scorer.docs(items), batch_size=len(items))]


class ScoreActor:
    """A Ray actor (`saga.builders.executor`): builds the scorer as a pool worker does, then scores shard after shard.

    Args:
        config (`GrammarScorerConfig`): the scorer to build.
        batch_size (`int`): `nlp.pipe` batch size within a shard.
    """

    def __init__(self, config: GrammarScorerConfig, batch_size: int):
        self.scorer = worker_scorer(config)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        """A batch of shards (`index`, `items`: JSON (text, prompt) pairs) → `index`, `results` (JSON dicts)."""
        results = []
        for items in batch["items"]:
            pairs = [(text, prompt) for text, prompt in json.loads(items)]
            docs = self.scorer.nlp.pipe(self.scorer.docs(pairs), batch_size=self.batch_size)
            results.append(json.dumps([doc._.saga_result for doc in docs]))
        return {"index": batch["index"], "results": results}


class ScorerPool:
    """A fixed number of worker processes scoring batches of texts with the pipeline of `config`.

    All workers are started, and their pipelines built and warmed up, when the pool is created, so the first
    `score` call runs at full speed and a worker that cannot build its pipeline fails here. Results come back in
    input order; the same batches as in one process give the same results. The pool is closed by `close()`, on
    leaving a `with` block, when it is garbage-collected, or at interpreter exit.

    Args:
        config (`GrammarScorerConfig`): what every worker builds its `GrammarScorer` from.
        n_process (`int`): worker processes (≥ 1).

    Attributes:
        worker_pids (`frozenset[int]`): the process ids of the workers.

    Raises:
        `Exception`: whatever building the scorer raised in a worker (e.g. `ScorerConfigError`).
    """

    def __init__(self, config: GrammarScorerConfig, n_process: int):
        if n_process < 1:
            raise ValueError(f"n_process must be >= 1, got {n_process}")
        self.n_process = n_process
        self._executor = ProcessPoolExecutor(
            n_process, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(config,)
        )
        # wait=True also when garbage-collected: a pool still shutting down at interpreter exit races its wake-up pipe.
        self._finalizer = weakref.finalize(self, self._executor.shutdown, wait=True, cancel_futures=True)
        # Submitting a task per worker makes the executor start them all; repeat until each has answered.
        try:
            ready: set[int] = set()
            while len(ready) < n_process:
                ready.update(future.result() for future in [self._executor.submit(_ready) for _ in range(n_process)])
            self.worker_pids = frozenset(ready)
        except BrokenProcessPool as err:
            self.close()
            raise ScorerWorkerError(f"a scorer worker process died while starting: {err}") from err
        except BaseException:
            self.close()
            raise

    def score(self, texts: Sequence[str | tuple[str, str | None]], batch_size: int = 64) -> Iterator[dict[str, Any]]:
        """Score `texts` in batches of `batch_size` spread over the workers, yielding result dicts in input order.

        Args:
            texts (`Sequence[str | tuple[str, str | None]]`): texts that pass `GrammarScorer.check_input`, or
                (text, prompt) pairs.
            batch_size (`int`, *optional*, defaults to 64): texts per task (and per `nlp.pipe` batch in a worker).

        Raises:
            `ScorerWorkerError`: a worker died; the pool is closed.
            `Exception`: an exception raised while scoring in a worker, re-raised here with the worker's traceback.
        """
        if self.closed:
            raise RuntimeError("the scorer pool is closed")
        futures: list[Future] = []
        try:
            items = [item if isinstance(item, tuple) else (item, None) for item in texts]
            futures.extend(self._executor.submit(_score_batch, batch) for batch in minibatch(items, batch_size))
            for future in futures:
                yield from future.result()
        except BrokenProcessPool as err:
            self.close()
            raise ScorerWorkerError(
                f"a scorer worker process died while scoring: {err}",
                hint="check memory (each worker holds its own pipeline) or score with n_process=1",
            ) from err
        finally:
            for future in futures:
                future.cancel()

    @property
    def closed(self) -> bool:
        """Whether `close()` has run (or the pool was finalised)."""
        return not self._finalizer.alive

    def close(self) -> None:
        """Stop the workers; pending batches are cancelled."""
        self._finalizer()

    def __enter__(self) -> ScorerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
