"""A recipe: one YAML file that names every stage's settings, from Wikipedia articles to an evaluated DPO adapter.

Top-level keys: `name`, `description`, `root` (every output goes under it), `seed` (the default seed of generation,
training and evaluation), `model` (the base policy), `threads` (torch CPU threads), `scorer` (`pipeline`, `rules`:
the grammar scorer of every scoring step), `executor` (where the scoring and generation stages run: this process, or
`{type: ray, address: auto, num_workers: N}`), one section per stage (the fields of its config class: the builder
configs, `KLSFTConfig` for `kl_sft`, `dpo` a `LoRADPOConfig`, `merge` its `dtype`, `eval` an `EvalConfig`) and an
optional `push` section. The recipe wires the stages itself: what each reads (`input_dir`), the policy the
completions come from (the merged SFT checkpoint), where adapters go (`output_dir`); setting those is an error, as
is any key the config classes do not have.

Loading a recipe never touches the network: Hub references are only resolved when a stage runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml
from huggingface_hub.errors import HFValidationError
from huggingface_hub.utils import validate_repo_id

from saga.builders.build import BUILDER_CONFIG_BASE
from saga.builders.executor import RayExecutor
from saga.errors import ExecutorError, RecipeError
from saga.hub.publish import TAG_PATTERN
from saga.stages import STAGES

DATASET_STAGES = ("sentences", "scored", "sft", "prompts", "completions", "scored_completions", "pairs")
ORDER = ("sentences", "scored", "sft", "prompts", "kl_sft", "merge", "completions", "scored_completions", "pairs")
ORDER += ("dpo", "eval")
TOP_LEVEL = ("name", "description", "root", "seed", "model", "threads", "scorer", "executor", "push", *ORDER)
# Stages that run on the recipe's `executor` (a stage's own `executor` key wins)
EXECUTOR_STAGES = ("scored", "completions", "scored_completions")
SCORER_KEYS = ("pipeline", "rules")
SCORER_DEFAULTS = (("pipeline", "nb_saga_sm"), ("rules", "saga.rules.v2"))
MERGE_KEYS = ("dtype",)
PUSH_KEYS = ("repo_id", "tag", "private")
PUSHABLE = (*DATASET_STAGES, "kl_sft", "dpo")
# Keys the recipe sets itself, per section: the stage wiring
WIRED = {"completions": ("input_dir", "model", "adapter"), "kl_sft": ("output_dir",), "dpo": ("output_dir",)}
MODEL_FOLDERS = {"kl_sft": "models/kl-sft", "merge": "models/sft-merged", "dpo": "models/dpo", "eval": "eval"}


@dataclass(frozen=True)
class PlanStep:
    """One stage of a recipe's plan.

    Args:
        name (`str`): the stage (`sentences`, ..., `kl_sft`, `merge`, ..., `eval`, `push`).
        what (`str`): what it does, in a few words.
        inputs (`tuple[str, ...]`): what it reads (folders, models, sources).
        output (`str`): the folder it writes.
        settings (`dict`): the settings the recipe gives it (config fields set in the recipe or wired by it).
    """

    name: str
    what: str
    inputs: tuple[str, ...]
    output: str
    settings: dict


@dataclass(frozen=True)
class Recipe:
    """A validated recipe. Build it with `load_recipe`.

    Args:
        path (`Path`): the recipe file.
        name (`str`): the recipe's name.
        description (`str`): one paragraph on what it reproduces.
        root (`Path`): the folder every output goes under (relative paths are relative to the working directory).
        seed (`int`): default seed of completions, training and evaluation.
        model (`str`): the base policy (bundled name, folder or `ORG/NAME@REV`).
        threads (`int`, *optional*): torch CPU threads for training, generation and evaluation.
        scorer (`dict`): `pipeline` and `rules` of the grammar scorer.
        sections (`dict[str, dict]`): each stage's section as written.
        push (`dict[str, dict]`): stage → `repo_id`, `tag` (and `private`).
        executor (`dict`, *optional*): where the scoring and generation stages run (`saga.builders.executor`):
            `None` in this process, `{"type": "ray", "address": "auto", "num_workers": N}` on a Ray cluster.

    Example:
        ```python
        >>> recipe = load_recipe("recipes/demo-cpu.yaml")
        >>> [step.name for step in recipe.plan()][:3]
        ['sentences', 'scored', 'sft']
        ```
    """

    path: Path
    name: str
    description: str
    root: Path
    seed: int
    model: str
    threads: int | None
    scorer: dict
    sections: dict
    push: dict
    executor: dict | None = None

    def folder(self, stage: str) -> Path:
        """The output folder of a stage."""
        if stage in DATASET_STAGES:
            return self.root / "datasets" / stage
        return self.root / MODEL_FOLDERS[stage]

    def dataset_config(self, stage: str) -> dict:
        """The builder config of a dataset stage: the section over the recipe's defaults, with its input wired."""
        config: dict = {}
        if stage in ("scored", "scored_completions"):
            config.update(self.scorer)
        if stage == "completions":
            config.update(seed=self.seed, threads=self.threads)
        if stage in EXECUTOR_STAGES and self.executor is not None:
            config["executor"] = self.executor
        config.update(self.sections.get(stage, {}))
        reads = STAGES[stage].reads
        if reads:
            config["input_dir"] = str(self.folder(reads))
        if stage == "completions":
            config["model"] = str(self.folder("merge"))
        return config

    def training_values(self, kind: str) -> dict:
        """The `KLSFTConfig` (`kl_sft`) or `LoRADPOConfig` (`dpo`) fields: the section over the recipe's seed."""
        return {
            "seed": self.seed,
            **self.sections.get(kind, {}),
            "output_dir": str(self.folder(kind)),
        }

    def training_config(self, kind: str, check_only: bool = False):
        """The training config of `kl_sft` or `dpo`, built as `saga train` builds it (`HfArgumentParser`).

        Args:
            kind (`str`): `"kl_sft"` or `"dpo"`.
            check_only (`bool`, *optional*, defaults to `False`): validate on a machine without the recipe's
                hardware: `bf16` is checked when the run starts, not here (TRL refuses it without a GPU).

        Raises:
            [`RecipeError`]: a value the config class rejects, naming the section and the file.
        """
        import torch
        from transformers import HfArgumentParser

        values = self.training_values(kind)
        if check_only and values.get("bf16") and not torch.cuda.is_available():
            values["bf16"] = False
        try:
            (config,) = HfArgumentParser(_training_class(kind)).parse_dict(values)
        except ValueError as err:
            raise RecipeError(f"{self.path}: section {kind}: {err}") from err
        return config

    def merge_dtype(self) -> str:
        return self.sections.get("merge", {}).get("dtype", "float32")

    def eval_config(self):
        """The `EvalConfig`: the section over the recipe's seed, threads and completions backend."""
        from saga.trainers.eval_config import EvalConfig

        defaults = {"seed": self.seed, "threads": self.threads}
        backend = self.sections.get("completions", {}).get("backend")
        if backend:
            defaults["backend"] = backend
        try:
            return EvalConfig(**{**defaults, **self.sections.get("eval", {})})
        except ValueError as err:
            raise RecipeError(f"{self.path}: section eval: {err}") from err

    def plan(self) -> list[PlanStep]:
        """Every stage in run order, with its inputs, output and settings (no file or network is read)."""
        sentences = self.dataset_config("sentences")
        source = sentences.get("source", "bundled")
        if source == "bundled":
            source = "the bundled Wikipedia sample (assets/wiki_nb)"
        else:
            source += f" {sentences.get('source_config', '20231101.nb')}@{sentences.get('source_revision') or 'main'}"
        scorer = "grammar scorer " + " / ".join(self.scorer.get(key, default) for key, default in SCORER_DEFAULTS)
        f = {stage: str(self.folder(stage)) for stage in ORDER}
        stages = {
            "sentences": ("split articles into clean Bokmål sentences", (source,)),
            "scored": ("score every sentence", (f["sentences"], scorer)),
            "sft": ("keep well-formed sentences as chat examples", (f["scored"],)),
            "prompts": ("DPO prompts from articles kept out of SFT", (f["sentences"], f["sft"])),
            "kl_sft": ("KL-SFT LoRA adapter", (f["sft"], self.model)),
            "merge": ("merge the SFT adapter into its base: the policy for completions and DPO", (f["kl_sft"],)),
            "completions": ("sample the merged SFT model", (f["prompts"], f["merge"])),
            "scored_completions": ("score every completion", (f["completions"], scorer)),
            "pairs": ("chosen/rejected pairs by grammar-score delta", (f["scored_completions"],)),
            "dpo": ("DPO LoRA adapter on the merged SFT model", (f["pairs"], f["merge"])),
            "eval": (
                "base, KL-SFT and DPO on held-out prompts; eval.json and card tables in the adapter folders",
                (f"{f['prompts']} (test)", f"{f['sft']} (validation)", self.model, f["kl_sft"], f["dpo"]),
            ),
        }
        steps = [
            PlanStep(name, what, inputs, f[name], self._shown_settings(name))
            for name, (what, inputs) in stages.items()
        ]
        if self.push:
            targets = tuple(f"{stage} → {entry['repo_id']}@{entry['tag']}" for stage, entry in self.push.items())
            steps.append(PlanStep("push", "publish with tags", tuple(self.push), "the Hub", {"targets": targets}))
        return steps

    def _shown_settings(self, stage: str) -> dict:
        if stage in DATASET_STAGES:
            return {key: value for key, value in self.dataset_config(stage).items() if key != "input_dir"}
        if stage in ("kl_sft", "dpo"):
            return {key: value for key, value in self.training_values(stage).items() if key != "output_dir"}
        if stage == "merge":
            return {"dtype": self.merge_dtype()}
        return dataclasses.asdict(self.eval_config())


