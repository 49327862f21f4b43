"""Run a builder into a dataset folder in Hub layout: `README.md`, `data/{split}-*.parquet`, `saga/`.

The `datasets` cache of a builder instantiated directly is keyed by name, passed kwargs and `VERSION` only, so a
changed default or rule would silently reuse stale output. saga therefore passes `hash=` = the build fingerprint:
builder name + `VERSION` + the *full* config (defaults included) + the fingerprints of its inputs (and scorer)
+ a hash of the builder code. Same inputs + config + code → same fingerprint → same bytes. Input folders and
sources enter by their content fingerprint, not their path (`input_dir`/`source` are `fingerprint: False`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import datasets

from saga.builders.funnel import FunnelledBuilder
from saga.builders.progress import quiet_datasets_progress
from saga.errors import InputDataError, SagaError
from saga.versions import installed_versions, source_fingerprint

logger = logging.getLogger(__name__)

CODE_ROOT = Path(__file__).parent
OFFLINE_TOOLS = CODE_ROOT / "scoring" / "training"
LIBRARIES = ("saga", "datasets", "spacy", "polars", "pyarrow", "lingua-language-detector", "great-expectations")
BUILDER_CONFIG_BASE = {f.name for f in dataclasses.fields(datasets.BuilderConfig)}


def code_fingerprint() -> str:
    """sha256 over the source of the `builders` package but the scorer's offline tools (which no build runs): any
    change of a rule or step changes every build."""
    return source_fingerprint(CODE_ROOT, sorted(p for p in CODE_ROOT.rglob("*.py") if OFFLINE_TOOLS not in p.parents))


def config_dict(config: datasets.BuilderConfig) -> dict:
    """The builder-specific fields of a config that decide its output (defaults included), JSON-ready.

    Fields declared with `metadata={"fingerprint": False}` (batch sizes, worker counts, cache paths) change how,
    not what, is computed, and are left out.
    """
    return {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in BUILDER_CONFIG_BASE and f.metadata.get("fingerprint", True)
    }


@dataclass
class BuildResult:
    """What a build wrote: the folder, its fingerprint, rows per split, and whether it was reused."""

    out_dir: Path
    fingerprint: str
    rows: dict[str, int]
    reused: bool


def build_fingerprint(builder_cls: type[datasets.DatasetBuilder], config: dict, inputs: dict[str, str]) -> str:
    payload = {
        "builder": builder_cls.__name__,
        "version": str(builder_cls.VERSION),
        "config": config,
        "inputs": inputs,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def build(
    builder_cls: type[datasets.DatasetBuilder],
    out_dir: Path,
    config_kwargs: dict | None = None,
    inputs: dict[str, str] | None = None,
    cache_dir: Path | None = None,
    staging: Path | None = None,
) -> BuildResult:
    """Build `builder_cls` into `out_dir`, or reuse the folder when its manifest has the same fingerprint.

    With `staging`, a new build is written there instead (emptied first), and `out_dir` is left as it was: the
    caller moves the staging folder into place once it is validated, so that `out_dir` never holds half of one
    build and half of another. The result's `out_dir` is the folder written (or reused).

    Args:
        builder_cls (`type[datasets.DatasetBuilder]`): a saga builder class.
        out_dir (`Path`): the dataset folder to write (Hub layout).
        config_kwargs (`dict`, *optional*): fields of the builder's config that differ from the defaults.
        inputs (`dict[str, str]`, *optional*): fingerprints of what the build reads (sources, previous datasets,
            the scorer); they become part of the build fingerprint.
        cache_dir (`Path`, *optional*): the `datasets` cache (default: `out_dir/../.cache`).
        staging (`Path`, *optional*): where to write a new build instead of `out_dir`.
    """
    config = builder_cls.BUILDER_CONFIG_CLASS(name="default", **(config_kwargs or {}))
    settings = config_dict(config)
    inputs = dict(sorted((inputs or {}).items()))
    fingerprint = build_fingerprint(builder_cls, settings, inputs)
    manifest_path = out_dir / "saga" / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint:
            logger.info("%s: up to date (fingerprint %s), skipping", out_dir, fingerprint)
            return BuildResult(out_dir, fingerprint, manifest["rows"], reused=True)

    builder = builder_cls(
        cache_dir=str(cache_dir or out_dir.parent / ".cache"),
        hash=fingerprint,
        config_name="default",
        **(config_kwargs or {}),
    )
    _prepare(builder)
    if builder.funnel is None:  # `datasets` had this build cached: generate it again to count its funnel
        logger.info("%s: found in the datasets cache without its funnel; generating it again", out_dir)
        _prepare(builder, download_mode=datasets.DownloadMode.FORCE_REDOWNLOAD)
    target = staging or out_dir
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    data_dir = target / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    rows, empty, features = {}, [], None
    for split, info in sorted(builder.info.splits.items()):
        if not info.num_examples:  # `as_dataset` refuses an empty split; the manifest names it instead
            logger.warning("%s: split %s is empty", out_dir, split)
            empty.append(split)
            continue
        dataset = builder.as_dataset(split=split)
        with quiet_datasets_progress():  # one bar per stage: the stage's own, not one per file written
            dataset.to_parquet(data_dir / f"{split}-00000-of-00001.parquet")
        rows[split], features = dataset.num_rows, dataset.features
    if not rows:
        raise InputDataError(f"{out_dir}: the {builder_cls.__name__} build produced no rows; see the funnel")
    saga_dir = target / "saga"
    saga_dir.mkdir(parents=True, exist_ok=True)
    builder.funnel.write(saga_dir / "funnel.json")  # and saga/dropped.parquet, for a `write_dropped` config
    manifest = {
        "builder": builder_cls.__name__,
        "builder_module": builder_cls.__module__,
        "version": str(builder_cls.VERSION),
        "fingerprint": fingerprint,
        "config": settings,
        "inputs": inputs,
        "code": code_fingerprint(),
        "rows": rows,
        "empty_splits": empty,
        "features": {name: str(feature) for name, feature in features.items()},
        "libraries": installed_versions(LIBRARIES),
    }
    if hasattr(config, "describe_source"):  # a first stage names what it read (its path is no fingerprint part)
        manifest["source"] = config.describe_source()
    (saga_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"
    )
    logger.info("%s: built %s (fingerprint %s)", target, rows, fingerprint)
    return BuildResult(target, fingerprint, rows, reused=False)


def _prepare(builder: FunnelledBuilder, **options) -> None:
    """`download_and_prepare`, with a clear error from inside a builder kept as one clear line."""
    try:
        builder.download_and_prepare(**options)
    except datasets.exceptions.DatasetGenerationError as err:
        if isinstance(err.__cause__, SagaError):
            raise err.__cause__ from err
        raise
