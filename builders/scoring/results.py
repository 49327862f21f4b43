"""`ScoreResult`: what the scorer returns for one text, and how it is written to JSON lines and the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saga.builders.scoring.violations import Violation

# Reasons a text is not parsed at all; each gets the minimum score.
REJECT_REASONS = ("not_a_string", "empty", "too_long", "no_words")


@dataclass(frozen=True)
class ScoreResult:
    """The grammatical quality of one text.

    Args:
        score (`float`): the score in [-1, 1] (see `saga.builders.scoring.formula`).
        parse_success (`bool`): every sentence has a finite verb in its main clause, and every finite declarative
            clause has a subject.
        violations (`list[Violation]`): what the rules found, in rule order.
        grammar (`float`, *optional*): the grammar term G in [-1, 1].
        mattr (`float`, *optional*): the text's MATTR in [0, 1].
        repetition (`float`, *optional*): the repeated n-gram share in [0, 1].
        improbability (`float`, *optional*): the tag-sequence improbability term I in [0, 1].
        unacceptability (`float`, *optional*): the acceptability classifier's term U in [0, 1].
        n_sentences (`int`, *optional*): sentences with at least one word.
        n_words (`int`, *optional*): words (tokens that are not punctuation or space).
        reason (`str`, *optional*): why the text was not parsed (one of `REJECT_REASONS`), else `None`.
    """

    score: float
    parse_success: bool
    violations: list[Violation] = field(default_factory=list)
    grammar: float = -1.0
    mattr: float = 0.0
    repetition: float = 0.0
    improbability: float = 0.0
    unacceptability: float = 0.0
    n_sentences: int = 0
    n_words: int = 0
    reason: str | None = None

    @classmethod
    def rejected(cls, reason: str) -> ScoreResult:
        """The result for input that cannot be scored: score -1, no parse, the reason recorded.

        Args:
            reason (`str`): one of `REJECT_REASONS`.
        """
        if reason not in REJECT_REASONS:
            raise ValueError(f"unknown reject reason {reason!r}; expected one of {REJECT_REASONS}")
        return cls(score=-1.0, parse_success=False, reason=reason)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; `score` first, violations as dicts (see `Violation.to_dict`)."""
        return {
            "score": self.score,
            "parse_success": self.parse_success,
            "violations": [v.to_dict() for v in self.violations],
            "grammar": self.grammar,
            "mattr": self.mattr,
            "repetition": self.repetition,
            "improbability": self.improbability,
            "unacceptability": self.unacceptability,
            "n_sentences": self.n_sentences,
            "n_words": self.n_words,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreResult:
        """Inverse of `to_dict`.

        Args:
            data (`dict`): a mapping written by `to_dict`.
        """
        return cls(
            score=float(data["score"]),
            parse_success=bool(data["parse_success"]),
            violations=[Violation.from_dict(v) for v in data["violations"]],
            grammar=float(data["grammar"]),
            mattr=float(data["mattr"]),
            repetition=float(data["repetition"]),
            improbability=float(data["improbability"]),
            unacceptability=float(data["unacceptability"]),
            n_sentences=int(data["n_sentences"]),
            n_words=int(data["n_words"]),
            reason=data["reason"],
        )
