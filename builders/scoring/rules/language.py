"""Rule: the text is Norwegian Bokmål, not Nynorsk or a neighbouring language.

Language identification is `saga.builders.text.language` (lingua confirmed by marker words), the same decision the
corpus builders filter with, so the scorer and the corpus never disagree about what counts as Bokmål.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc

from saga.builders.scoring.rules.annotation import sentences, tokens
from saga.builders.scoring.violations import Violation
from saga.builders.text import language

MIN_MARKERS = {"sv": 2, "en": 2}
LANGUAGE_NAMES = {"nn": "Nynorsk", "sv": "Swedish", "da": "Danish", "en": "English"}


def _foreign_letters(text: str) -> bool:
    return any(pattern.search(text) for pattern in language.FOREIGN_LETTERS.values())


def non_bokmal_language(doc: Doc) -> Iterator[Violation]:
    """The text is written in Bokmål; Nynorsk, Swedish, Danish or English text is flagged once per sentence, so
    the penalty does not shrink as the text grows.

    `language.detect` only calls a text foreign when it holds a marker word (or letter) of that language, so texts
    without any skip the (slower) statistical detector.
    """
    words = {t.lower_ for t in tokens(doc) if t.is_alpha}
    text = "".join(t.text_with_ws for t in tokens(doc))
    # Cheap screen first: `detect` needs a marker word (or letter) of the language it reports. One Swedish or English
    # marker alone is mostly a name or a title in Bokmål text ("the" in a film title, "as" of a company); text in
    # those languages has two within a sentence or two. Nynorsk and Danish markers are words of those languages.
    markers = (len(words & found) >= MIN_MARKERS.get(code, 1) for code, found in language.MARKERS.items())
    if not any(markers) and not _foreign_letters(text):
        return
    [(code, confidence)] = language.detect([text])
    if code in {"nb", "und"}:
        return
    for sent in sentences(doc):
        yield Violation(
            "non_bokmal_language",
            sent.start,
            sent.end,
            f"the text reads as {LANGUAGE_NAMES.get(code, code)} (confidence {confidence:.2f}), not Bokmål",
        )
