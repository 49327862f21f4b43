"""Rules against a policy that raises its reward without writing better Bokmål.

A grammar score alone rewards safe, empty text: copying the prompt ("Skriv en kort tekst om Oslo." scores like a
perfect sentence), restating the task, strings of invented names, noise characters, shouting, links and code. These
rules name each shape, so a reward model can push against it and a dataset card can count it.

The prompt-aware rules read the prompt a completion answers from `doc._.saga_prompt` (set by
`GrammarScorer.score_batch(texts, prompts=...)`); without a prompt they find nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from spacy.tokens import Doc, Token

from saga.builders.scoring.lexicon import load_lexicon
from saga.builders.scoring.rules.annotation import Sentence, sentences, tokens
from saga.builders.scoring.spelling import load_speller
from saga.builders.scoring.violations import Violation

if not Doc.has_extension("saga_prompt"):
    Doc.set_extension("saga_prompt", default=None)

WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A sentence whose words mostly sit in word n-grams of this length shared with the prompt copies it.
COPY_NGRAM = 3
COPY_SHARE = 0.5
# Words that name the task or the text itself ("Her er en kort tekst om Oslo", "Denne teksten handler om ...").
TASK_WORDS = re.compile(
    r"^(tekst|teksten|tekster|oppgave|oppgaven|artikkel|artikkelen|avsnitt|avsnittet|innlegg|innlegget|svar|"
    r"svaret|skriv|skrive|skriver|skrevet|fortell|fortelle|forteller|beskriv|beskrive|beskriver)$"
)
# A sentence with more than this share of words that are no Bokmål word and no common word of any kind (neither in
# Ordbank nor in the frequency list: invented names, gibberish) is made up.
INVENTED_SHARE = 0.4
MIN_INVENTED_WORDS = 2
# A sentence with at least this many all-capital words, making up at least this share of its words, shouts.
SHOUTING_WORDS = 3
SHOUTING_SHARE = 0.5
# Characters that are not text: the replacement character, other specials, controls, unassigned and private use.
NOISE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Cs"}
NOISE_CHARACTERS = frozenset({"\ufffd", "\ufffc"})
# Code: braces, operators, underscores inside words, call parentheses; not the ";" or "`" of prose.
# Cheap screens on the whole text before any token is looked at.
CAPITAL_RUN = re.compile(r"\b[^\W\d_a-zæøå]{2,}\b")
LINK_OR_CODE_HINT = re.compile(r"://|www\.|@|[{}<>=\\|^~]|\w_\w|\w\(|\[\]|->|::", re.IGNORECASE)
THREE_NUMBERS = re.compile(r"\d\D+\d\D+\d")
CODE_CHARACTERS = re.compile(r"[{}<>=\\|^~]|\w_\w|\w\(|\(\)|\[\]|->|::")


def prompt_text(doc: Doc) -> str | None:
    """The prompt the doc answers, if the scorer was given one."""
    prompt = doc._.saga_prompt
    return prompt if isinstance(prompt, str) and prompt.strip() else None


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _copied_share(words: list[str], prompt_ngrams: set[tuple[str, ...]], n: int) -> float:
    """The share of `words` inside an n-gram that also occurs in the prompt."""
    covered = [False] * len(words)
    for i in range(len(words) - n + 1):
        if tuple(words[i : i + n]) in prompt_ngrams:
            covered[i : i + n] = [True] * n
    return sum(covered) / len(words) if words else 0.0


def prompt_copy(doc: Doc) -> Iterator[Violation]:
    """A sentence that mostly repeats the prompt ("Skriv en kort tekst om Oslo." answered with itself, or "Her er en
    kort tekst om Oslo"): at least half its words sit in a word 3-gram the prompt also has (2-grams for sentences
    of fewer than six words). Flagged per sentence, so copying in every sentence costs every sentence."""
    prompt = prompt_text(doc)
    if prompt is None:
        return
    prompt_words = _words(prompt)
    for sent in sentences(doc):
        words = _words(sent.text)
        n = COPY_NGRAM if len(words) >= 6 else 2
        if len(words) >= n and _copied_share(words, _ngrams(prompt_words, n), n) >= COPY_SHARE:
            yield Violation("prompt_copy", sent.start, sent.end, f"{sent.text!r} repeats the prompt")


def task_restatement(doc: Doc) -> Iterator[Violation]:
    """A sentence about the answer instead of its topic: it names the text or the task ("Her er en kort tekst om
    Oslo", "I denne teksten skal jeg skrive om ...") when the prompt asks for a text. Only with a prompt that holds
    such a word itself, so an answer about texts and writing to another prompt is not flagged."""
    prompt = prompt_text(doc)
    if prompt is None or not any(TASK_WORDS.match(w) for w in _words(prompt)):
        return
    for sent in sentences(doc):
        task = [w for w in _words(sent.text) if TASK_WORDS.match(w)]
        if task:
            yield Violation(
                "task_restatement", sent.start, sent.end, f"{sent.text!r} talks about the task ({task[0]!r})"
            )


@lru_cache(maxsize=200_000)
def _is_known(word: str) -> bool:
    """True for a word Ordbank knows (a compound or genitive too) or the frequency list lists at all; memoised,
    since most words recur."""
    lower = word.lower()
    return lower in load_lexicon().open_class_forms or load_lexicon().is_known(lower) or load_speller().zipf(lower) > 0


def invented_words(doc: Doc) -> Iterator[Violation]:
    """A sentence made up of words that exist nowhere: more than 40% of its words (at least two) are in neither
    Ordbank nor the frequency list ("Zorblax Quintarion møtte Vexilia Brumbor"). Real names are in the frequency
    list ("Kari", "Drammen"); a string of invented names is how a policy fills a text without writing Bokmål."""
    for sent in sentences(doc):
        words = [t for t in sent if t.is_alpha and len(t.text) > 1]
        invented = [t for t in words if not _is_known(t.text)]
        if len(invented) >= MIN_INVENTED_WORDS and len(invented) > INVENTED_SHARE * len(words):
            yield Violation(
                "invented_words",
                sent.start,
                sent.end,
                f"{len(invented)} of {len(words)} words are no known word: {', '.join(t.text for t in invented[:3])}",
            )


def _noise(character: str) -> bool:
    return character in NOISE_CHARACTERS or (
        unicodedata.category(character) in NOISE_CATEGORIES and character not in "\n\t\r\u00ad"
    )


def noise_characters(doc: Doc) -> Iterator[Violation]:
    """Characters that are not text: the replacement character U+FFFD (what a broken decoder leaves), other
    specials, control, private-use and unassigned code points. One violation per token that holds any."""
    text = doc.text
    if text.replace("\n", " ").replace("\t", " ").isprintable() and not NOISE_CHARACTERS.intersection(text):
        return  # every noise character is unprintable or listed: the common case ends here
    for token in tokens(doc):
        if any(_noise(c) for c in token.text):
            yield Violation(
                "noise_characters", token.i, token.i + 1, f"{token.text!r} holds characters that are not text"
            )


def _shouted(token: Token) -> bool:
    return token.is_alpha and len(token.text) > 1 and token.text.isupper()


def shouting(doc: Doc) -> Iterator[Violation]:
    """A sentence written in capitals: at least three all-capital words making up half its words or more
    (acronyms such as "NATO" or "FN" alone do not count)."""
    if len(CAPITAL_RUN.findall(doc.text)) < SHOUTING_WORDS:
        return
    for sent in sentences(doc):
        words = [t for t in sent if t.is_alpha]
        shouted = [t for t in words if _shouted(t)]
        if len(shouted) >= SHOUTING_WORDS and len(shouted) >= SHOUTING_SHARE * len(words):
            yield Violation("shouting", sent.start, sent.end, f"{len(shouted)} of {len(words)} words in capitals")


def _code_like(token: Token) -> bool:
    """A link ("https://...", "www.nrk.no", "nrk.no/sport"; not the abbreviation "f.eks"), an e-mail address or
    code."""
    text = token.text
    link = "://" in text or text.lower().startswith("www.") or (token.like_url and "/" in text)
    return link or token.like_email or bool(CODE_CHARACTERS.search(text))


def links_and_code(doc: Doc) -> Iterator[Violation]:
    """Links, e-mail addresses and code (braces, operators, underscores) in place of prose: one violation per
    sentence that holds any."""
    if not LINK_OR_CODE_HINT.search(doc.text):
        return
    for sent in sentences(doc):
        found = [t for t in sent if _code_like(t)]
        if found:
            yield Violation("links_and_code", sent.start, sent.end, f"{found[0].text!r} is a link or code, not prose")


def numbers_only(doc: Doc) -> Iterator[Violation]:
    """A sentence of numbers with hardly a word: more digits-and-symbol tokens than words ("1 2 3 4 5.",
    "2020 2021 2022")."""
    if not THREE_NUMBERS.search(doc.text):
        return
    for sent in _worded(doc):
        numbers = [t for t in sent if t.like_num or (t.text[:1].isdigit())]
        words = [t for t in sent if t.is_alpha]
        if len(numbers) >= 3 and len(numbers) > len(words):
            yield Violation("numbers_only", sent.start, sent.end, f"{len(numbers)} numbers and {len(words)} words")


def _worded(doc: Doc) -> list[Sentence]:
    return [s for s in sentences(doc) if any(not t.is_punct and not t.is_space for t in s)]
