"""The unit every grammar rule reports: one `Violation` per problem, with the token span it covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One grammar problem found in a parsed text.

    Args:
        rule_id (`str`): the rule that fired, e.g. `"np_gender_agreement"`; a key of the rule set.
        start (`int`): index of the first token of the offending span in the `Doc`.
        end (`int`): index one past the last token of the span (spaCy slice convention, `doc[start:end]`).
        message (`str`): what is wrong, in terms a writer can act on, quoting the words involved.
        weight (`float`, *optional*, defaults to `0.0`): penalty in sentence units; rules leave it at 0 and the
            scorer stamps the configured weight, so a rule never decides its own importance.

    Example:
        ```python
        >>> v = Violation("repeated_word", 2, 4, "'og og': the same word twice in a row")
        >>> v.to_dict()["rule"]
        'repeated_word'
        ```
    """

    rule_id: str
    start: int
    end: int
    message: str
    weight: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (msgpack/JSON safe) with the key `rule` for `rule_id`, as written to JSON lines and caches."""
        return {
            "rule": self.rule_id,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "weight": self.weight,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Violation:
        """Inverse of `to_dict`.

        Args:
            data (`dict`): a mapping with keys `rule`, `start`, `end`, `message` and `weight`.
        """
        return cls(data["rule"], int(data["start"]), int(data["end"]), data["message"], float(data["weight"]))
