"""Δ-pairing rules: which (chosen, rejected) completions of one prompt become a DPO preference pair.

A pair needs `chosen.score - rejected.score >= min_delta` (the seed: 0.25) and `chosen.score >= min_chosen` (0.2):
a small delta is scorer noise, and preferring a bad completion over a worse one teaches nothing worth learning.
Two completions with the same text are never paired (their scores are equal and DPO's gradient would cancel);
duplicates are collapsed to their first occurrence before pairing.

Strategies:

- `best_worst` (default, the seed's): one pair per prompt, the highest-scoring completion against the lowest.
  The largest margin, and every prompt weighs the same in training.
- `all`: every pair that passes both thresholds, largest delta first, capped at `max_pairs` per prompt so prompts
  with many completions do not dominate. More pairs from the same generation budget, correlated within a prompt.

Length: the grammar score is no length measure, but short answers break fewer rules, so "best vs worst" tends to
prefer the shorter text, and DPO then learns to write less. `max_length_ratio` keeps only pairs whose longer text
has at most that many times the words of the shorter (1.5: a 20-word answer pairs with 14 to 30 words), so the
pair differs in grammar rather than in length; `length_ratio` reports chosen/rejected word counts either way.

A prompt without a pair gets the first reason that applies, in this order: `no_candidates` (fewer than two
scorable completions), `identical` (fewer than two distinct texts), `chosen_too_low` (no completion reaches
`min_chosen`), `delta_too_small` (none is `min_delta` above another), `length_mismatch` (every pair that passes the
score thresholds is further apart in length than `max_length_ratio`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

STRATEGIES = ("best_worst", "all")
NO_PAIR_REASONS = ("no_candidates", "identical", "chosen_too_low", "delta_too_small", "length_mismatch")


@dataclass(frozen=True)
class Candidate:
    """One scored completion of a prompt.

    Args:
        text (`str`): the completion.
        score (`float`): its grammar score in [-1, 1].
        temperature (`float`): the temperature it was sampled at.
        sample_idx (`int`): its sample index at that temperature.
    """

    text: str
    score: float
    temperature: float
    sample_idx: int

    @property
    def words(self) -> int:
        """Its length in words (whitespace-separated)."""
        return len(self.text.split())

    def rank(self) -> tuple[float, float, int]:
        """Sort key: best score first; ties go to the lower temperature, then the lower sample index."""
        return (-self.score, self.temperature, self.sample_idx)


@dataclass(frozen=True)
class Pair:
    """A preference pair of one prompt."""

    chosen: Candidate
    rejected: Candidate

    @property
    def delta(self) -> float:
        return self.chosen.score - self.rejected.score

    @property
    def length_ratio(self) -> float:
        """Chosen words / rejected words (below 1: the chosen text is shorter)."""
        return max(1, self.chosen.words) / max(1, self.rejected.words)

    def within_length_ratio(self, max_ratio: float | None) -> bool:
        """True when the longer text has at most `max_ratio` times the words of the shorter (always without one)."""
        return max_ratio is None or max(self.length_ratio, 1 / self.length_ratio) <= max_ratio


@dataclass
class PromptPairs:
    """The pairs of one prompt, why it has none, and how many passing pairs the cap dropped.

    Args:
        pairs (`list[Pair]`): the pairs kept, largest delta first.
        reason (`str`, *optional*): one of `NO_PAIR_REASONS` when `pairs` is empty.
        over_cap (`int`, defaults to 0): pairs that passed the thresholds but exceeded `max_pairs`.
    """

    pairs: list[Pair] = field(default_factory=list)
    reason: str | None = None
    over_cap: int = 0


def distinct_texts(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with duplicate texts removed (first in temperature, sample order kept), best first."""
    seen: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (c.temperature, c.sample_idx)):
        seen.setdefault(candidate.text, candidate)
    return sorted(seen.values(), key=Candidate.rank)


def pair_prompt(
    candidates: list[Candidate],
    strategy: str = "best_worst",
    min_delta: float = 0.25,
    min_chosen: float = 0.2,
    max_pairs: int = 8,
    max_length_ratio: float | None = None,
) -> PromptPairs:
    """Pair the scored completions of one prompt.

    Args:
        candidates (`list[Candidate]`): the prompt's scorable completions.
        strategy (`str`, defaults to `"best_worst"`): one of `STRATEGIES`.
        min_delta (`float`, defaults to 0.25): the least score margin of a pair.
        min_chosen (`float`, defaults to 0.2): the least score of a chosen completion.
        max_pairs (`int`, defaults to 8): the cap per prompt of the `all` strategy.
        max_length_ratio (`float`, *optional*): keep only pairs whose longer text has at most this many times the
            words of the shorter; `best_worst` then takes the passing pair with the largest delta.

    Example:
        ```python
        >>> good, bad = Candidate("Huset er stort.", 0.9, 0.7, 0), Candidate("Huset stort.", 0.1, 1.1, 0)
        >>> [(p.chosen.text, p.rejected.text) for p in pair_prompt([good, bad]).pairs]
        [('Huset er stort.', 'Huset stort.')]
        >>> pair_prompt([good, good]).reason
        'identical'
        ```
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if len(candidates) < 2:
        return PromptPairs(reason="no_candidates")
    ranked = distinct_texts(candidates)
    if len(ranked) < 2:
        return PromptPairs(reason="identical")
    if ranked[0].score < min_chosen:
        return PromptPairs(reason="chosen_too_low")
    if strategy == "best_worst" and max_length_ratio is None:
        pair = Pair(ranked[0], ranked[-1])
        return PromptPairs([pair]) if pair.delta >= min_delta else PromptPairs(reason="delta_too_small")
    passing = [
        Pair(chosen, rejected)
        for i, chosen in enumerate(ranked)
        if chosen.score >= min_chosen
        for rejected in ranked[i + 1 :]
        if chosen.score - rejected.score >= min_delta
    ]
    if not passing:
        return PromptPairs(reason="delta_too_small")
    passing = [pair for pair in passing if pair.within_length_ratio(max_length_ratio)]
    if not passing:
        return PromptPairs(reason="length_mismatch")
    passing.sort(key=lambda p: (-p.delta, p.chosen.rank(), p.rejected.rank()))
    cap = 1 if strategy == "best_worst" else max_pairs
    over_cap = max(0, len(passing) - cap) if strategy == "all" else 0
    return PromptPairs(passing[:cap], over_cap=over_cap)
