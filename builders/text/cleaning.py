"""Remove leftover wiki markup from article text and normalise it, one small function per kind of markup.

`wikimedia/wikipedia` text is mostly plain, but templates, references, tables, link brackets, headings and list
items survive in places; any of them in a training sentence teaches the model markup instead of Norwegian.
"""

from __future__ import annotations

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
MARKUP_LEFT = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{\||\|\}|<[a-z/]|==")


def strip_markup(text: str) -> str:
    """Remove templates (nested ones from the inside out), tables, references, tags and link brackets."""
    previous = None
    while previous != text:
        previous, text = text, TEMPLATE.sub("", text)
    text = TABLE.sub("", text)
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
    """Markup that survived cleaning (unbalanced templates or links) makes a sentence unusable."""
    return MARKUP_LEFT.search(sentence) is not None
