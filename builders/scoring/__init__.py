"""The grammar scorer: Bokmål text → grammatical quality in [-1, 1] from a spaCy parse (the verifiable reward).

Example:
    ```python
    >>> from builders.scoring import GrammarScorer
    >>> result = GrammarScorer().score("Den store bilen står i garasjen.")
    >>> result.parse_success, result.violations
    (True, [])
    ```
"""

from builders.scoring.cache import ScoreCache
from builders.scoring.component import COMPONENT_NAME, GrammarScorerComponent
from builders.scoring.errors import MissingAnnotationError, ScoreCacheError, ScorerConfigError
from builders.scoring.fingerprint import SCORER_VERSION, scorer_fingerprint
from builders.scoring.formula import ScoreFormula
from builders.scoring.results import ScoreResult
from builders.scoring.rules import RULES_V2, RuleSet
from builders.scoring.scorer import GrammarScorer, GrammarScorerConfig
from builders.scoring.violations import Violation

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
