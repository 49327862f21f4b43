"""The score formula: rule violations, diversity, repetition, tag-sequence probability, acceptability → [-1, 1].

For a text with `S` sentences and words `W` (lower-cased, punctuation excluded):

    G = min(1, 1 - Σ weight(v) / S)                            grammar: violation weights per sentence
    D = clip((MATTR(W, window) - m0) / (m1 - m0), -1, 1)       lexical diversity
    R = share of W inside an n-gram seen earlier in W          repetition, in [0, 1]
    I = mean over sentences of clip((ref - SLOR) / (k · σ), 0, 1)   tag-sequence improbability, in [0, 1]
    U = mean over sentences of clip((P - p0) / (1 - p0), 0, 1)      unacceptability (learned), in [0, 1]
    s = (1 - α) · G + α · D - γ · R - λ · I - κ · U
    score = s                                  when s ≥ f (s never exceeds 1)
            f - (1 + f) · d / (d + 1 + f)      below f, with d = f - s: a soft floor towards -1

with α = `diversity_weight` (0.2, as in the SAGA cards), `window` = `mattr_window` (50), m1 = `mattr_full` (0.65),
m0 = `mattr_zero` (0.40), γ = `repetition_weight` (2.0), n = `repetition_ngram` (3), λ = `sequence_weight` (0.5),
k = `sequence_span` (6), κ = `acceptability_weight` (0: off by default) and f = `soft_floor` (-0.5). SLOR is a
sentence's tag-sequence log-probability under the treebank n-gram model of `saga.builders.scoring.sequence_model`,
relative to its tags' unigram probabilities; `ref` and σ come with the model. P is the probability that a sentence
is a corrupted one under the acceptability classifier of `saga.builders.scoring.acceptability`, and p0 comes with the
classifier. Weights are in sentence units (`saga.builders.scoring.rules`), so one weight-1.0 violation in a
one-sentence text takes G from 1 to 0, and the same violation in a five-sentence text costs 0.2.

Why these choices:

* A clean text scores 1.0, so the SFT threshold 0.65 tolerates about one minor violation per sentence.
* D gives full credit from MATTR 0.65 (every paragraph of the bundled Wikipedia sample reaches it) and falls to -1
  at 0.15 (the same few words over and over), so a grammatical sentence's score does not wobble with its function
  words, while a text that repeats itself loses.
* I is a continuous signal the rules lack: a missing or misplaced word rarely breaks a rule the parser can see, but
  it usually makes the tag sequence less probable. It lowers the score gradually (λ · I reaches λ only k standard
  deviations below `ref`), so a clean but unusual sentence loses a little, not its SFT place.
* U, the learned classifier, is off by default (κ = 0): trained on deleted and swapped words, it rates many correct
  learner sentences as corrupted (on NoCoLA dev it puts a fifth of the acceptable sentences below 0) without
  separating real errors better than the rules, and it costs more time than the whole rule set. κ = 3.0
  (`TUNED_ACCEPTABILITY_WEIGHT`) is the weight it was calibrated for.
* G has no lower clip and the floor bends slowly, so bad texts stay ordered and spread: a text with twice a
  sentence's worth of violations scores below one with a single serious error, and a reward can tell a bad
  completion from a worse one. Above f the score is the linear sum itself (the SFT threshold 0.65 and the pair
  threshold 0.2 are untouched); below it the bend keeps the order, is continuous with slope 1 at f, and reaches
  -0.75 at s = -1, -0.875 at s = -2 and -0.95 at s = -5. f = -1 is a hard clip at -1.
* Degenerate texts land at or below 0: a verbless word or noun list has G ≤ -0.5 (missing finite verb, weight
  1.5), hence score ≤ 0.8 · -0.5 + 0.2 = -0.2; a sentence repeated twice has R = 0.5 and costs γ · R = 1.0 on top
  of its duplicate-sentence violation; text in another language takes the language violation (1.5 per sentence).
"""

from __future__ import annotations

from dataclasses import dataclass

from saga.builders.scoring.diversity import mattr, repeated_ngram_share

DECIMALS = 6


TUNED_ACCEPTABILITY_WEIGHT = 3.0


def _clip(value: float) -> float:
    return max(-1.0, min(1.0, value))


def _soft_floor(value: float, floor: float) -> float:
    """`value` above `floor`; below it, a bend from `floor` towards -1 that keeps the order of values and
    approaches -1 slowly (as 1/distance), so very bad texts stay apart."""
    if value >= floor:
        return min(1.0, value)
    if floor == -1.0:
        return -1.0
    distance = floor - value
    return floor - (1.0 + floor) * distance / (distance + 1.0 + floor)


@dataclass(frozen=True)
class FormulaTerms:
    """The parts of one score, kept so a dataset can show why a text scored what it did.

    Args:
        score (`float`): the final score in [-1, 1].
        grammar (`float`): G, the grammar term, at most 1.
        mattr (`float`): MATTR in [0, 1] (the diversity term D is derived from it).
        repetition (`float`): R, the repeated n-gram share in [0, 1].
        improbability (`float`): I, the tag-sequence improbability in [0, 1].
        unacceptability (`float`): U, the classifier's unacceptability in [0, 1].
    """

    score: float
    grammar: float
    mattr: float
    repetition: float
    improbability: float
    unacceptability: float


