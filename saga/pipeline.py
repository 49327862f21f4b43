"""Run a recipe: every stage in order, each skipped when its output already has the same fingerprint.

Dataset stages use the build fingerprint of `saga.builders.build` (config + input fingerprints + code) and are skipped
when the folder's manifest has it and its validation passed. Training, merge and evaluation get a stage
fingerprint of the same kind — their settings, the fingerprints of what they read, the trainer code and the
library versions — stored in `saga/stage.json` of their output folder. Downstream stages depend on these stage
fingerprints, not on the folders' bytes, so writing `eval.json` and a card table into an adapter folder does not
make the next run retrain what follows it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from saga.builders.build import build_fingerprint, config_dict
from saga.builders.dataset_inputs import input_fingerprint, manifest_of, read_split_files
from saga.recipe import DATASET_STAGES, ORDER, Recipe
from saga.stages import STAGES, run_stage
from saga.threads import torch_threads
from saga.versions import source_fingerprint

logger = logging.getLogger(__name__)
STAGE_RECORD = Path("saga") / "stage.json"
TRAINER_CODE = {
    "kl_sft": ("kl_sft_config.py", "kl_sft_trainer.py", "runs.py", "inputs.py"),
    "merge": ("merge.py", "inputs.py"),
    "dpo": ("dpo_config.py", "dpo_trainer.py", "runs.py", "inputs.py"),
    "eval": ("evaluation.py", "inputs.py"),
}


@dataclass
class StageOutcome:
    """What one stage did.

    Args:
        name (`str`): the stage.
        state (`str`): `"built"`, `"reused"` (same fingerprint, skipped) or `"pushed"`.
        output (`str`): the folder it wrote (or the Hub target).
        seconds (`float`): wall time.
        detail (`str`): rows, steps or commits, in a few words.
    """

    name: str
    state: str
    output: str
    seconds: float
    detail: str = ""


@dataclass
class RunResult:
    """The outcome of every stage and the evaluation report of the recipe's models."""

    outcomes: list[StageOutcome] = field(default_factory=list)
    evaluation: dict | None = None


def run_recipe(recipe: Recipe, progress: Callable[[str], None] = lambda line: None) -> RunResult:
    """Run every stage of a recipe in order (see the module docstring for what is skipped).

    Args:
        recipe ([`Recipe`]): a loaded recipe.
        progress (`Callable[[str], None]`, *optional*): called with one line as each stage starts and ends.

    Raises:
        [`SagaError`]: the first stage that fails, with its own message; later stages do not run.
    """
    result = RunResult()
    steps = [*ORDER, *(["push"] if recipe.push else [])]
    with torch_threads(recipe.threads):
        for index, name in enumerate(steps, 1):
            progress(f"[{index}/{len(steps)}] {name}: running")
            start = time.perf_counter()
            outcome = _run_step(recipe, name, result)
            outcome.seconds = time.perf_counter() - start
            result.outcomes.append(outcome)
            progress(f"[{index}/{len(steps)}] {name}: {outcome.state} in {outcome.seconds:.1f} s ({outcome.detail})")
    return result


def _run_step(recipe: Recipe, name: str, result: RunResult) -> StageOutcome:
    if name in DATASET_STAGES:
        return run_dataset_stage(recipe, name)
    if name in ("kl_sft", "dpo"):
        return run_training_stage(recipe, name)
    if name == "merge":
        return run_merge_stage(recipe)
    if name == "eval":
        outcome, result.evaluation = run_eval_stage(recipe)
        return outcome
    return run_push_stage(recipe)


def run_dataset_stage(recipe: Recipe, name: str) -> StageOutcome:
    """Build, validate and card one dataset, unless its folder has the same fingerprint and passed validation."""
    stage, out = STAGES[name], recipe.folder(name)
    config = recipe.dataset_config(name)
    builder_config = stage.builder.BUILDER_CONFIG_CLASS(name="default", **config)
    fingerprint = build_fingerprint(stage.builder, config_dict(builder_config), stage.inputs(config, out.parent))
    validation = out / "saga" / "validation.json"
    if (
        (out / "saga" / "manifest.json").is_file()
        and manifest_of(out)["fingerprint"] == fingerprint
        and validation.is_file()
        and json.loads(validation.read_text())["success"]
    ):
        return StageOutcome(name, "reused", str(out), 0.0, _rows(manifest_of(out)["rows"]))
    build, report = run_stage(name, config, root=out.parent, out_dir=out)
    return StageOutcome(name, "reused" if build.reused else "built", str(out), 0.0, _rows(build.rows))


