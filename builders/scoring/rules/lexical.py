"""Word-level rules: misspellings and unknown word forms, stuttered words, pronoun case, and sentences repeated
verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise

from spacy.tokens import Doc, Token

from saga.builders.scoring.rules.annotation import (
    NOMINAL_SUBJECT_DEPS,
    children,
    morph,
    require_annotation,
    sentences,
    tokens,
    with_pos,
)
from saga.builders.scoring.spelling import SpellingVerdict, load_speller
from saga.builders.scoring.violations import Violation

# Tags and relations whose words are names or foreign material, which Ordbank does not list.
NAME_OR_FOREIGN_POS = {"PROPN", "X", "SYM", "NUM"}
NAME_OR_FOREIGN_DEPS = {"flat:name", "flat:foreign", "flat"}
OBJECT_DEPS = {"obj", "iobj", "obl", "nmod"}
# "han" is an accepted object form in Bokmål ("Jeg så han"); "enn/som + pronoun" takes either case.
CASE_NEUTRAL_OBJECTS = {"han"}
COMPARATIVE_MARKERS = {"enn", "som"}


def misspelling(doc: Doc) -> Iterator[Violation]:
    """A word one edit from a much more common Bokmål form is a likely misspelling of it ("rettning" →
    "retning", "kansje" → "kanskje", "raport" → "rapport"), even where a split into known parts exists
    (`saga.builders.scoring.spelling`).

    Checks the words `unknown_word` checks: names, foreign words, acronyms, mixed case and digits are skipped.
    """
    require_annotation(doc, "misspelling", "POS", "DEP")
    for token, verdict in _spelling(doc):
        if verdict.kind == "misspelling":
            message = f"{token.text!r} is likely a misspelling of {verdict.suggestion!r}"
            yield Violation("misspelling", token.i, token.i + 1, message)


def unknown_word(doc: Doc) -> Iterator[Violation]:
    """A lower-case word form that is no Bokmål word (not in Norsk Ordbank, not a compound, genitive or
    abbreviation of its forms, not a common word in the frequency list) and no misspelling of a common one.

    Names (proper nouns, capitalised words inside a sentence), acronyms and mixed-case words ("kWh"), foreign words
    and non-Latin script, and words with digits are not checked; a trailing hyphen ("pleistocen- og holocen...")
    is ignored.
    """
    require_annotation(doc, "unknown_word", "POS", "DEP")
    for token, verdict in _spelling(doc):
        if verdict.kind == "unknown":
            yield Violation("unknown_word", token.i, token.i + 1, f"{token.text.strip('-')!r} is not a Bokmål word")


@lru_cache(maxsize=4)
def _spelling(doc: Doc) -> tuple[tuple[Token, SpellingVerdict], ...]:
    """Each checked word of `doc` that the speller does not call known, with its verdict (cached for the few docs
    being scored, so `misspelling` and `unknown_word` read one pass)."""
    speller = load_speller()
    found = []
    for token in tokens(doc):
        if token.pos_ in NAME_OR_FOREIGN_POS or token.is_punct or token.dep_ in NAME_OR_FOREIGN_DEPS:
            continue
        text = token.text.strip("-")
        if not _word_shaped(text) or (text[0].isupper() and not token.is_sent_start):
            continue
        verdict = speller.verdict(text.lower())
        if verdict is not None:
            found.append((token, verdict))
    return tuple(found)


@lru_cache(maxsize=200_000)
def _word_shaped(text: str) -> bool:
    """True for two or more letters (hyphens allowed), lower case after the first letter, in Latin script;
    memoised, since most words recur across texts."""
    return len(text) >= 2 and text.replace("-", "").isalpha() and text[1:].islower() and _latin(text)


def _latin(text: str) -> bool:
    """True for words in the Latin alphabet (with Norwegian and other accented letters); Greek, Cyrillic or Arabic
    words in a Bokmål text are quotations, not misspellings."""
    return max(text) < "\u0250"


def repeated_word(doc: Doc) -> Iterator[Violation]:
    """The same word twice in a row ("og og") is a stutter; "det det" ("det det gjelder") is grammatical."""
    for left, right in pairwise(tokens(doc)):
        # `lower` is the id of `lower_`: comparing ids spares creating two strings per pair.
        if left.lower == right.lower and left.is_alpha and left.lower_ != "det":
            yield Violation("repeated_word", left.i, right.i + 1, f"{left.text!r} twice in a row")


def pronoun_case(doc: Doc) -> Iterator[Violation]:
    """Subjects take the nominative ("jeg", "hun", "vi", "de"), objects the accusative ("meg", "henne", "oss",
    "dem"): "Meg liker fisk" and "Hun så jeg" are wrong."""
    require_annotation(doc, "pronoun_case", "POS", "MORPH", "DEP")
    for token in with_pos(doc, "PRON"):
        case = morph(token, "Case")
        if len(case) != 1 or "Yes" in morph(token, "Reflex"):
            continue
        # "enn jeg/meg", "de som ..." (object "de" before a relative clause), "hun lille" take either form.
        if any(c.lower_ in COMPARATIVE_MARKERS or c.dep_ in {"acl:relcl", "amod"} for c in children(token)):
            continue
        if token.dep_ in NOMINAL_SUBJECT_DEPS and case == ["Acc"]:
            yield Violation("pronoun_case", token.i, token.i + 1, f"the subject {token.text!r} is in object form")
        elif token.dep_ in OBJECT_DEPS and case == ["Nom"] and token.lower_ not in CASE_NEUTRAL_OBJECTS:
            yield Violation("pronoun_case", token.i, token.i + 1, f"the object {token.text!r} is in subject form")


def duplicate_sentence(doc: Doc) -> Iterator[Violation]:
    """A sentence that repeats an earlier one word for word adds nothing; repetition is how a reward is gamed."""
    seen: set[tuple[str, ...]] = set()
    if len(sentences(doc)) < 2:
        return
    for sent in sentences(doc):
        key = tuple(t.lower_ for t in sent if not t.is_punct and not t.is_space)
        if not key:
            continue
        if key in seen:
            yield Violation("duplicate_sentence", sent.start, sent.end, f"{sent.text!r} repeats an earlier sentence")
        seen.add(key)