def load_recipe(path: str | Path, check_only: bool = False) -> Recipe:
    """Read and validate a recipe file: every key is known and every section builds its config class.

    Args:
        path (`str` or `Path`): the YAML file.
        check_only (`bool`, *optional*, defaults to `False`): skip the hardware checks of the training configs
            (`bf16` on a machine without a GPU), as `saga run --dry-run` does.

    Raises:
        [`RecipeError`]: an unreadable file, an unknown key (named with its section and the file), a wired key, or
            a value a config class rejects.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise RecipeError(f"cannot read recipe {path}: {err}") from err
    if not isinstance(data, dict):
        raise RecipeError(f"{path}: a recipe is a YAML mapping of {', '.join(TOP_LEVEL)}")
    _check_keys(path, "the recipe", data, TOP_LEVEL)
    for key in ("name", "root"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RecipeError(f"{path}: '{key}' is required (a string)")
    sections = {stage: _section(path, stage, data.get(stage)) for stage in ORDER if data.get(stage) is not None}
    scorer = _section(path, "scorer", data.get("scorer"))
    _check_keys(path, "section scorer", scorer, SCORER_KEYS)
    push = _section(path, "push", data.get("push"))
    _check_keys(path, "section push", push, PUSHABLE)
    for stage, entry in push.items():
        _check_push(path, stage, entry)
    try:
        RayExecutor.from_config(data.get("executor"))
    except ExecutorError as err:
        raise RecipeError(f"{path}: executor: {err}", hint=err.hint) from err
    recipe = Recipe(
        path=path,
        name=data["name"],
        description=str(data.get("description", "")).strip(),
        root=Path(data["root"]),
        seed=_int(path, "seed", data.get("seed", 42)),
        model=str(data.get("model", "tiny_nb_mistral")),
        threads=None if data.get("threads") is None else _int(path, "threads", data["threads"]),
        scorer=scorer,
        sections=sections,
        push=push,
        executor=data.get("executor"),
    )
    for stage in DATASET_STAGES:
        _check_dataset_section(recipe, stage)
    _check_keys(path, "section merge", sections.get("merge", {}), MERGE_KEYS)
    if recipe.merge_dtype() not in ("float32", "bfloat16"):
        raise RecipeError(f"{path}: section merge: dtype must be float32 or bfloat16, got {recipe.merge_dtype()!r}")
    for kind in ("kl_sft", "dpo"):
        _check_training_section(recipe, kind, check_only)
    eval_fields = [f.name for f in dataclasses.fields(_eval_class())]
    _check_keys(path, "section eval", sections.get("eval", {}), eval_fields)
    recipe.eval_config()
    return recipe


def _section(path: Path, name: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecipeError(f"{path}: section {name} must be a mapping of settings, got {type(value).__name__}")
    return value


def _check_keys(path: Path, where: str, values: dict, known, wired: tuple[str, ...] = ()) -> None:
    for key in values:
        if key in wired:
            raise RecipeError(
                f"{path}: {where}: '{key}' is set by the recipe itself (the stage wiring)",
                hint="remove it; each stage reads the folder of the stage before it under root",
            )
        if key not in known:
            raise RecipeError(f"{path}: {where}: unknown key '{key}'", hint=f"known keys: {', '.join(sorted(known))}")


def _check_dataset_section(recipe: Recipe, stage: str) -> None:
    config_class = STAGES[stage].builder.BUILDER_CONFIG_CLASS
    known = [f.name for f in dataclasses.fields(config_class) if f.name not in BUILDER_CONFIG_BASE]
    wired = WIRED.get(stage, ("input_dir",))
    _check_keys(recipe.path, f"section {stage}", recipe.sections.get(stage, {}), known, wired)
    try:
        config_class(name="default", **recipe.dataset_config(stage))
    except (ValueError, TypeError) as err:
        raise RecipeError(f"{recipe.path}: section {stage}: {err}") from err


def _check_training_section(recipe: Recipe, kind: str, check_only: bool) -> None:
    known = [f.name for f in dataclasses.fields(_training_class(kind)) if f.init]
    _check_keys(recipe.path, f"section {kind}", recipe.sections.get(kind, {}), known, WIRED[kind])
    recipe.training_config(kind, check_only=check_only)


def _check_push(path: Path, stage: str, entry) -> None:
    if not isinstance(entry, dict):
        raise RecipeError(f"{path}: push.{stage} must be a mapping with repo_id and tag")
    _check_keys(path, f"push.{stage}", entry, PUSH_KEYS)
    if "repo_id" not in entry or "tag" not in entry:
        raise RecipeError(f"{path}: push.{stage} needs repo_id and tag")
    try:
        validate_repo_id(str(entry["repo_id"]))
    except HFValidationError as err:
        raise RecipeError(f"{path}: push.{stage}: invalid repo_id {entry['repo_id']!r}: {err}") from err
    if not TAG_PATTERN.fullmatch(str(entry["tag"])):
        raise RecipeError(f"{path}: push.{stage}: tag must look like vX.Y.Z, got {entry['tag']!r}")


def _int(path: Path, key: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if key == "threads" else 0):
        raise RecipeError(f"{path}: '{key}' must be a non-negative integer (threads: >= 1), got {value!r}")
    return value


def _training_class(kind: str):
    from saga.trainers.dpo_config import LoRADPOConfig  # deferred: TRL takes seconds to import
    from saga.trainers.kl_sft_config import KLSFTConfig

    return {"kl_sft": KLSFTConfig, "dpo": LoRADPOConfig}[kind]


def _eval_class():
    from saga.trainers.eval_config import EvalConfig

    return EvalConfig