@dataclass(frozen=True)
class ScoreFormula:
    """Parameters of the score formula (see the module docstring).

    Args:
        diversity_weight (`float`, *optional*, defaults to 0.2): α, the weight of the MATTR term, in [0, 1].
        mattr_window (`int`, *optional*, defaults to 50): MATTR window in words, ≥ 1.
        mattr_full (`float`, *optional*, defaults to 0.65): m1, the MATTR that earns the full diversity credit.
        mattr_zero (`float`, *optional*, defaults to 0.40): m0, the MATTR whose diversity term is 0; must be
            below `mattr_full`.
        repetition_weight (`float`, *optional*, defaults to 2.0): γ, the repetition penalty factor, ≥ 0.
        repetition_ngram (`int`, *optional*, defaults to 3): n of the repeated n-grams, ≥ 1.
        sequence_weight (`float`, *optional*, defaults to 0.5): λ, the weight of the improbability term, ≥ 0.
        sequence_span (`float`, *optional*, defaults to 6.0): k, how many standard deviations of SLOR below the
            model's reference the improbability reaches 1; > 0.
        acceptability_weight (`float`, *optional*, defaults to 0.0): κ, the weight of the unacceptability term, ≥ 0;
            0 skips the classifier (`TUNED_ACCEPTABILITY_WEIGHT` is the weight it was calibrated for).
        soft_floor (`float`, *optional*, defaults to -0.5): f, where the score starts bending towards -1, in
            [-1, 0]; -1 is a hard clip.

    Example:
        ```python
        >>> ScoreFormula().combine(0.0, 1, ["huset", "er", "stort"]).score
        1.0
        ```
    """

    diversity_weight: float = 0.2
    mattr_window: int = 50
    mattr_full: float = 0.65
    mattr_zero: float = 0.40
    repetition_weight: float = 2.0
    repetition_ngram: int = 3
    sequence_weight: float = 0.5
    sequence_span: float = 6.0
    acceptability_weight: float = 0.0
    soft_floor: float = -0.5

    def __post_init__(self):
        if not 0.0 <= self.diversity_weight <= 1.0:
            raise ValueError(f"diversity_weight must be in [0, 1], got {self.diversity_weight}")
        if self.mattr_window < 1 or self.repetition_ngram < 1:
            raise ValueError(
                f"mattr_window and repetition_ngram must be >= 1, got {self.mattr_window} and {self.repetition_ngram}"
            )
        if not 0.0 <= self.mattr_zero < self.mattr_full <= 1.0:
            raise ValueError(f"need 0 <= mattr_zero < mattr_full <= 1, got {self.mattr_zero} and {self.mattr_full}")
        if self.repetition_weight < 0:
            raise ValueError(f"repetition_weight must be >= 0, got {self.repetition_weight}")
        if self.acceptability_weight < 0:
            raise ValueError(f"acceptability_weight must be >= 0, got {self.acceptability_weight}")
        if not -1.0 <= self.soft_floor <= 0.0:
            raise ValueError(f"soft_floor must be in [-1, 0], got {self.soft_floor}")
        if self.sequence_weight < 0 or self.sequence_span <= 0:
            raise ValueError(
                f"need sequence_weight >= 0 and sequence_span > 0, got {self.sequence_weight} and {self.sequence_span}"
            )

    def combine(
        self,
        penalty: float,
        n_sentences: int,
        words: list[str],
        improbability: float = 0.0,
        unacceptability: float = 0.0,
    ) -> FormulaTerms:
        """Apply the formula.

        Args:
            penalty (`float`): Σ weight(v) over the text's violations.
            n_sentences (`int`): number of sentences with at least one word (S; at least 1 is used).
            words (`list[str]`): lower-cased words without punctuation (W).
            improbability (`float`, *optional*, defaults to 0.0): I in [0, 1] (see
                `saga.builders.scoring.sequence_model.TagNgramModel.improbability`).
            unacceptability (`float`, *optional*, defaults to 0.0): U in [0, 1] (see
                `saga.builders.scoring.acceptability.AcceptabilityClassifier.unacceptability`).
        """
        grammar = min(1.0, 1.0 - penalty / max(1, n_sentences))
        diversity = mattr(words, self.mattr_window)
        repetition = repeated_ngram_share(words, self.repetition_ngram)
        alpha = self.diversity_weight
        credit = _clip((diversity - self.mattr_zero) / (self.mattr_full - self.mattr_zero))
        score = _soft_floor(
            (1 - alpha) * grammar
            + alpha * credit
            - self.repetition_weight * repetition
            - self.sequence_weight * improbability
            - self.acceptability_weight * unacceptability,
            self.soft_floor,
        )
        # Rounded so a score reads the same fresh, from the cache, or after a JSON round trip.
        terms = (score, grammar, diversity, repetition, improbability, unacceptability)
        return FormulaTerms(*(round(value, DECIMALS) for value in terms))
