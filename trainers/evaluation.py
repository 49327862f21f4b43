"""Evaluation of a base model and its adapters: does the aligned model write more grammatical Norwegian?

Every model completes the same held-out prompts with the same seeded sampling (so rows differ only by the model);
the grammar scorer rates each completion. Reported per model: parse-success rate and mean grammar score (what
alignment should raise), lexical diversity (mean MATTR per completion and distinct-2 over all completions: a
policy that games the scorer by repeating one safe sentence loses both), mean length in words and relative to the
base model, the share of completions that copy or restate their prompt and the share with a misspelt, unknown or
invented word (monitors of gaming: each completion is scored against its prompt), and perplexity on held-out
Wikipedia sentences (the fluency that KL-SFT keeps and DPO must not destroy).

`write_adapter_evaluation` puts the table beside an adapter (`eval.json`) and into its card.
"""

from __future__ import annotations

import json
import logging
import math
import re
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from saga.builders.dataset_inputs import input_fingerprint, read_split_files
from saga.builders.features import prompt_text
from saga.builders.generation.backend import load_backend
from saga.builders.generation.models import resolve_adapter
from saga.builders.generation.transformers_backend import TransformersBackend
from saga.builders.scoring.scorer import GrammarScorer, GrammarScorerConfig
from saga.errors import InputDataError
from saga.models import ModelInput, resolve_model, resolve_recorded_model
from saga.tables import markdown_table
from saga.threads import torch_threads
from saga.trainers.eval_config import EvalConfig
from saga.trainers.runs import read_record

logger = logging.getLogger(__name__)
EVAL_FILE = "eval.json"
KIND_LABELS = {"sft": "KL-SFT", "dpo": "DPO"}
_WORD = re.compile(r"\w+")
PROMPT_COPY_RULES = frozenset({"prompt_copy", "task_restatement"})
UNKNOWN_WORD_RULES = frozenset({"misspelling", "unknown_word", "invented_words"})


@dataclass(frozen=True)
class EvalModel:
    """One row of the evaluation: a model, optionally with a LoRA adapter on top.

    Args:
        label (`str`): the row's name in the table (`base`, `KL-SFT`, `DPO`).
        model (`str`): the model reference (bundled name, folder or `ORG/NAME@REV`).
        adapter (`Path`, *optional*): a LoRA adapter folder applied on top of `model`.
    """

    label: str
    model: str
    adapter: Path | None = None


def adapter_model(adapter: str | Path, label: str | None = None) -> EvalModel:
    """The row of an adapter folder, on the base its `saga/training.json` records (a DPO adapter: the merged SFT
    checkpoint), checked to be still the recorded revision.

    Args:
        adapter (`str` or `Path`): an adapter folder written by `saga train`.
        label (`str`, *optional*): the row's name; defaults to `KL-SFT` or `DPO` by the recorded kind.

    Raises:
        [`InputDataError`]: the folder has no training record; [`ReferenceResolutionError`]: its base changed.
    """
    folder = Path(adapter)
    record = read_record(folder)
    base = resolve_recorded_model(record["base_model"], f"adapter {folder}")
    return EvalModel(label or KIND_LABELS[record["kind"]], base.pinned_ref(), folder)


