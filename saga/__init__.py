"""saga: versioned dataset builders and thin trainers for grammar alignment with verifiable feedback."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("saga")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
