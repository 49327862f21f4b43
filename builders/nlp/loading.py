"""Resolve a pipeline reference (bundled name, installed package or path) to a loaded spaCy `Language`.

The bundled `nb_saga_sm` ships inside the repo because the official `nb_core_news_*` pipelines cannot be downloaded
here; an installed `nb_core_news_lg` or any pipeline folder works in its place.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import spacy
from spacy.language import Language

from saga.errors import PipelineLoadError

BUNDLED_PIPELINES = {"nb_saga_sm": files("saga.assets") / "nb_saga_sm"}


def resolve(name_or_path: str | Path) -> Path | str:
    """Return the folder of a bundled pipeline or path, or the name of an installed pipeline package.

    Args:
        name_or_path (`str` or `Path`): `"nb_saga_sm"`, an installed package such as `"nb_core_news_lg"`, or a
            folder holding a spaCy pipeline (`config.cfg` + `meta.json`).

    Raises:
        `PipelineLoadError`: when the reference names nothing loadable.
    """
    ref = str(name_or_path)
    if ref in BUNDLED_PIPELINES:
        return Path(str(BUNDLED_PIPELINES[ref]))
    path = Path(ref).expanduser()
    if path.exists():
        if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
            raise PipelineLoadError(
                f"{path} is not a spaCy pipeline folder (no config.cfg/meta.json)",
                hint="pass a folder written by `nlp.to_disk` or `spacy package`, or a name such as nb_saga_sm",
            )
        return path
    if spacy.util.is_package(ref):
        return ref
    known = ", ".join(sorted(BUNDLED_PIPELINES))
    raise PipelineLoadError(
        f"unknown spaCy pipeline {ref!r}: not bundled ({known}), not an installed package, not a folder",
        hint="use nb_saga_sm, install the pipeline package (e.g. nb_core_news_lg), or pass its folder",
    )


@lru_cache(maxsize=4)
def load(name_or_path: str | Path = "nb_saga_sm", exclude: tuple[str, ...] = ()) -> Language:
    """Load a Norwegian spaCy pipeline once per process.

    Args:
        name_or_path (`str` or `Path`, defaults to `"nb_saga_sm"`): see `resolve`.
        exclude (`tuple[str, ...]`, *optional*): components not to load (e.g. `("trainable_lemmatizer",)`).

    Example:
        ```python
        >>> from saga.builders import nlp
        >>> doc = nlp.load("nb_saga_sm")("Den store bilen står i garasjen.")
        >>> [(t.text, t.morph.get("Definite")) for t in doc[:3]]
        [('Den', []), ('store', ['Def']), ('bilen', ['Def'])]
        ```
    """
    target = resolve(name_or_path)
    try:
        return spacy.load(target, exclude=list(exclude))
    except (OSError, ValueError) as err:
        raise PipelineLoadError(f"could not load spaCy pipeline {name_or_path!s}: {err}") from err


def pipeline_fingerprint(nlp: Language) -> str:
    """`name-version-<sha256 of the weights>`: identifies the exact pipeline that produced an annotation.

    Call it on a freshly loaded pipeline, as the scorer and the classifier's training do: each component's bytes
    include the shared vocabulary, whose string store grows with every new word parsed, so the digest of a pipeline
    that has already parsed text differs.
    """
    digest = hashlib.sha256()
    for name, proc in nlp.components:
        digest.update(name.encode())
        if hasattr(proc, "to_bytes"):
            digest.update(proc.to_bytes())
    meta = nlp.meta
    return (
        f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}-{digest.hexdigest()[:16]}"
    )
