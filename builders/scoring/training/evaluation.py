"""How well the scorer separates correct from minimally corrupted sentences: AUROC and pairwise accuracy.

For each corruption type, AUROC treats the correct sentences as positives and the corrupted ones as negatives
(the Mann-Whitney U statistic divided by n·m, ties counted half); pairwise accuracy is the share of pairs whose
correct sentence scores strictly higher than its corrupted copy, with ties reported separately. The held-out
sentences are the UD Norwegian-Bokmål test documents that `nb_saga_sm` never trained on
(`saga.builders.nlp.training.HELDOUT`).

Two sets of pairs are built from them: the ScaLA corruptions (`saga.builders.scoring.training.minimal_pairs`), which
the acceptability classifier is trained on for other sentences, and the inflection corruptions
(`saga.builders.scoring.training.inflection_pairs`), which no part of the scorer was trained on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from scipy.stats import mannwhitneyu

from saga.builders.nlp.training import HELDOUT
from saga.builders.scoring.scorer import GrammarScorer
from saga.builders.scoring.training.inflection_pairs import INFLECTIONS, inflection_pairs
from saga.builders.scoring.training.minimal_pairs import (
    CORRUPTIONS,
    MinimalPair,
    minimal_pairs,
    read_annotated_sentences,
    read_treebank_sentences,
)
from saga.tables import markdown_table


@dataclass(frozen=True)
class CorruptionReport:
    """Separation metrics for one corruption type (or `"all"`).

    Args:
        corruption (`str`): the corruption type (`"deletion"`, `"swap"`, one of `INFLECTIONS`) or `"all"`.
        pairs (`int`): number of minimal pairs.
        auroc (`float`): area under the ROC curve of score as a correct-vs-corrupted classifier.
        pairwise_accuracy (`float`): share of pairs with score(correct) > score(corrupted).
        ties (`float`): share of pairs with equal scores.
        mean_correct (`float`): mean score of the correct sentences.
        mean_corrupted (`float`): mean score of the corrupted sentences.
    """

    corruption: str
    pairs: int
    auroc: float
    pairwise_accuracy: float
    ties: float
    mean_correct: float
    mean_corrupted: float


def auroc(positives: list[float], negatives: list[float]) -> float:
    """P(score of a random positive > score of a random negative), ties counted half.

    Args:
        positives (`list[float]`): scores of correct sentences.
        negatives (`list[float]`): scores of corrupted sentences.
    """
    statistic = mannwhitneyu(positives, negatives, alternative="two-sided").statistic
    return float(statistic) / (len(positives) * len(negatives))


def report_pairs(corruption: str, scored: list[tuple[float, float]]) -> CorruptionReport:
    """Metrics over (correct score, corrupted score) pairs.

    Args:
        corruption (`str`): the label of the row.
        scored (`list[tuple[float, float]]`): one (correct, corrupted) score pair per minimal pair.
    """
    correct = [c for c, _ in scored]
    corrupted = [k for _, k in scored]
    n = len(scored)
    return CorruptionReport(
        corruption=corruption,
        pairs=n,
        auroc=auroc(correct, corrupted),
        pairwise_accuracy=sum(c > k for c, k in scored) / n,
        ties=sum(c == k for c, k in scored) / n,
        mean_correct=sum(correct) / n,
        mean_corrupted=sum(corrupted) / n,
    )


def evaluate_pairs(
    scorer: GrammarScorer,
    pairs: Iterable[MinimalPair],
    batch_size: int = 64,
    n_process: int = 1,
    corruptions: tuple[str, ...] = CORRUPTIONS,
) -> list[CorruptionReport]:
    """Score every distinct sentence once and report each corruption type, then all pairs together.

    Args:
        scorer (`GrammarScorer`): the scorer under evaluation.
        pairs (`Iterable[MinimalPair]`): the minimal pairs.
        batch_size (`int`, *optional*, defaults to 64): `nlp.pipe` batch size.
        n_process (`int`, *optional*, defaults to 1): `nlp.pipe` worker processes.
        corruptions (`tuple[str, ...]`, *optional*, defaults to `CORRUPTIONS`): the row order of the types.
    """
    pairs = list(pairs)
    if not pairs:
        raise ValueError("no minimal pairs to evaluate: the treebank file holds no usable sentence")
    texts = list(dict.fromkeys(text for p in pairs for text in (p.correct, p.corrupted)))
    scores = {t: r.score for t, r in zip(texts, scorer.score_batch(texts, batch_size, n_process), strict=True)}
    rows = []
    for corruption in [*corruptions, "all"]:
        chosen = [p for p in pairs if corruption in (p.corruption, "all")]
        if chosen:
            rows.append(report_pairs(corruption, [(scores[p.correct], scores[p.corrupted]) for p in chosen]))
    return rows


def evaluate_heldout(
    scorer: GrammarScorer, path: str | Path | None = None, seed: int = 0, batch_size: int = 64, n_process: int = 1
) -> list[CorruptionReport]:
    """Build minimal pairs from a CoNLL-U file (default: the bundled held-out sentences) and evaluate.

    Args:
        scorer (`GrammarScorer`): the scorer under evaluation.
        path (`str` or `Path`, *optional*): CoNLL-U file; defaults to `saga.builders.nlp.training.HELDOUT`.
        seed (`int`, *optional*, defaults to 0): corruption seed.
        batch_size (`int`, *optional*, defaults to 64): `nlp.pipe` batch size.
        n_process (`int`, *optional*, defaults to 1): `nlp.pipe` worker processes.

    Example:
        ```python
        >>> rows = evaluate_heldout(GrammarScorer())
        >>> print(format_table(rows))  # doctest: +SKIP
        ```
    """
    sentences = read_treebank_sentences(Path(str(path or HELDOUT)))
    return evaluate_pairs(scorer, minimal_pairs(sentences, seed), batch_size, n_process)


def evaluate_inflections(
    scorer: GrammarScorer, path: str | Path | None = None, seed: int = 0, batch_size: int = 64, n_process: int = 1
) -> list[CorruptionReport]:
    """Build inflection pairs from a gold-annotated CoNLL-U file (default: the bundled held-out) and evaluate;
    no rows for a file without the lemmas and FEATS the corruptions need.

    Args:
        scorer (`GrammarScorer`): the scorer under evaluation.
        path (`str` or `Path`, *optional*): CoNLL-U file with lemmas and FEATS; defaults to
            `saga.builders.nlp.training.HELDOUT`.
        seed (`int`, *optional*, defaults to 0): corruption seed.
        batch_size (`int`, *optional*, defaults to 64): `nlp.pipe` batch size.
        n_process (`int`, *optional*, defaults to 1): `nlp.pipe` worker processes.
    """
    pairs = list(inflection_pairs(read_annotated_sentences(Path(str(path or HELDOUT))), seed))
    return evaluate_pairs(scorer, pairs, batch_size, n_process, INFLECTIONS) if pairs else []


def format_table(rows: list[CorruptionReport]) -> str:
    """A Markdown table (for the README) with one row per corruption type."""
    header = [
        "corruption",
        "pairs",
        "AUROC",
        "pairwise accuracy",
        "ties",
        "mean score correct",
        "mean score corrupted",
    ]
    cells = [
        [
            row.corruption,
            row.pairs,
            f"{row.auroc:.3f}",
            f"{row.pairwise_accuracy:.3f}",
            f"{row.ties:.3f}",
            f"{row.mean_correct:.3f}",
            f"{row.mean_corrupted:.3f}",
        ]
        for row in rows
    ]
    return markdown_table(header, cells, align="lrrrrrr")


def rows_as_dicts(rows: list[CorruptionReport]) -> list[dict]:
    """The report rows as plain dicts (for `--json`)."""
    return [asdict(row) for row in rows]
