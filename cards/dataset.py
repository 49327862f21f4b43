"""Dataset cards: `DatasetCardData` for the YAML, a Jinja template for the prose, numbers from the saga/ files."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from huggingface_hub import DatasetCard, DatasetCardData

from saga.builders.scoring.lexicon import ATTRIBUTION as SCORER_LEXICON
from saga.cards.plots import funnel_plot

TEMPLATE = files("saga.cards") / "templates" / "dataset_card.md"
WIKIPEDIA_LICENCE = (
    "Sentences are taken from Norwegian Wikipedia articles (© Wikipedia contributors, "
    "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)); this dataset is shared under the same "
    "licence."
)
NORQUAD_CREDIT = " The bundled sample was collected by NorQuAD (CC0)."
# Config fields that only mean something for a Hub source.
HUB_SOURCE_FIELDS = ("source_config", "source_revision")
# The datasets whose rows carry grammar scores, and so owe the scorer's word lists their attribution.
SCORED_BUILDERS = {"Scored", "SFT", "ScoredCompletions", "Pairs"}
DESCRIPTIONS = {
    "Sentences": {
        "pretty_name": "Norwegian Bokmål Wikipedia sentences (saga)",
        "summary": "Clean, deduplicated Norwegian Bokmål sentences from Wikipedia, with their article id, title and "
        "position, the input of saga's grammar-scored corpora.",
        "task_categories": ["text-generation"],
        "steps": [
            "Read articles in the `wikimedia/wikipedia` schema (`id, url, title, text`); drop empty and oversized "
            "ones.",
            "Strip leftover wiki markup (templates, references, tables, links, URLs, tags); drop titles, headings "
            "and list items; normalise Unicode (NFC), whitespace and quotation marks («»).",
            "Split paragraphs into sentences (rules with spaCy's Norwegian abbreviations).",
            "Drop sentences outside the length bounds, with leftover markup, or duplicating an earlier sentence "
            "(case and punctuation folded).",
            "Drop sentences in Nynorsk, Swedish, Danish or English (lingua confirmed by orthographic markers).",
        ],
    },
    "Scored": {
        "pretty_name": "Grammar-scored Norwegian Bokmål sentences (saga)",
        "summary": "Every sentence of the saga `sentences` dataset with its grammar score in [-1, 1], parse "
        "success and rule violations, computed from a spaCy parse by saga's verifiable grammar scorer.",
        "task_categories": ["text-classification"],
        "steps": [
            "Read the `sentences` dataset (its build fingerprint is an input of this one).",
            "Parse each sentence with the spaCy pipeline and apply the registered Bokmål rule set; map violations, "
            "lexical diversity (MATTR) and repetition to a score in [-1, 1] (see `builders/scoring/formula.py`).",
            "Record the scorer fingerprint (rules, weights, formula, pipeline hash) on every row.",
        ],
    },
    "SFT": {
        "pretty_name": "Grammatical Norwegian Bokmål SFT corpus (saga)",
        "summary": "Sentences scoring at or above the SFT threshold, as chat examples (`messages`) and plain text "
        "(`text`) for TRL's `SFTTrainer`, split into train and validation by article.",
        "task_categories": ["text-generation"],
        "steps": [
            "Read the `scored` dataset; drop sentences of articles reserved for DPO prompts.",
            "Keep sentences with score ≥ `min_score` (and a successful parse); optionally cap at `max_examples` "
            "by a hash order.",
            "Format each as a user prompt from a template with the article title, answered by the sentence.",
            "Assign whole articles to train or validation by a hash of the article id.",
        ],
    },
    "Prompts": {
        "pretty_name": "Norwegian Bokmål generation prompts for DPO (saga)",
        "summary": "Chat prompts (topic and continuation) from Wikipedia articles reserved for preference data; no "
        "article is also in the SFT corpus. The `test` split is for evaluating adapters.",
        "task_categories": ["text-generation"],
        "steps": [
            "Read the `sentences` dataset and keep the articles reserved for prompts (hash of the article id).",
            "Render topic templates with the title and continuation templates with the first sentence.",
            "Assign whole articles to train or test by a hash of the article id.",
        ],
    },
    "Completions": {
        "pretty_name": "Norwegian Bokmål policy completions for DPO (saga)",
        "summary": "Completions sampled from the policy (the merged SFT checkpoint) for the saga DPO prompts, at "
        "every temperature of a grid and several samples each, with the request seed, the model revision, the "
        "backend and every sampling parameter on each row.",
        "task_categories": ["text-generation"],
        "steps": [
            "Read the `prompts` dataset (its build fingerprint is an input of this one); keep its train/test split.",
            "Resolve the policy (and optional LoRA adapter) to an immutable revision: a folder fingerprint or a "
            "commit SHA, recorded on every row.",
            "For each temperature of the grid, sample `n_samples` completions per prompt through the model's chat "
            "template (generation prompt appended), with the repetition penalty against reward hacking.",
            "Seed each (prompt, temperature) request from a hash of the base seed, the prompt and the temperature, "
            "so a completion does not depend on its batch; generate by prompt shard so a killed run resumes.",
        ],
    },
    "ScoredCompletions": {
        "pretty_name": "Grammar-scored Norwegian Bokmål policy completions (saga)",
        "summary": "Every completion of the saga `completions` dataset with its grammar score in [-1, 1], parse "
        "success and rule violations, the reward of the preference pairs.",
        "task_categories": ["text-classification"],
        "steps": [
            "Read the `completions` dataset (its build fingerprint is an input of this one).",
            "Score each completion with the same grammar scorer and score cache as the sentence corpus.",
            "Keep completions the scorer cannot parse (empty, too long) with score -1 and the reason.",
        ],
    },
    "Pairs": {
        "pretty_name": "Norwegian Bokmål grammar preference pairs for DPO (saga)",
        "summary": "DPO preference pairs of policy completions, chosen and rejected by grammar-score delta, in TRL's "
        "explicit-prompt conversational format (`prompt`, `chosen`, `rejected`), with scores, delta and "
        "temperatures. Split by prompt, following the prompts dataset.",
        "task_categories": ["text-generation"],
        "steps": [
            "Read the `scored_completions` dataset; completions the scorer could not parse are not candidates.",
            "Collapse identical completions of a prompt (identical texts are never paired).",
            "Pair by strategy (`best_worst`: best against worst; `all`: every passing pair, capped per prompt) and "
            "keep pairs with delta ≥ `min_delta` and chosen score ≥ `min_chosen`; count each prompt left without "
            "a pair by reason.",
            "Write `prompt` (user turn), `chosen` and `rejected` (one assistant turn each); pairs of test prompts "
            "form the test split.",
        ],
    },
}


def size_category(rows: int) -> str:
    """The Hub's `size_categories` bucket for a row count."""
    for limit, label in [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")]:
        if rows < limit:
            return label
    return "n>1M"


def dataset_card_inputs(
    path: Path, repo_id: str = "ORG/NAME", revision: str = "v1.0.0", extra: str = "", plots: list[dict] | None = None
) -> tuple[DatasetCardData, dict]:
    """The card's metadata and template variables, read from the folder's `saga/` files (plots are drawn here).

    Args:
        path (`Path`): the dataset folder.
        repo_id (`str`, defaults to `"ORG/NAME"`): the Hub repository named in the usage snippet.
        revision (`str`, defaults to `"v1.0.0"`): the revision named in the usage snippet.
        extra (`str`, *optional*): a Markdown section specific to the dataset (e.g. score statistics).
        plots (`list[dict]`, *optional*): more plots (`{"title", "path"}` relative to the folder).
    """
    saga_dir = path / "saga"
    manifest = json.loads((saga_dir / "manifest.json").read_text())
    funnel = json.loads((saga_dir / "funnel.json").read_text())
    validation_path = saga_dir / "validation.json"
    validation = json.loads(validation_path.read_text()) if validation_path.is_file() else {}
    validation = {"suite": "not run", "success": False, "evaluated": 0, "rows": 0, "failed": [], **validation}
    about = DESCRIPTIONS[manifest["builder"]]
    card_data = DatasetCardData(
        language=["nb"],
        license="cc-by-sa-4.0",
        pretty_name=about["pretty_name"],
        task_categories=about["task_categories"],
        size_categories=[size_category(sum(manifest["rows"].values()))],
        source_datasets=["wikimedia/wikipedia"],
        tags=["saga", "norwegian", "grammar", manifest["builder"].lower()],
        configs=[
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": f"data/{s}-*.parquet"} for s in manifest["rows"]],
            }
        ],
    )
    variables = {
        "pretty_name": about["pretty_name"],
        "summary": about["summary"],
        "steps": about["steps"],
        "manifest": manifest,
        "funnel": funnel,
        "validation": validation,
        "plots": [funnel_plot(funnel, saga_dir / "plots" / "funnel.png", path), *(plots or [])],
        "extra": extra,
        "repo_id": repo_id,
        "revision": revision,
        "licence_text": WIKIPEDIA_LICENCE + _source_credit(manifest) + _scorer_attribution(manifest["builder"]),
        "hidden_config": () if manifest.get("source", "").startswith("the Hub") else HUB_SOURCE_FIELDS,
    }
    return card_data, variables


def _source_credit(manifest: dict) -> str:
    """NorQuAD's credit where the articles are its bundled sample."""
    return NORQUAD_CREDIT if manifest.get("source", "").startswith("the bundled sample") else ""


def _scorer_attribution(builder: str) -> str:
    return f" The grammar scores use {SCORER_LEXICON}." if builder in SCORED_BUILDERS else ""


def render_dataset_card(path: Path, **kwargs) -> DatasetCard:
    """Render and save `README.md` of a dataset folder; keyword arguments as in `dataset_card_inputs`."""
    card_data, variables = dataset_card_inputs(path, **kwargs)
    card = DatasetCard.from_template(card_data, template_path=str(TEMPLATE), **variables)
    card.save(path / "README.md")
    return card