def run_training_stage(recipe: Recipe, kind: str) -> StageOutcome:
    """Train the KL-SFT (`kl_sft`) or DPO (`dpo`) adapter, unless its folder has the same stage fingerprint."""
    from saga.models import resolve_model
    from saga.trainers.runs import library_versions, train_adapter

    out = recipe.folder(kind)
    dataset = recipe.folder("sft" if kind == "kl_sft" else "pairs")
    model_ref = recipe.model if kind == "kl_sft" else str(recipe.folder("merge"))
    model = stage_fingerprint_of(recipe.folder("merge")) if kind == "dpo" else resolve_model(model_ref).revision
    inputs = {
        "settings": recipe.training_values(kind) | {"output_dir": None},
        "dataset": input_fingerprint(dataset),
        "model": model,
        "code": _code_fingerprint(kind),
        "libraries": library_versions(),
    }
    fingerprint = _fingerprint(inputs)
    if stage_fingerprint_of(out) == fingerprint:
        return StageOutcome(kind, "reused", str(out), 0.0, _training_detail(out))
    _clear(out)
    config = recipe.training_config(kind)
    with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its logs; results go to stdout
        train_adapter("sft" if kind == "kl_sft" else "dpo", config, str(dataset), out, model_ref=model_ref)
    _write_stage_record(out, kind, fingerprint, inputs)
    return StageOutcome(kind, "built", str(out), 0.0, _training_detail(out))


def run_merge_stage(recipe: Recipe) -> StageOutcome:
    """Merge the KL-SFT adapter into its base, unless the merged folder has the same stage fingerprint."""
    from saga.trainers.merge import merge_adapter
    from saga.trainers.runs import library_versions

    out, adapter = recipe.folder("merge"), recipe.folder("kl_sft")
    inputs = {
        "adapter": stage_fingerprint_of(adapter),
        "dtype": recipe.merge_dtype(),
        "code": _code_fingerprint("merge"),
        "libraries": library_versions(),
    }
    fingerprint = _fingerprint(inputs)
    if stage_fingerprint_of(out) == fingerprint:
        return StageOutcome("merge", "reused", str(out), 0.0, f"dtype {recipe.merge_dtype()}")
    _clear(out)
    merge_adapter(str(adapter), out, dtype=recipe.merge_dtype())
    _write_stage_record(out, "merge", fingerprint, inputs)
    return StageOutcome("merge", "built", str(out), 0.0, f"dtype {recipe.merge_dtype()}")


def run_eval_stage(recipe: Recipe) -> tuple[StageOutcome, dict]:
    """Evaluate base, KL-SFT and DPO; write `eval.json` and the card table into each adapter folder."""
    from saga.builders.scoring.scorer import GrammarScorerConfig
    from saga.models import resolve_model
    from saga.trainers.evaluation import EvalModel, adapter_model, evaluate_models, write_adapter_evaluation

    out, sft, dpo = recipe.folder("eval"), recipe.folder("kl_sft"), recipe.folder("dpo")
    config = recipe.eval_config()
    inputs = {
        "settings": recipe.sections.get("eval", {}) | {"seed": config.seed, "backend": config.backend},
        "base": resolve_model(recipe.model).revision,
        "adapters": [stage_fingerprint_of(sft), stage_fingerprint_of(dpo)],
        "prompts": input_fingerprint(recipe.folder("prompts")),
        "heldout": input_fingerprint(recipe.folder("sft")),
        "scorer": input_fingerprint(recipe.folder("scored")),  # its fingerprint includes the scorer's
        "code": _code_fingerprint("eval"),
    }
    fingerprint = _fingerprint(inputs)
    report_path = out / "eval.json"
    if stage_fingerprint_of(out) == fingerprint and report_path.is_file():
        report = json.loads(report_path.read_text())
        return StageOutcome("eval", "reused", str(out), 0.0, _eval_detail(report)), report
    _clear(out)
    models = [EvalModel("base", recipe.model), adapter_model(sft), adapter_model(dpo)]
    report = evaluate_models(
        models, recipe.folder("prompts"), recipe.folder("sft"), config, GrammarScorerConfig(**recipe.scorer)
    )
    out.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for adapter in (sft, dpo):
        write_adapter_evaluation(report, adapter)
    _write_stage_record(out, "eval", fingerprint, inputs)
    return StageOutcome("eval", "built", str(out), 0.0, _eval_detail(report)), report


