"""Typed errors of the generation backends."""

from saga.errors import SagaError


class GenerationError(SagaError):
    """A generation backend cannot run: it is not installed, its model cannot be loaded, or its output is malformed."""


class BackendNotInstalledError(GenerationError):
    """The backend asked for needs a package that is not installed (vLLM: `pip install 'saga[gpu]'`)."""
