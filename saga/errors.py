"""Typed errors that the `saga` command turns into one clear line (and a hint) instead of a traceback."""


class SagaError(Exception):
    """Base class of every error saga raises on purpose.

    Args:
        message (`str`): what went wrong, naming the file, row or field.
        hint (`str`, *optional*): what the user can do about it.
    """

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


class PipelineLoadError(SagaError):
    """A spaCy pipeline name or path could not be loaded."""


class InputDataError(SagaError):
    """Input data (a file, a row, a field) is malformed."""


class PublishRefusedError(SagaError):
    """A folder may not be published: its validation failed or is missing, or the tag already exists."""


class HubAuthError(SagaError):
    """The Hub refused the token (HTTP 401/403) or no token is set in `HF_TOKEN`."""


class HubRequestError(SagaError):
    """A Hub request failed for good (after retries), or the branch moved while publishing."""


class ReferenceResolutionError(SagaError):
    """A dataset/model reference (`ORG/NAME@REV` or a local folder) could not be parsed or resolved."""


class TrainingInputError(SagaError):
    """A base model or dataset a training run cannot use (LoRA targets, columns or splits it lacks)."""


class RecipeError(SagaError):
    """A recipe file (`saga run`) is unreadable or names a key, stage or value that does not exist."""


class ExecutorError(SagaError, ValueError):
    """An `executor` setting is malformed, or names an engine (Ray) that is not installed or cannot be reached."""
