"""Spelling: is a word a Bokmål form, a likely misspelling of a common one, or unknown?

Norsk Ordbank (`saga.builders.scoring.lexicon`) lists inflected forms but not the productive parts of Bokmål spelling
(compounds, genitives), so the lexicon also accepts a word that splits into known parts. Split alone, almost any
misspelling is "known": "raport" is "ra" + "port", "kontak" is "kon" + "tak", "ungdomer" is "ung" + "domer". Real
misspellings sit one edit away from a word writers use far more often, and a frequency list tells the two apart:
`wordfreq`'s Norwegian Bokmål list (Wikipedia, subtitles, news, web text; Speer, 2022, CC BY-SA 4.0) gives
"raport" a Zipf frequency of 1.1 and "rapport" 4.6.

A word is judged in this order:

1. an Ordbank form, a genitive of one ("landets"), an abbreviation written without its period ("jf"), or a
   hyphenated word with a known last part: **known**;
2. one edit (a letter deleted, inserted, replaced, or two swapped) from an Ordbank form with a Zipf frequency of
   at least `common_zipf` that is at least `margin` Zipf units more frequent than the word itself: **misspelling**,
   with that form as the suggestion ("rettning" → "retning", "kansje" → "kanskje");
3. a compound of known parts, or a word the frequency list knows at `common_zipf` or more ("mere"): **known**;
4. otherwise **unknown** ("xqzt", "omsterke").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

import wordfreq

from saga.builders.scoring.lexicon import Lexicon, load_lexicon

ATTRIBUTION = "word frequencies from wordfreq (Robyn Speer, 2022), Norwegian Bokmål list, CC BY-SA 4.0"
# The letters an edit may insert or substitute: the Bokmål alphabet and the accented letters of loanwords.
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøåéèêóòôü"
WORDLIST = "large"


@dataclass(frozen=True)
class SpellingVerdict:
    """What the speller says of a word that is not plainly known.

    Args:
        kind (`str`): `"misspelling"` (one edit from a much more common form) or `"unknown"`.
        suggestion (`str`, *optional*): the common form, for a misspelling.
    """

    kind: str
    suggestion: str | None = None


def edits1(word: str) -> set[str]:
    """Every string one edit from `word`: a letter deleted, inserted or replaced, or two neighbours swapped.

    Args:
        word (`str`): a lower-cased word.

    Example:
        ```python
        >>> sorted(w for w in edits1("ab") if len(w) == 1)
        ['a', 'b']
        ```
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


class Speller:
    """Known / misspelt / unknown for lower-cased words, from Ordbank and a word-frequency list.

    Args:
        lexicon (`Lexicon`): the Ordbank forms, with compound, genitive and hyphen handling.
        frequencies (`dict[str, float]`): word → frequency (a share of all words), as
            `wordfreq.get_frequency_dict` returns.
        common_zipf (`float`, *optional*, defaults to 3.0): a suggestion's least Zipf frequency (3 is once per
            million words), and the frequency at which a word the lexicon cannot split still counts as known.
        margin (`float`, *optional*, defaults to 2.0): how many Zipf units (factors of ten) more frequent the
            suggestion must be than the word.

    Example:
        ```python
        >>> speller = load_speller()
        >>> speller.verdict("rettning"), speller.verdict("retning"), speller.verdict("voldspotensialet")
        (SpellingVerdict(kind='misspelling', suggestion='retning'), None, None)
        ```
    """

    def __init__(self, lexicon: Lexicon, frequencies: dict[str, float], common_zipf: float = 3.0, margin: float = 2.0):
        self.lexicon = lexicon
        self.frequencies = frequencies
        self.common_zipf = common_zipf
        self.margin = margin
        # The forms a suggestion may be: Ordbank forms at least `common_zipf` frequent (a set, so that the few
        # hundred edits of a word are checked in one intersection).
        floor = 10 ** (common_zipf - 9)
        self.common_forms = frozenset(w for w, f in frequencies.items() if f >= floor and w in lexicon)

    def zipf(self, word: str) -> float:
        """The Zipf frequency of `word` (log10 of its frequency per billion words; 0 when unlisted)."""
        frequency = self.frequencies.get(word, 0.0)
        return math.log10(frequency) + 9 if frequency > 0 else 0.0

    @lru_cache(maxsize=200_000)  # noqa: B019 - one Speller lives per process; the cache is the point.
    def verdict(self, word: str) -> SpellingVerdict | None:
        """`None` for a known word, else a misspelling (with its suggestion) or unknown.

        Args:
            word (`str`): a lower-cased word of letters (and hyphens).
        """
        lexicon = self.lexicon
        if word in lexicon or (word.endswith("s") and word[:-1] in lexicon) or word + "." in lexicon.function_words:
            return None
        if "-" in word:
            return None if lexicon.is_known(word) else SpellingVerdict("unknown")
        suggestion = self.suggestion(word)
        if suggestion is not None:
            return SpellingVerdict("misspelling", suggestion)
        if lexicon.is_known(word) or self.zipf(word) >= self.common_zipf:
            return None
        return SpellingVerdict("unknown")

    def suggestion(self, word: str) -> str | None:
        """The most frequent Ordbank form one edit from `word`, when it is common and `margin` more frequent."""
        # Ties go to the alphabetically last form, so the suggestion does not depend on set order.
        best = max(((self.zipf(c), c) for c in edits1(word) & self.common_forms), default=None)
        if best is None or best[0] - self.zipf(word) < self.margin:
            return None
        return best[1]


@lru_cache(maxsize=1)
def load_speller() -> Speller:
    """The speller over the bundled lexicon and wordfreq's large Bokmål list (about 0.1 s and 40 MB, once)."""
    return Speller(load_lexicon(), wordfreq.get_frequency_dict("nb", wordlist=WORDLIST))


def speller_version() -> str:
    """The frequency list's package version, recorded in the scorer fingerprint."""
    return f"wordfreq-{version('wordfreq')}-nb-{WORDLIST}"
