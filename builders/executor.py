"""Where a heavy stage runs: in this process (the default) or spread over a Ray cluster.

A stage that scores or generates cuts its work into shards: the scoring stages into chunks of texts, whose scores
go to the score cache, `completions` into its resumable generation shards. On Ray each shard becomes one row of a
Ray Data dataset, and `map_batches` hands the rows to a pool of actors that each build their model (the spaCy
pipeline and scorer, or the policy) once and then work through shard after shard. Every result carries its
shard's index and depends only on that shard's inputs (texts and prompts, or prompts and per-request seeds), so
the driver restores the input order and writes the same parquet, fingerprint and funnel as a local run. The
driver stores each shard as it arrives: a killed run redoes only the shards it had not stored.

`address` names the cluster: `None` starts a Ray instance on this machine (or joins the one this process already
started, as the tests do), `"auto"` joins the cluster this machine belongs to (`ray start --head` on the head
node, `ray start --address HEAD:6379` on the others, or a Slurm allocation that runs them), `"ray://HOST:10001"`
a remote one through Ray Client. Ray is an optional dependency: `pip install 'saga[ray]'`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from saga.errors import ExecutorError

logger = logging.getLogger(__name__)

EXECUTOR_TYPES = ("local", "ray")
EXECUTOR_KEYS = ("type", "address", "num_workers", "shard_size")


def import_ray() -> Any:
    """The `ray` module with Ray Data, or one clear error naming the extra to install."""
    try:
        import ray
        import ray.data  # noqa: F401 - Ray Data is a separate part of the package
    except ImportError as err:
        raise ExecutorError(
            "the executor 'ray' needs Ray with Ray Data, which is not installed",
            hint="pip install 'saga[ray]' (or drop the executor setting to run locally)",
        ) from err
    return ray


@dataclass(frozen=True)
class RayExecutor:
    """Where and how wide a stage runs on Ray.

    Args:
        address (`str`, *optional*): the cluster (`None`: this machine, `"auto"`, `"ray://HOST:PORT"`).
        num_workers (`int`, *optional*, defaults to 2): actors, each holding one model and one CPU (or GPU).
        shard_size (`int`, *optional*, defaults to 1024): texts per scoring shard, the unit a killed scoring run
            resumes from (generation keeps the `completions` config's own `shard_size`).

    Example:
        ```python
        >>> RayExecutor.from_config({"type": "ray", "address": "auto", "num_workers": 8})
        RayExecutor(address='auto', num_workers=8, shard_size=1024)
        >>> RayExecutor.from_config({"type": "local"}) is None
        True
        ```
    """

    address: str | None = None
    num_workers: int = 2
    shard_size: int = 1024

    @classmethod
    def from_config(cls, executor: dict | None) -> RayExecutor | None:
        """The executor a config's `executor` mapping describes; `None` for the local default.

        Args:
            executor (`dict`, *optional*): `{"type": "ray", "address": ..., "num_workers": ..., "shard_size": ...}`
                or `{"type": "local"}`.

        Raises:
            `ExecutorError`: naming an unknown key, an unknown type or a bad number.
        """
        if executor is None:
            return None
        if not isinstance(executor, dict):
            raise ExecutorError(f"executor must be a mapping with a 'type', got {executor!r}")
        unknown = sorted(set(executor) - set(EXECUTOR_KEYS))
        if unknown:
            raise ExecutorError(f"unknown executor key(s) {unknown}; known: {', '.join(EXECUTOR_KEYS)}")
        kind = executor.get("type", "local")
        if kind not in EXECUTOR_TYPES:
            raise ExecutorError(f"executor type must be one of {', '.join(EXECUTOR_TYPES)}, got {kind!r}")
        if kind == "local":
            return None
        numbers = {key: executor.get(key, getattr(cls, key)) for key in ("num_workers", "shard_size")}
        for key, value in numbers.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ExecutorError(f"executor {key} must be an integer >= 1, got {value!r}")
        address = executor.get("address")
        if address is not None and not isinstance(address, str):
            raise ExecutorError(f"executor address must be a string ('auto', 'ray://HOST:PORT'), got {address!r}")
        return cls(address, **numbers)

    def connect(self) -> Any:
        """The `ray` module, connected to the cluster (started on this machine when `address` is `None`)."""
        ray = import_ray()
        if not ray.is_initialized():
            logger.info("connecting to Ray at %s", self.address or "a new local instance")
            quiet = logging.INFO if logger.isEnabledFor(logging.INFO) else logging.ERROR  # Ray's own lines: with -v
            try:
                ray.init(address=self.address, include_dashboard=False, log_to_driver=False, logging_level=quiet)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise ExecutorError(
                    f"cannot connect to the Ray cluster at {self.address!r}: {err}",
                    hint="start one with `ray start --head`, or set executor.address to its 'ray://HOST:10001'",
                ) from err
        if not logger.isEnabledFor(logging.INFO):
            logging.getLogger("ray.data").setLevel(logging.ERROR)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the stage's own tqdm bar counts the results
        return ray

    def map_shards(
        self, actor: type, constructor_args: tuple, shards: list[dict], num_gpus: float = 0
    ) -> Iterator[dict]:
        """Each shard's result row, in the order they finish; every row keeps its shard's `index` column.

        Args:
            actor (`type`): a class built once per worker with `constructor_args` and called with a batch of one
                shard (a dict of one-element lists), returning a batch of one result.
            constructor_args (`tuple`): what each actor is built from (pickled to the workers).
            shards (`list[dict]`): one row per shard, each with an `index`.
            num_gpus (`float`, *optional*, defaults to 0): GPUs each actor holds (1 for vLLM).
        """
        ray = self.connect()
        dataset = ray.data.from_items(shards, override_num_blocks=max(1, len(shards)))
        results = dataset.map_batches(
            actor,
            fn_constructor_args=constructor_args,
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(size=min(self.num_workers, max(1, len(shards)))),
            num_cpus=1,
            num_gpus=num_gpus,
        )
        yield from results.iter_rows()
