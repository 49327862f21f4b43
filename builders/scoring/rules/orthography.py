"""Surface rules: a sentence starts with a capital letter and ends with closing punctuation; words inside it are
capitalised as edited Bokmål capitalises them; quotes and brackets are balanced."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Doc, Token

from saga.builders.scoring.capitals import OPENERS, SENTENCE_ENDS, read_capitals
from saga.builders.scoring.lexicon import load_lexicon
from saga.builders.scoring.rules.annotation import sentences, tokens
from saga.builders.scoring.spelling import load_speller
from saga.builders.scoring.violations import Violation

CLOSING_PUNCTUATION = {".", "!", "?", "…", "..."}
# Trailing material allowed after the closing mark: closing quotes and brackets ("«Kom!»", "(Se under.)").
CONTINUING_PUNCTUATION = {":", ";"}
TRAILING_CLOSERS = {"»", "”", '"', "'", ")", "]", "’"}
BRACKET_PAIRS = {"(": ")", "[": "]", "«": "»", "{": "}"}
STRAIGHT_QUOTES = {'"'}
# A capitalised common word is a name when edited text capitalises it alone at least this often, and at least this
# share of the times it writes it in lower case ("Høyre" the party, "Staten" is not: 1 of 131).
NAME_MIN_CAPITALISED = 2
NAME_MIN_SHARE = 0.05
# A word edited text capitalised alone this often and never wrote in lower case is a name ("Norge", "Oslo").
ALWAYS_CAPITALISED = 5
# Articles and determiners open many titles and names ("fra Det demokratiske parti", "filmen En stjerne er født").
ARTICLES = {"den", "det", "de", "en", "ei", "et"}
DEFINITE_NAME_LOWER = 20
# Shorter words Ordbank lists with a capital are mostly abbreviations written either way ("km", "sms").
MIN_NAME_LETTERS = 4
# A capital letter after a word that does not end a sentence: the screen before `capital_inside_sentence` looks.
INNER_CAPITAL = re.compile(r"[^\s.!?:…«\"'“‘(\[•*–—-]\s+[^\W\d_a-zæøå]")
# Least Zipf frequency of a common word a capital inside a sentence is checked on: rarer ones may be names.
COMMON_WORD_ZIPF = 3.0


def sentence_capitalisation(doc: Doc) -> Iterator[Violation]:
    """A sentence starts with a capital letter (or a digit); quotes and dashes before it are skipped."""
    for sent in sentences(doc):
        first = next((t for t in sent if t.text[:1].isalnum()), None)
        if first is not None and first.text[0].isalpha() and first.text[0].islower():
            yield Violation(
                "sentence_capitalisation", first.i, first.i + 1, f"the sentence starts in lower case: {first.text!r}"
            )


def _after_boundary(previous: str) -> bool:
    """True when the token before a word may end or open a sentence, quotation or list item ("1905.", ":", "«")."""
    return previous[-1:] in SENTENCE_ENDS or previous in OPENERS or previous[:1] in OPENERS


def capital_inside_sentence(doc: Doc) -> Iterator[Violation]:
    """A common word inside a sentence is written in lower case: days, months, languages and nationalities too
    ("på Mandag", "Norsk mat", "For Første gang" are wrong).

    Only common words (Ordbank forms with a Zipf frequency of at least 3) standing alone are checked: a capital
    next to another capitalised word is a multi-word name ("Norsk Hydro"), a word edited text capitalises
    (`saga.builders.scoring.capitals`) may be a name ("Høyre"), and so may a definite noun ("Bryggen").
    """
    if not INNER_CAPITAL.search(doc.text):
        return
    checked = _checked_common_words()
    toks = tokens(doc)
    for token in toks:
        if token.is_sent_start or token.lower_ not in checked or not token.text[:1].isupper():
            continue
        if not token.text[1:].islower() or _after_boundary(toks[token.i - 1].text) or _next_to_capital(token, toks):
            continue
        message = f"{token.text!r} is written in lower case inside a sentence"
        yield Violation("capital_inside_sentence", token.i, token.i + 1, message)


def _next_to_capital(token: Token, toks: tuple[Token, ...]) -> bool:
    """True when a neighbour inside the same sentence is a capitalised word: the two are one multi-word name."""
    before = toks[token.i - 1]
    after = toks[token.i + 1] if token.i + 1 < len(toks) else None
    named_before = before.is_alpha and before.text[:1].isupper() and not before.is_sent_start
    named_after = after is not None and after.is_alpha and after.text[:1].isupper() and not after.is_sent_start
    return (named_before and not _after_boundary(toks[before.i - 1].text)) or named_after


@lru_cache(maxsize=1)
def _checked_common_words() -> frozenset[str]:
    """The lower-cased words `capital_inside_sentence` flags when capitalised (built once): common Ordbank forms
    that are no article, no name Ordbank lists with a capital, not capitalised as a name by edited text, and no
    definite noun that edited text seldom writes in lower case."""
    lexicon, speller, table = load_lexicon(), load_speller(), read_capitals()

    def name_like(word: str) -> bool:
        capitalised = table.capitalised(word)
        if capitalised >= NAME_MIN_CAPITALISED and capitalised >= NAME_MIN_SHARE * table.lower_case(word):
            return True
        # Many names are definite nouns ("Bryggen", "Slottet"); one is checked only where edited text writes it in
        # lower case at least DEFINITE_NAME_LOWER times ("staten").
        return lexicon.is_definite_noun(word) and table.lower_case(word) < DEFINITE_NAME_LOWER

    return frozenset(
        word
        for word in speller.common_forms
        if word not in ARTICLES
        and word not in lexicon.names
        and speller.zipf(word) >= COMMON_WORD_ZIPF
        and not name_like(word)
    )


def lowercase_name(doc: Doc) -> Iterator[Violation]:
    """A name is written with a capital: "norge", "oslo", "jesus" are wrong. A name is a common word Ordbank lists
    only with a capital, or one edited text (`saga.builders.scoring.capitals`) always capitalised, at least
    `ALWAYS_CAPITALISED` times."""
    names = _names()
    for token in tokens(doc):
        if token.lower_ in names and token.text.islower():
            word = token.text
            yield Violation("lowercase_name", token.i, token.i + 1, f"{word!r} is a name and takes a capital letter")


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """The lower-cased words `lowercase_name` flags in lower case (built once)."""
    lexicon, speller, table = load_lexicon(), load_speller(), read_capitals()
    listed = {
        word for word in lexicon.names if len(word) >= MIN_NAME_LETTERS and speller.zipf(word) >= COMMON_WORD_ZIPF
    }
    counted = {word for word, (capital, _) in table.counts.items() if capital >= ALWAYS_CAPITALISED}
    return frozenset(word for word in listed | counted if table.lower_case(word) == 0)


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