def run_push_stage(recipe: Recipe) -> StageOutcome:
    """Publish each folder named in `push:` with its tag; a folder already published under that tag is skipped."""
    from saga.cards.model import render_adapter_card
    from saga.hub.publish import publish_folder
    from saga.versions import folder_fingerprint

    done, pushed = recipe.root / "push", []
    for stage, entry in recipe.push.items():
        record_path = done / f"{stage}.json"
        if record_path.is_file() and json.loads(record_path.read_text())["tag"] == entry["tag"]:
            continue
        folder, repo_type = recipe.folder(stage), "dataset" if stage in DATASET_STAGES else "model"
        if repo_type == "model":  # the usage snippet names the published revision
            render_adapter_card(folder, repo_id=entry["repo_id"], revision=entry["tag"])
        published = publish_folder(
            folder, entry["repo_id"], entry["tag"], repo_type=repo_type, private=bool(entry.get("private", False))
        )
        done.mkdir(parents=True, exist_ok=True)
        record = {"repo_id": published.repo_id, "tag": published.tag, "commit": published.commit_sha}
        record_path.write_text(json.dumps({**record, "fingerprint": folder_fingerprint(folder)}, indent=2) + "\n")
        pushed.append(f"{published.repo_id}@{published.tag}")
    state = "pushed" if pushed else "reused"
    return StageOutcome("push", state, "the Hub", 0.0, ", ".join(pushed) or "every tag already published")


def stage_fingerprint_of(folder: Path) -> str | None:
    """The fingerprint in a folder's `saga/stage.json`, or `None` when the folder has none (not built yet)."""
    path = folder / STAGE_RECORD
    return json.loads(path.read_text())["fingerprint"] if path.is_file() else None


def _write_stage_record(folder: Path, stage: str, fingerprint: str, inputs: dict) -> None:
    path = folder / STAGE_RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"stage": stage, "fingerprint": fingerprint, "inputs": inputs}
    path.write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n")


def _fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _code_fingerprint(stage: str) -> str:
    """sha256 over the trainer modules a stage runs: an edit to them reruns the stage."""
    root = Path(str(files("saga.trainers")))
    return source_fingerprint(root, [root / name for name in TRAINER_CODE[stage]])


def _clear(folder: Path) -> None:
    """Remove a stage's stale output folder (built with other inputs, or left by an interrupted run)."""
    if folder.exists():
        logger.info("%s: stale output (another fingerprint or unfinished); removing it", folder)
        shutil.rmtree(folder)


def _rows(rows: dict) -> str:
    return ", ".join(f"{split} {count}" for split, count in sorted(rows.items()))


def _training_detail(folder: Path) -> str:
    from saga.trainers.runs import read_record

    metrics = read_record(folder)["metrics"]
    return f"{metrics['global_step']} steps, mean loss {metrics['train_loss']:.3f}"


def _eval_detail(report: dict) -> str:
    return ", ".join(f"{row['model']} {row['mean_score']:.3f}" for row in report["rows"])


def pair_statistics(recipe: Recipe) -> dict:
    """Rows of the SFT corpus and the DPO pairs, and the pairs' mean chosen / rejected score and delta (train)."""
    pairs = read_split_files(recipe.folder("pairs"), ["chosen_score", "rejected_score"])
    train = pairs.filter(pairs["split"] == "train")
    return {
        "sft_rows": manifest_of(recipe.folder("sft"))["rows"],
        "pairs_rows": manifest_of(recipe.folder("pairs"))["rows"],
        "mean_chosen": train["chosen_score"].mean(),
        "mean_rejected": train["rejected_score"].mean(),
        "mean_delta": (train["chosen_score"] - train["rejected_score"]).mean(),
    }
