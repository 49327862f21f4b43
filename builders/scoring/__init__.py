"""The grammar scorer: Bokmål text → grammatical quality in [-1, 1] from a spaCy parse (the verifiable reward).

Example:
    ```python
    >>> from saga.builders.scoring import GrammarScorer
    >>> result = GrammarScorer().score("Den store bilen står i garasjen.")
    >>> result.parse_success, result.violations
    (True, [])
    ```
"""

from saga.builders.scoring.cache import ScoreCache
from saga.builders.scoring.component import COMPONENT_NAME, GrammarScorerComponent
from saga.builders.scoring.errors import MissingAnnotationError, ScoreCacheError, ScorerConfigError
from saga.builders.scoring.fingerprint import SCORER_VERSION, scorer_fingerprint
from saga.builders.scoring.formula import ScoreFormula
from saga.builders.scoring.results import ScoreResult
from saga.builders.scoring.rules import RULES_V2, RuleSet
from saga.builders.scoring.scorer import GrammarScorer, GrammarScorerConfig
from saga.builders.scoring.violations import Violation

__all__ = [
    "COMPONENT_NAME",
    "RULES_V2",
    "SCORER_VERSION",
    "GrammarScorer",
    "GrammarScorerComponent",
    "GrammarScorerConfig",
    "MissingAnnotationError",
    "RuleSet",
    "ScoreCache",
    "ScoreCacheError",
    "ScoreFormula",
    "ScoreResult",
    "ScorerConfigError",
    "Violation",
    "scorer_fingerprint",
]