def distinct_n(texts: list[str], n: int = 2) -> float:
    """Distinct n-grams over all texts divided by all n-grams (Li et al. 2016); 0 when no text has n words.

    Args:
        texts (`list[str]`): the completions; words are lower-cased `\\w+` runs, n-grams never cross texts.
        n (`int`, *optional*, defaults to 2): n-gram length.

    Example:
        ```python
        >>> distinct_n(["Huset er stort", "huset er lite"])
        0.75
        ```
    """
    grams = []
    for text in texts:
        words = _WORD.findall(text.lower())
        grams += [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def perplexity(model, tokenizer, texts: list[str], batch_size: int = 16) -> float:
    """exp of the mean negative log-likelihood per predicted token over all texts (token-weighted, with BOS).

    Args:
        model (`PreTrainedModel`): a causal LM.
        tokenizer (`PreTrainedTokenizerBase`): its tokenizer (with a pad token).
        texts (`list[str]`): plain texts, one sequence each.
        batch_size (`int`, *optional*, defaults to 16): texts per forward pass.
    """
    if not texts:
        raise InputDataError("perplexity needs at least one held-out text")
    total_nll, total_tokens = 0.0, 0
    device = next(model.parameters()).device
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(
            texts[start : start + batch_size], return_tensors="pt", padding=True, padding_side="right"
        ).to(device)
        with torch.inference_mode():
            logits = model(**batch).logits[:, :-1].float()
        targets = batch["input_ids"][:, 1:]
        mask = batch["attention_mask"][:, 1:].bool()
        nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
        total_nll += nll[mask].sum().item()
        total_tokens += int(mask.sum())
    return math.exp(total_nll / total_tokens)


def completion_metrics(texts: list[str], scorer: GrammarScorer, prompts: list[str | None] | None = None) -> dict:
    """Grammar and diversity metrics of a model's completions, and monitors of reward gaming.

    The monitors: `prompt_copy_rate`, the share of completions that copy or restate their prompt (a policy
    parroting the prompt scores well on grammar alone); `unknown_word_rate`, the share with a misspelt, unknown or
    invented word.

    Args:
        texts (`list[str]`): every completion of every prompt.
        scorer (`GrammarScorer`): the grammar scorer.
        prompts (`list[str | None]`, *optional*): the prompt each completion answers, scored against.
    """
    results = list(scorer.score_batch(texts, prompts=prompts))
    return {
        "completions": len(results),
        "parse_success": statistics.fmean(r.parse_success for r in results),
        "mean_score": statistics.fmean(r.score for r in results),
        "mattr": statistics.fmean(r.mattr for r in results),
        "distinct_2": distinct_n(texts, 2),
        "mean_words": statistics.fmean(r.n_words for r in results),
        "prompt_copy_rate": _share_with(results, PROMPT_COPY_RULES),
        "unknown_word_rate": _share_with(results, UNKNOWN_WORD_RULES),
    }


def _share_with(results: list, rules: frozenset[str]) -> float:
    return statistics.fmean(any(v.rule_id in rules for v in r.violations) for r in results)


def evaluate_models(
    models: list[EvalModel],
    prompts_dir: str | Path,
    heldout_dir: str | Path,
    config: EvalConfig,
    scorer_config: GrammarScorerConfig | None = None,
) -> dict:
    """Evaluate each model on the held-out prompts and texts; return the report (`rows` in the order given).

    Args:
        models (`list[EvalModel]`): the rows (base model first, then adapters).
        prompts_dir (`str` or `Path`): the `prompts` dataset folder (`config.split` is completed).
        heldout_dir (`str` or `Path`): a dataset folder with a `text` column (the SFT corpus; its validation
            articles are in no training split).
        config (`EvalConfig`): sampling and data settings.
        scorer_config (`GrammarScorerConfig`, *optional*): the grammar scorer (default pipeline and rules).

    Raises:
        [`InputDataError`]: the prompts or held-out split is missing or empty.
    """
    prompts = _split_column(prompts_dir, "prompt", config.split, config.max_prompts)
    texts = _split_column(heldout_dir, "text", config.heldout_split, config.max_heldout)
    scorer = GrammarScorer(scorer_config)
    rows = []
    for entry in models:
        logger.info("evaluating %s (%s%s)", entry.label, entry.model, f" + {entry.adapter}" if entry.adapter else "")
        model = resolve_model(entry.model)
        adapter = resolve_adapter(str(entry.adapter)) if entry.adapter else None
        completions, ppl = _generate_and_perplexity(model, adapter, prompts, texts, config)
        asked = [prompt_text(prompt) for prompt, group in zip(prompts, completions, strict=True) for _ in group]
        rows.append(
            {
                "model": entry.label,
                "ref": model.pinned_ref(),
                "revision": model.revision,
                "adapter": str(entry.adapter) if entry.adapter else None,
                "adapter_revision": adapter.revision if adapter else None,
                **completion_metrics([text for group in completions for text in group], scorer, asked),
                "perplexity": ppl,
                "examples": [group[0] for group in completions[:3]],
            }
        )
    for row in rows:  # the first row is the base model: a policy that games by writing less shows here
        row["length_vs_base"] = row["mean_words"] / rows[0]["mean_words"] if rows[0]["mean_words"] else 0.0
    return {
        "settings": asdict(config),
        "prompts": {"ref": str(prompts_dir), "fingerprint": input_fingerprint(prompts_dir), "rows": len(prompts)},
        "heldout": {"ref": str(heldout_dir), "fingerprint": input_fingerprint(heldout_dir), "rows": len(texts)},
        "scorer_fingerprint": scorer.fingerprint,
        "rows": rows,
    }


def _split_column(folder: str | Path, column: str, split: str, limit: int | None) -> list:
    frame = read_split_files(folder, [column])
    values = frame.filter(frame["split"] == split)[column].to_list()[:limit]
    if not values:
        splits = sorted(set(frame["split"].to_list()))
        raise InputDataError(f"{folder}: no rows in split {split!r} (splits: {', '.join(splits)})")
    return values


def _generate_and_perplexity(
    model: ModelInput, adapter: ModelInput | None, prompts: list, texts: list[str], config: EvalConfig
) -> tuple[list[list[str]], float]:
    """Completions (one list per prompt) and held-out perplexity of one model (+ adapter).

    Perplexity reads the transformers model, so the transformers backend's model is reused for it; with vLLM,
    the model is loaded a second time in transformers after generation.
    """
    with torch_threads(config.threads):
        if config.backend == "transformers":
            backend = TransformersBackend(model, adapter, config.device, config.batch_size, config.threads)
            completions = backend.generate(prompts, config.sampling(config.temperature))
        else:
            generator = load_backend(config.backend, model, adapter, vllm_options=config.vllm_options)
            completions = generator.generate(prompts, config.sampling(config.temperature))
            del generator
            backend = TransformersBackend(model, adapter, config.device, config.batch_size, config.threads)
        return completions, perplexity(backend.model, backend.tokenizer, texts, config.batch_size)


def write_adapter_evaluation(report: dict, adapter: Path) -> Path:
    """Write the report as `eval.json` in the adapter folder (naming the adapter's own row) and re-render its card.

    Args:
        report (`dict`): what `evaluate_models` returned; one row's `adapter` must be this folder.
        adapter (`Path`): the adapter folder.
    """
    from saga.cards.model import render_adapter_card  # deferred: the card module is only needed here

    own = [row["model"] for row in report["rows"] if row["adapter"] == str(adapter)]
    if not own:
        raise InputDataError(f"the evaluation has no row for adapter {adapter}")
    path = Path(adapter) / EVAL_FILE
    path.write_text(json.dumps({**report, "adapter_row": own[0]}, indent=2, ensure_ascii=False) + "\n")
    render_adapter_card(Path(adapter))
    return path


def format_table(rows: list[dict]) -> str:
    """The evaluation rows as a Markdown table (what `saga eval` prints and the cards show)."""
    header = [
        "model",
        "completions",
        "parse success",
        "mean grammar score",
        "MATTR",
        "distinct-2",
        "mean words",
        "length vs base",
        "prompt copies",
        "with unknown words",
        "perplexity",
    ]
    cells = [
        [
            row["model"],
            row["completions"],
            f"{row['parse_success']:.1%}",
            f"{row['mean_score']:.3f}",
            f"{row['mattr']:.3f}",
            f"{row['distinct_2']:.3f}",
            f"{row['mean_words']:.1f}",
            f"{row.get('length_vs_base', 1.0):.2f}",
            f"{row.get('prompt_copy_rate', 0.0):.1%}",
            f"{row.get('unknown_word_rate', 0.0):.1%}",
            f"{row['perplexity']:.1f}",
        ]
        for row in rows
    ]
    return markdown_table(header, cells)
