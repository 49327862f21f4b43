"""Rule-based Norwegian sentence splitting, cheap enough to run before the (expensive) parse.

Why not spaCy's `sentencizer`: the Norwegian tokenizer keeps a number and its period together as an ordinal
("1962."), so "... i 1962. Dette ..." would never be split. The rules here split after `.`, `!`, `?` or `…`
(plus closing quotes/brackets) when the next word starts a sentence, unless the word before is a known
abbreviation (spaCy's Norwegian tokenizer exceptions) or a single-letter initial.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.lang.nb.tokenizer_exceptions import TOKENIZER_EXCEPTIONS

BOUNDARY = re.compile(r"""([.!?…]+["»”’')\]]*)\s+(?=["«“‘(\[]?[A-ZÆØÅÀ-Ý0-9])""")
LAST_WORD = re.compile(r"(\S+)$")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Lower-cased abbreviations ending in a period, from spaCy's Norwegian tokenizer exceptions."""
    return frozenset(key.lower() for key in TOKENIZER_EXCEPTIONS if key.endswith(".") and len(key) > 2)


def _ends_in_abbreviation(prefix: str) -> bool:
    match = LAST_WORD.search(prefix)
    if match is None:
        return False
    word = match.group(1).lstrip("(«\"'")
    if re.fullmatch(r"[A-ZÆØÅ]\.", word):  # an initial: "A. Hansen"
        return True
    return word.lower() in abbreviations()


def split_sentences(text: str) -> Iterator[str]:
    """Yield the sentences of one paragraph, stripped, in order.

    Example:
        ```python
        >>> list(split_sentences("Han døde i 1962. Dette er bl.a. omtalt i boka. Hva nå?"))
        ['Han døde i 1962.', 'Dette er bl.a. omtalt i boka.', 'Hva nå?']
        ```
    """
    start = 0
    for match in BOUNDARY.finditer(text):
        end = match.end(1)
        if match.group(1).startswith(".") and _ends_in_abbreviation(text[start:end]):
            continue
        sentence = text[start:end].strip()
        if sentence:
            yield sentence
        start = match.end()
    tail = text[start:].strip()
    if tail:
        yield tail
