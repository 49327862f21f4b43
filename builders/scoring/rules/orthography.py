"""Surface rules: a sentence starts with a capital letter and ends with closing punctuation; quotes and brackets
are balanced."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from builders.scoring.rules.annotation import sentences, tokens
from builders.scoring.violations import Violation

CLOSING_PUNCTUATION = {".", "!", "?", "…", "..."}
# Trailing material allowed after the closing mark: closing quotes and brackets ("«Kom!»", "(Se under.)").
CONTINUING_PUNCTUATION = {":", ";"}
TRAILING_CLOSERS = {"»", "”", '"', "'", ")", "]", "’"}
BRACKET_PAIRS = {"(": ")", "[": "]", "«": "»", "{": "}"}
STRAIGHT_QUOTES = {'"'}


def sentence_capitalisation(doc: Doc) -> Iterator[Violation]:
    """A sentence starts with a capital letter (or a digit); quotes and dashes before it are skipped."""
    for sent in sentences(doc):
        first = next((t for t in sent if t.text[:1].isalnum()), None)
        if first is not None and first.text[0].isalpha() and first.text[0].islower():
            yield Violation(
                "sentence_capitalisation", first.i, first.i + 1, f"the sentence starts in lower case: {first.text!r}"
            )


def _ends_closed(words: list, closers: set[str]) -> bool:
    """True when the last word, ignoring closing quotes and brackets, is one of `closers`."""
    words = list(words)
    while words and words[-1].text in TRAILING_CLOSERS:
        words.pop()
    return bool(words) and (words[-1].text in closers or words[-1].text[-1:] in closers - {":", ";"})


def closing_punctuation(doc: Doc) -> Iterator[Violation]:
    """The text ends with ".", "!", "?" or "…" (optionally inside a closing quote or bracket), and a new sentence
    inside it follows closing punctuation ("Han kom hjem Han spiste" runs two sentences together).

    A boundary the parser puts where the next word is lower-case is the parser's guess, not the writer's, and is
    not checked; ":" and ";" may end a sentence that another follows.
    """
    texts = [s for s in sentences(doc) if any(t.text[:1].isalnum() for t in s)]
    for sent, following in zip(texts, [*texts[1:], None], strict=False):
        words = [t for t in sent if not t.is_space]
        if following is None:
            if not _ends_closed(words, CLOSING_PUNCTUATION):
                yield Violation(
                    "closing_punctuation", sent.end - 1, sent.end, f"the text ends without a stop: {sent.text!r}"
                )
            continue
        next_word = next(t for t in following if t.text[:1].isalnum())
        # A capitalised name after a parser's sentence break ("... tidspunktet Fortodol til ...") is no evidence.
        new_sentence = next_word.text[0].isupper() and next_word.pos_ != "PROPN"
        if new_sentence and not _ends_closed(words, CLOSING_PUNCTUATION | CONTINUING_PUNCTUATION):
            yield Violation(
                "closing_punctuation", sent.end - 1, sent.end, f"{sent.text!r} runs into the next sentence"
            )


def unbalanced_delimiters(doc: Doc) -> Iterator[Violation]:
    """Brackets and quotes come in pairs: every "(" «" "[" closes, and straight double quotes are even."""
    stack: list[int] = []
    quotes: list[int] = []
    closers = {close: open_ for open_, close in BRACKET_PAIRS.items()}
    for token in tokens(doc):
        text = token.text
        if text in STRAIGHT_QUOTES:
            quotes.append(token.i)
        elif text in BRACKET_PAIRS:
            stack.append(token.i)
        elif text in closers:
            if stack and doc[stack[-1]].text == closers[text]:
                stack.pop()
            else:
                yield Violation(
                    "unbalanced_delimiters", token.i, token.i + 1, f"{text!r} closes nothing that was opened"
                )
    for index in stack:
        yield Violation("unbalanced_delimiters", index, index + 1, f"{doc[index].text!r} is never closed")
    if len(quotes) % 2:
        yield Violation("unbalanced_delimiters", quotes[-1], quotes[-1] + 1, "an odd number of '\"' quotes")
