"""ScaLA-style minimal pairs: a correct treebank sentence and a copy broken by exactly one corruption.

Following ScaLA (Nielsen 2023, "ScandEval"), two corruptions, each applied once per sentence:

* `deletion`: delete one random word that is not ADJ, ADV, PUNCT, SYM, DET, NUM or PART; a NOUN only when
  neither neighbour is a NOUN (so "bil" in "bil-verksted"-like noun sequences is not a candidate). A sentence of
  one word ("Røntgen.") is left alone: deleting it leaves no text to judge, only punctuation or nothing.
* `swap`: swap two adjacent non-punctuation words with different UPOS.

Capitalisation is repaired so that only grammar differs: when the first word moves or is deleted, the new first
word is capitalised and the old one lower-cased (unless it is a proper noun or an acronym). Randomness is seeded
per (seed, sentence id, corruption), so a pair does not change when other sentences are added or removed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from saga.builders.nlp.treebank import Sentence, read_conll

CORRUPTIONS = ("deletion", "swap")
NOT_DELETED = {"ADJ", "ADV", "PUNCT", "SYM", "DET", "NUM", "PART"}


@dataclass(frozen=True)
class Word:
    """One treebank token as the corruptions need it.

    Args:
        form (`str`): the token text.
        upos (`str`): its universal part of speech.
        space_after (`bool`): whether a space follows it in the running text.
    """

    form: str
    upos: str
    space_after: bool = True


@dataclass(frozen=True)
class MinimalPair:
    """A correct sentence and its corrupted copy.

    Args:
        sentence_id (`str`): the treebank `sent_id`.
        corruption (`str`): `"deletion"` or `"swap"`.
        correct (`str`): the original sentence.
        corrupted (`str`): the sentence after the corruption.
    """

    sentence_id: str
    corruption: str
    correct: str
    corrupted: str


def detokenize(words: Sequence[Word]) -> str:
    """Running text from words, using each word's `space_after`."""
    return "".join(w.form + (" " if w.space_after else "") for w in words).strip()


def _capitalised(form: str) -> str:
    return form[:1].upper() + form[1:]


def _decapitalised(word: Word) -> str:
    keep = word.upos == "PROPN" or (len(word.form) > 1 and word.form.isupper())
    return word.form if keep else word.form[:1].lower() + word.form[1:]


def delete_word(words: Sequence[Word], rng: random.Random) -> list[Word] | None:
    """Delete one eligible word (see the module docstring); `None` when no word is eligible or only one word is
    there.

    Args:
        words (`Sequence[Word]`): the sentence.
        rng (`random.Random`): the seeded generator choosing the word.
    """
    if sum(w.upos != "PUNCT" for w in words) < 2:
        return None
    candidates = [
        i
        for i, w in enumerate(words)
        if w.upos not in NOT_DELETED
        and not (w.upos == "NOUN" and any(0 <= j < len(words) and words[j].upos == "NOUN" for j in (i - 1, i + 1)))
    ]
    if not candidates:
        return None
    index = rng.choice(candidates)
    result = list(words[:index]) + list(words[index + 1 :])
    if index > 0:
        previous = result[index - 1]
        result[index - 1] = Word(previous.form, previous.upos, words[index].space_after)
    elif result and words[0].form[:1].isupper():
        result[0] = Word(_capitalised(result[0].form), result[0].upos, result[0].space_after)
    return result


def swap_words(words: Sequence[Word], rng: random.Random) -> list[Word] | None:
    """Swap one pair of adjacent non-punctuation words with different UPOS; `None` when there is none.

    Args:
        words (`Sequence[Word]`): the sentence.
        rng (`random.Random`): the seeded generator choosing the pair.
    """
    candidates = [
        i
        for i in range(len(words) - 1)
        if "PUNCT" not in (words[i].upos, words[i + 1].upos) and words[i].upos != words[i + 1].upos
    ]
    if not candidates:
        return None
    i = rng.choice(candidates)
    left, right = words[i], words[i + 1]
    left_form, right_form = left.form, right.form
    if i == 0 and left.form[:1].isupper():
        right_form, left_form = _capitalised(right.form), _decapitalised(left)
    result = list(words)
    # Spacing belongs to the positions, so "ord," stays "ord," whichever word now stands there.
    result[i] = Word(right_form, right.upos, left.space_after)
    result[i + 1] = Word(left_form, left.upos, right.space_after)
    return result


def minimal_pairs(sentences: Iterable[tuple[str, Sequence[Word]]], seed: int = 0) -> Iterator[MinimalPair]:
    """One pair per corruption for every sentence where that corruption applies and changes the text.

    Args:
        sentences (`Iterable[tuple[str, Sequence[Word]]]`): (sentence id, words) for each correct sentence.
        seed (`int`, *optional*, defaults to 0): the seed; the same seed gives the same pairs.

    Example:
        ```python
        >>> words = [Word("Han", "PRON"), Word("spiste", "VERB"), Word("fisk", "NOUN", False), Word(".", "PUNCT")]
        >>> [p.corrupted for p in minimal_pairs([("s1", words)], seed=0)]
        ['Han fisk.', 'Spiste han fisk.']
        ```
    """
    corrupt = {"deletion": delete_word, "swap": swap_words}
    for sentence_id, words in sentences:
        correct = detokenize(words)
        for corruption in CORRUPTIONS:
            rng = random.Random(f"{seed}:{sentence_id}:{corruption}")
            changed = corrupt[corruption](words, rng)
            if changed is None:
                continue
            corrupted = detokenize(changed)
            if corrupted != correct:
                yield MinimalPair(sentence_id, corruption, correct, corrupted)


def sentence_words(sentence: Sentence) -> list[Word]:
    """The words of a treebank sentence, with spacing from `SpaceAfter=No`."""
    return [Word(t.form, t.upos, "SpaceAfter=No" not in t.misc) for t in sentence.tokens]


def read_annotated_sentences(path: str | Path) -> Iterator[tuple[str, Sentence]]:
    """(sent_id, sentence) of every sentence in a CoNLL-U file, with its gold annotation; the sentence's number
    stands in for a missing `sent_id`.

    Args:
        path (`str` or `Path`): a CoNLL-U file, e.g. the bundled held-out set.
    """
    for number, sentence in enumerate(read_conll(path), start=1):
        yield sentence.comments.get("sent_id", str(number)), sentence


def read_treebank_sentences(path: str | Path) -> Iterator[tuple[str, list[Word]]]:
    """(sent_id, words) of every sentence in a CoNLL-U file, with spacing from `SpaceAfter=No`.

    Args:
        path (`str` or `Path`): a CoNLL-U file, e.g. the bundled held-out set.
    """
    for sentence_id, sentence in read_annotated_sentences(path):
        yield sentence_id, sentence_words(sentence)
