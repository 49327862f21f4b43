"""Counting the capitals table (`assets/scorer/capitals_v1.json`, `saga scorer build-capitals`) from edited
Bokmål: for every word capitalised alone inside a sentence, how often it was so and how often in lower case. The
rules read the table through `saga.builders.scoring.capitals`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from saga.builders.scoring.capitals import FORMAT, OPENERS, SENTENCE_ENDS

CHUNK = re.compile(r"\S+")


def inner_words(sentence: str) -> Iterable[tuple[str, bool]]:
    """The words of `sentence` that stand inside it, each with whether it stands alone among capitalised words.

    A word stands inside when it is not the first, nor one after sentence-ending punctuation, an opening quote,
    bracket or dash; trailing punctuation is stripped. A capitalised word next to another capitalised word is part of
    a multi-word name ("Norsk Hydro", "Den norske Turistforening" is not: "norske" is lower case), which says
    nothing about the word on its own.

    Args:
        sentence (`str`): one sentence of running text.

    Example:
        ```python
        >>> [word for word, alone in inner_words("Han bor i Norge. Det «Store» huset i Norsk Hydro") if alone]
        ['bor', 'Norge', 'huset']
        ```
    """
    chunks = CHUNK.findall(sentence)
    words = [chunk.strip(".,;:!?»”\"')]…") for chunk in chunks]
    inside = [
        index > 0
        and not chunks[index - 1].endswith(tuple(SENTENCE_ENDS))
        and chunks[index - 1] not in OPENERS
        and word[:1] not in OPENERS
        and word.replace("-", "").isalpha()
        for index, word in enumerate(words)
    ]
    named = [flag and word[:1].isupper() for flag, word in zip(inside, words, strict=True)]
    for index, word in enumerate(words):
        if inside[index]:
            yield word, not ((index > 0 and named[index - 1]) or (index + 1 < len(words) and named[index + 1]))


def count_capitals(sentences: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(capitalised, lower-case) counts inside sentences of every word capitalised there, alone, at least once.

    Args:
        sentences (`Iterable[str]`): sentences of edited Bokmål text.
    """
    capital, lower = Counter(), Counter()
    for sentence in sentences:
        for word, alone in inner_words(sentence):
            if word.islower():
                lower[word] += 1
            elif alone and word[0].isupper() and word[1:].islower():
                capital[word.lower()] += 1
    return {word: (n, lower[word]) for word, n in sorted(capital.items())}


def write_capitals(counts: dict[str, tuple[int, int]], path: str | Path) -> Path:
    """Write the table as sorted JSON (same counts → same bytes).

    Args:
        counts (`dict[str, tuple[int, int]]`): from `count_capitals`.
        path (`str` or `Path`): the JSON file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "counts": {word: list(pair) for word, pair in sorted(counts.items())}}
    path.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return path
