"""Typed errors of the grammar scorer, so callers can tell a missing annotation from bad input or a bad config."""

from saga.errors import SagaError


class MissingAnnotationError(SagaError):
    """A rule was run on a `Doc` that lacks the annotation it reads (code `SAGA-R001`).

    The rules read UPOS, morphological features and the dependency parse (not lemmas); a blank or partial pipeline
    leaves them empty, and every check would then silently pass.
    """


class ScorerConfigError(SagaError, ValueError):
    """A `GrammarScorerConfig` (or the component config) names an unknown rule or an out-of-range parameter.

    A `ValueError` too, as config validation errors are everywhere else.
    """


class ScoreCacheError(SagaError):
    """The persistent score cache cannot be opened or holds rows written by something else."""


class ScorerWorkerError(SagaError):
    """A scorer worker process died (killed, out of memory, crashed) instead of returning results."""
