"""Command-line flags generated from a config dataclass: one flag per field, typed by the field and described by
the dataclass's own docstring, so a config field and its flag cannot drift apart.

Each flag is the field's name (`--n_samples`, as TRL spells its config flags), with a dashed alias for names with
an underscore (`--n-samples`). A flag that is not given stays unset, so the dataclass's default applies.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
from collections.abc import Iterable

SCALARS = {"int": int, "float": float, "str": str}
# `    name (`type`, ...): description` in the `Args:` section of a Hugging Face style docstring
ARG_LINE = re.compile(r"^\s{4}(\w+) \(`[^`]*`[^)]*\):\s*(.*)$")


def add_config_arguments(
    parser: argparse.ArgumentParser, config_class: type, only: Iterable[str] | None = None, skip: Iterable[str] = ()
) -> None:
    """Add a flag for each scalar field (`int`, `float`, `str`, optional or not) of `config_class`.

    Args:
        parser (`argparse.ArgumentParser`): the command's parser.
        config_class (`type`): a dataclass.
        only (`Iterable[str]`, *optional*): these fields only (default: every scalar field).
        skip (`Iterable[str]`, *optional*): fields without a flag.

    Raises:
        `TypeError`: a field named in `only` that is not a scalar.
    """
    docs = field_docs(config_class)
    only, skip = (set(only) if only is not None else None), set(skip)
    for item in dataclasses.fields(config_class):
        if not item.init or item.name in skip or (only is not None and item.name not in only):
            continue
        annotation = _annotation(item.type)
        kind = SCALARS.get(annotation.split(" |")[0])
        if kind is None:
            if only is not None:
                raise TypeError(f"{config_class.__name__}.{item.name} ({annotation}) has no command-line form")
            continue
        names = [f"--{item.name}"] + ([f"--{item.name.replace('_', '-')}"] if "_" in item.name else [])
        help_text = docs.get(item.name, f"{config_class.__name__}.{item.name}").replace("%", "%%")
        parser.add_argument(*names, dest=item.name, type=kind, default=argparse.SUPPRESS, help=help_text)


def _annotation(annotation) -> str:
    """A field's type as written: `int | None`, whether annotations are strings (`from __future__ import
    annotations`) or types."""
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None) or str(annotation)


def config_arguments(args: argparse.Namespace, config_class: type) -> dict:
    """The fields of `config_class` given on the command line (`add_config_arguments`), as keyword arguments."""
    return {
        item.name: getattr(args, item.name) for item in dataclasses.fields(config_class) if hasattr(args, item.name)
    }


def field_docs(config_class: type) -> dict[str, str]:
    """Each field's description from the `Args:` sections of the class's docstring and its bases' (a mixin
    documents its own fields), on one line.

    Example:

    ```python
    >>> from saga.trainers.eval_config import EvalConfig
    >>> field_docs(EvalConfig)["split"]
    'the prompts split to complete (prompts no training stage saw).'
    ```
    """
    docs: dict[str, str] = {}
    for cls in reversed(config_class.__mro__):  # the subclass's own words win
        name = None
        for line in (cls.__doc__ and inspect.cleandoc(cls.__doc__) or "").split("Args:", 1)[-1].splitlines():
            match = ARG_LINE.match(line)
            if match:
                name, docs[match[1]] = match[1], match[2]
            elif name and line.startswith(" " * 8) and line.strip():
                docs[name] += " " + line.strip()
            else:
                name = None
    return docs
