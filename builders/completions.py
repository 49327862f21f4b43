"""`completions`: the policy's completions for every prompt, at every temperature of a grid, `n_samples` each.

The seed's DPO data came from sampling the merged SFT checkpoint at temperatures 0.7–1.1; the SAGA cards add a
repetition penalty of 1.3 against reward hacking. Each row records what produced it: the prompt, the temperature,
the sample index and request seed, the model reference and its resolved revision, the backend and every sampling
parameter, so any completion can be regenerated (exactly, on CPU with the transformers backend).

Generation is resumable by prompt shard: finished shards are kept under `work_dir` (see
`saga.builders.generation.shards`), and a build killed mid-way regenerates only the shards it had not finished.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import datasets
import polars as pl
from datasets.builder import Key
from tqdm.auto import tqdm

from saga.builders.build import BUILDER_CONFIG_BASE
from saga.builders.dataset_inputs import input_fingerprint, read_split_files
from saga.builders.executor import RayExecutor
from saga.builders.features import MESSAGES
from saga.builders.funnel import Funnel, FunnelledBuilder
from saga.builders.generation.backend import BACKENDS
from saga.builders.generation.sampling import SamplingFields
from saga.builders.generation.shard_generator import GenerateActor, ShardGenerator
from saga.builders.generation.shards import ShardStore
from saga.versions import source_fingerprint

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "tiny_nb_mistral"
FEATURES = datasets.Features(
    {
        "prompt_id": datasets.Value("string"),
        "prompt": MESSAGES,
        "kind": datasets.Value("string"),
        "article_id": datasets.Value("string"),
        "completion": datasets.Value("string"),
        "temperature": datasets.Value("float64"),
        "sample_idx": datasets.Value("int32"),
        "seed": datasets.Value("int64"),
        "n_samples": datasets.Value("int32"),
        "top_p": datasets.Value("float64"),
        "max_tokens": datasets.Value("int32"),
        "repetition_penalty": datasets.Value("float64"),
        "model": datasets.Value("string"),
        "model_revision": datasets.Value("string"),
        "adapter": datasets.Value("string"),
        "adapter_revision": datasets.Value("string"),
        "backend": datasets.Value("string"),
    }
)
# Fields that change how, not what, is generated stay out of the shard key (`input_dir` is replaced by the prompts'
# fingerprint; `shard_size` is in the key: it decides which prompts a shard file holds).
OPERATIONAL = {"batch_size", "device", "threads", "vllm_options", "work_dir", "input_dir", "executor"}
GENERATION_CODE = (Path(__file__), *sorted((Path(__file__).parent / "generation").glob("*.py")))


def generation_code_fingerprint() -> str:
    """sha256 over the code that produces completions (this module and `builders/generation/`), for the shard key.

    Narrower than the build's code fingerprint on purpose: an edit to, say, a grammar rule must not throw away
    finished generation shards, while an edit to sampling must.
    """
    return source_fingerprint(Path(__file__).parent, GENERATION_CODE)


@dataclass
class CompletionsConfig(SamplingFields, datasets.BuilderConfig):
    """Configuration of the `completions` builder.

    Args:
        input_dir (`str`, defaults to `"build/datasets/prompts"`): the `prompts` dataset folder.
        model (`str`, defaults to `"tiny_nb_mistral"`): the policy: the bundled tiny model, a model folder (the
            merged SFT checkpoint) or `ORG/NAME@REV`; resolved to a folder fingerprint or commit SHA.
        adapter (`str`, *optional*): a LoRA adapter (folder or `ORG/NAME@REV`) applied on top of `model`.
        backend (`str`, defaults to `"transformers"`): `"transformers"` (CPU or GPU) or `"vllm"` (GPU, needs
            `pip install 'saga[gpu]'`).
        temperatures (`tuple[float, ...]`, defaults to `(0.7, 0.9, 1.1)`): the temperature grid (the seed's range).
        n_samples, top_p, max_tokens, repetition_penalty, seed: the sampling fields (`SamplingFields`: 4
            completions per prompt and temperature, 0.95, 128 tokens, 1.3, 42).
        splits (`tuple[str, ...]`, defaults to `("train", "test")`): prompt splits to generate for (a split the
            prompts dataset lacks is skipped); completions keep their prompt's split.
        max_prompts (`int`, *optional*): at most this many prompts per split, in dataset order.
        shard_size (`int`, defaults to 16): prompts per resumable shard.
        batch_size (`int`, defaults to 32): transformers: sequences per `generate` call.
        device (`str`, defaults to `"auto"`): transformers: `"auto"`, `"cpu"` or `"cuda"`.
        threads (`int`, *optional*): transformers: torch CPU threads (`None`: torch's default).
        vllm_options (`dict`, *optional*): vLLM: more `vllm.LLM` arguments (`gpu_memory_utilization`, ...).
        work_dir (`str`, *optional*): the shard cache (default: `.cache/completions` beside the input folder).
        executor (`dict`, *optional*): where to generate: `None` in this process, `{"type": "ray", "address": ...,
            "num_workers": N}` with missing shards spread over N Ray actors, each holding one model (and one GPU
            for `vllm` or `device: cuda`); see `saga.builders.executor`.

    `batch_size`, `device`, `threads`, `vllm_options`, `work_dir` and `executor` change how, not what, is computed
    (`metadata={"fingerprint": False}`).
    """

    input_dir: str = field(default="build/datasets/prompts", metadata={"fingerprint": False})
    model: str = DEFAULT_MODEL
    adapter: str | None = None
    backend: str = "transformers"
    temperatures: tuple[float, ...] = (0.7, 0.9, 1.1)
    splits: tuple[str, ...] = ("train", "test")
    max_prompts: int | None = None
    shard_size: int = 16
    batch_size: int = field(default=32, metadata={"fingerprint": False})
    device: str = field(default="auto", metadata={"fingerprint": False})
    threads: int | None = field(default=None, metadata={"fingerprint": False})
    vllm_options: dict = field(default_factory=dict, metadata={"fingerprint": False})
    work_dir: str | None = field(default=None, metadata={"fingerprint": False})
    executor: dict | None = field(default=None, metadata={"fingerprint": False})

    def __post_init__(self):
        super().__post_init__()
        self.cluster()  # raises ExecutorError naming a bad key or value
        self.temperatures = tuple(float(t) for t in self.temperatures)
        self.splits = tuple(self.splits)
        problems = []
        if self.backend not in BACKENDS:
            problems.append(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if not self.temperatures or len(set(self.temperatures)) != len(self.temperatures):
            problems.append(f"temperatures must be a non-empty grid without repeats, got {self.temperatures}")
        if not self.splits:
            problems.append("splits must name at least one prompt split")
        if self.threads is not None and self.threads < 1:
            problems.append(f"threads must be >= 1, got {self.threads}")
        for name in ("shard_size", "batch_size"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.max_prompts is not None and self.max_prompts < 1:
            problems.append(f"max_prompts must be >= 1, got {self.max_prompts}")
        if problems:
            raise ValueError("; ".join(problems))
        for temperature in self.temperatures:
            self.sampling(temperature)  # raises ValueError naming a bad n_samples, top_p, ...

    def cluster(self) -> RayExecutor | None:
        """The Ray executor `executor` asks for, `None` for this process. A method, not a field set once:
        `datasets` builds a builder's config by copying the default and setting the given fields on it."""
        return RayExecutor.from_config(self.executor)

    def resolve_models(self):
        """The policy and the adapter (or `None`) resolved to immutable revisions (`ModelInput`s)."""
        from saga.builders.generation.models import resolve_adapter, resolve_model  # deferred: imports torch

        return resolve_model(self.model), resolve_adapter(self.adapter) if self.adapter else None

    def shard_root(self) -> Path:
        return Path(self.work_dir or Path(self.input_dir).parent / ".cache" / "completions")


class Completions(FunnelledBuilder):
    """Sampled completions of the policy for the DPO prompts, with everything needed to regenerate them."""

    VERSION = datasets.Version("1.0.0")
    BUILDER_CONFIG_CLASS = CompletionsConfig
    BUILDER_CONFIGS = [CompletionsConfig(name="default", description="Policy completions for the DPO prompts")]
    DEFAULT_CONFIG_NAME = "default"

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(
            description=__doc__,
            features=FEATURES,
        )

    def _split_generators(self, dl_manager) -> list[datasets.SplitGenerator]:
        cfg = self.config
        prompts = read_split_files(cfg.input_dir, ["prompt_id", "prompt", "kind", "article_id"])
        self._model, self._adapter = cfg.resolve_models()
        self._generate = ShardGenerator(cfg, self._model, self._adapter)
        self.funnel = Funnel()
        key_payload = {
            "builder": type(self).__name__,
            "version": str(self.VERSION),
            "code": generation_code_fingerprint(),
            "prompts": input_fingerprint(cfg.input_dir),
            "model": self._model.revision,
            "adapter": self._adapter.revision if self._adapter else None,
            "config": {
                f.name: getattr(cfg, f.name)
                for f in dataclasses.fields(cfg)
                if f.name not in BUILDER_CONFIG_BASE and f.name not in OPERATIONAL
            },
        }
        key = hashlib.sha256(json.dumps(key_payload, sort_keys=True, default=str).encode()).hexdigest()[:24]
        self._shards = ShardStore(cfg.shard_root(), key, key_payload)
        available = set(prompts["split"].unique().to_list())
        generators = []
        for split in cfg.splits:
            if split not in available:
                logger.warning("%s: no %s split of prompts; skipping it", cfg.input_dir, split)
                continue
            rows = prompts.filter(pl.col("split") == split).drop("split")
            generators.append(datasets.SplitGenerator(name=split, gen_kwargs={"prompts": rows, "split": split}))
        return generators

    def _generate_examples(self, prompts: pl.DataFrame, split: str):
        cfg = self.config
        kept = prompts if cfg.max_prompts is None else prompts.head(cfg.max_prompts)
        self.funnel.record(
            f"prompts_{split}",
            prompts.height,
            kept.height,
            {"over_max_prompts": prompts.height - kept.height},
            "prompts",
        )
        rows = kept.to_dicts()
        shards = [rows[start : start + cfg.shard_size] for start in range(0, len(rows), cfg.shard_size)]
        missing = [n for n in range(len(shards)) if not self._shards.path(split, n).is_file()]
        if cfg.cluster() is not None and missing:
            self._generate_on_cluster(split, {n: shards[n] for n in missing})
        index = 0
        for shard_index, shard in enumerate(shards):
            completions = self._shards.load(split, shard_index)
            if completions is None:
                completions = self._generate(shard)
                self._shards.save(split, shard_index, completions)
            for row in completions:
                yield Key(0, index), row
                index += 1
        logger.info(
            "%s: %d shard(s) generated, %d reused from %s",
            split,
            len(missing),
            len(shards) - len(missing),
            self._shards.folder,
        )
        expected = kept.height * len(cfg.temperatures) * cfg.n_samples
        self.funnel.record(f"completions_{split}", expected, index, {"missing": expected - index}, "completions")

    def _generate_on_cluster(self, split: str, shards: dict[int, list[dict]]) -> None:
        """Generate the missing shards on Ray, saving each as it arrives (a killed run keeps the saved ones)."""
        cfg = self.config
        num_gpus = 1 if cfg.backend == "vllm" or cfg.device == "cuda" else 0
        payload = [{"index": n, "rows": json.dumps(rows, ensure_ascii=False)} for n, rows in shards.items()]
        arrived = cfg.cluster().map_shards(GenerateActor, (cfg, self._model, self._adapter), payload, num_gpus)
        for result in tqdm(arrived, total=len(payload), desc=f"generating {split} shards on Ray"):
            self._shards.save(split, int(result["index"]), json.loads(result["rows"]))
