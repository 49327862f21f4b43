"""Anti-reward-hacking terms: lexical diversity (MATTR) and repeated n-grams.

A generator rewarded for grammar alone learns to repeat one safe sentence. MATTR (moving-average type-token
ratio, Covington & McFall 2010) falls as vocabulary repeats, independent of text length; the duplicated n-gram
share (as in Gopher's repetition filters, Rae et al. 2021) catches repeated phrases directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def mattr(words: Sequence[str], window: int = 50) -> float:
    """Moving-average type-token ratio: the mean type/token ratio over every `window`-word window.

    Texts shorter than the window get their plain type-token ratio; an empty text gets 0.

    Args:
        words (`Sequence[str]`): the text's words, lower-cased, without punctuation.
        window (`int`, *optional*, defaults to 50): window length in words.

    Example:
        ```python
        >>> mattr(["bil", "bil", "hus", "hus"], window=2)
        0.6666666666666666
        ```
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    if len(words) <= window:
        return len(set(words)) / len(words) if words else 0.0
    counts = Counter(words[:window])
    total = len(counts)
    for start in range(1, len(words) - window + 1):
        leaving, entering = words[start - 1], words[start + window - 1]
        counts[leaving] -= 1
        if not counts[leaving]:
            del counts[leaving]
        counts[entering] += 1
        total += len(counts)
    return total / (len(words) - window + 1) / window


def repeated_ngram_share(words: Sequence[str], n: int = 3) -> float:
    """Share of words covered by an `n`-gram that already occurred earlier in the text.

    0 for a text without repeated `n`-grams; "Huset er stort. Huset er stort." gives 0.5.

    Args:
        words (`Sequence[str]`): the text's words, lower-cased, without punctuation.
        n (`int`, *optional*, defaults to 3): n-gram length.

    Example:
        ```python
        >>> repeated_ngram_share("huset er stort huset er stort".split())
        0.5
        ```
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if len(words) < n:
        return 0.0
    seen: set[tuple[str, ...]] = set()
    covered = [False] * len(words)
    for start in range(len(words) - n + 1):
        gram = tuple(words[start : start + n])
        if gram in seen:
            covered[start : start + n] = [True] * n
        seen.add(gram)
    return sum(covered) / len(words)
