"""Remove leftover wiki markup from article text and normalise it, one small function per kind of markup.

`wikimedia/wikipedia` text is mostly plain, but templates, references, tables, link brackets, headings and list
items survive in places; any of them in a training sentence teaches the model markup instead of Norwegian.
"""

from __future__ import annotations

import html
import re
import unicodedata

TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
TABLE = re.compile(r"\{\|.*?\|\}", re.S)
REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S | re.I)
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
FILE_LINK = re.compile(r"\[\[(?:Fil|File|Bilde|Image|Kategori|Category):[^\]]*\]\]", re.I)
WIKI_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]")
EXTERNAL_LINK = re.compile(r"\[(?:https?|ftp)://\S+\s*([^\]]*)\]")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
HEADING = re.compile(r"^\s*=+[^=]+=+\s*$")
LIST_ITEM = re.compile(r"^\s*[*#:;]")
QUOTES = str.maketrans({"“": "«", "„": "«", "”": "»", "‘": "'", "’": "'", "‚": "'", "\u00a0": " ", "\u202f": " "})
LOW_HIGH_QUOTES = re.compile(r"„([^“”\"]*)[“”]")  # German-style „…“ before the single-character mapping
SPACES = re.compile(r"[ \t\u2000-\u200b]+")
COMMENT = re.compile(r"<!--.*?-->", re.S)
BOLD_ITALIC = re.compile(r"'{2,}")
MAGIC_WORD = re.compile(r"__[A-ZÆØÅ]+__")
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
MARKUP_LEFT = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{\||\|\}|<[a-z/!]|==|'''|__[A-Z]+__|&[a-zA-Z]+;")
# Control characters (NUL and the like) never belong in a sentence; tabs and line breaks are whitespace.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_markup(text: str) -> str:
    """Remove templates (nested ones from the inside out), tables, comments, references, tags, link brackets,
    bold and italic quotes and magic words, and resolve HTML entities ("&nbsp;")."""
    previous = None
    while previous != text:
        previous, text = text, TEMPLATE.sub("", text)
    text = TABLE.sub("", text)
    text = COMMENT.sub("", text)
    text = MAGIC_WORD.sub("", BOLD_ITALIC.sub("", text))
    text = ENTITY.sub(lambda entity: html.unescape(entity.group()), text)
    text = REF.sub("", text)
    text = FILE_LINK.sub("", text)
    text = WIKI_LINK.sub(r"\1", text)
    text = EXTERNAL_LINK.sub(r"\1", text)
    text = URL.sub("", text)
    return HTML_TAG.sub("", text)


def normalise(text: str) -> str:
    """NFC, Norwegian quotation marks («»), one space between words, no space before closing punctuation."""
    text = LOW_HIGH_QUOTES.sub(r"«\1»", unicodedata.normalize("NFC", text)).translate(QUOTES)
    text = SPACES.sub(" ", text)
    return re.sub(r" ([,.;:!?»)])", r"\1", text).strip()


def paragraphs(text: str, title: str | None = None) -> tuple[list[str], dict[str, int]]:
    """Split cleaned article text into prose paragraphs; returns them with counts of dropped lines by reason.

    Drop reasons: `title` (the first line repeating the title), `heading`, `list_item`, `empty`.
    """
    kept: list[str] = []
    dropped = {"title": 0, "heading": 0, "list_item": 0, "empty": 0}
    for index, line in enumerate(strip_markup(text).split("\n")):
        if not line.strip():
            dropped["empty"] += 1
        elif index == 0 and title is not None and line.strip() == title.strip():
            dropped["title"] += 1
        elif LIST_ITEM.match(line):
            dropped["list_item"] += 1
        elif HEADING.match(line) or _looks_like_heading(line):
            dropped["heading"] += 1
        else:
            kept.append(normalise(line))
    return kept, dropped


def _looks_like_heading(line: str) -> bool:
    """A short line without sentence-final punctuation ("Referanser", "Eksterne lenker") is a section title."""
    stripped = line.strip()
    return len(stripped.split()) <= 6 and not stripped.endswith((".", "!", "?", ":", "»", '"'))


def has_markup(sentence: str) -> bool:
    """Markup that survived cleaning (unbalanced templates or links, bold quotes, magic words, entities) or a
    control character (NUL) makes a sentence unusable.

    Example:
        ```python
        >>> has_markup("Oslo er hovedstaden."), has_markup("'''Oslo''' er her.")
        (False, True)
        >>> has_markup("Oslo" + chr(0) + " er her.")
        True
        ```
    """
    return MARKUP_LEFT.search(sentence) is not None or CONTROL.search(sentence) is not None
