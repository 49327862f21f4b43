"""Sentence boundaries for the scorer: the corpus builders' rule-based splitter, not the parser's guess.

The bundled parser splits sentences with F1 0.89 on held-out UD and often breaks one sentence in two ("... den 20.
mai | 1816."), leaving a verbless "sentence" that every clause rule then penalises. The scorer therefore sets
sentence starts before the parser runs, from `saga.builders.text.splitting.split_sentences` (the splitter that made
the corpus sentences in the first place); spaCy's parser keeps boundaries that are already set. A new line always
starts a new sentence.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy
from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

from saga.builders.text.splitting import split_sentences

COMPONENT_NAME = "saga_sentence_starts"


def sentence_offsets(text: str) -> list[int]:
    """Character offsets where the sentences of `text` start, line by line.

    Args:
        text (`str`): the text to segment.

    Example:
        ```python
        >>> sentence_offsets("Han døde i 1962. Dette er kjent.\\nNy linje.")
        [0, 17, 33]
        ```
    """
    offsets: list[int] = []
    line_start = 0
    for line in text.split("\n"):
        cursor = 0
        for sentence in split_sentences(line):
            found = line.find(sentence, cursor)
            offsets.append(line_start + found)
            cursor = found + len(sentence)
        line_start += len(line) + 1
    return offsets


@Language.component(COMPONENT_NAME)
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark the first token of each rule-split sentence as a sentence start and every other token as not."""
    if not len(doc):
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError(Errors.E043)  # what setting `token.is_sent_start` on a parsed doc raises
    token_starts = doc.to_array("IDX").tolist()
    starts = [max(0, bisect_right(token_starts, offset) - 1) for offset in sentence_offsets(doc.text)]
    # One array write: the `is_sent_start` setter checks the whole doc for a parse on every token.
    flags = numpy.full(len(doc), -1, dtype="int64")
    flags[[0, *starts]] = 1
    return doc.from_array([SENT_START], flags.astype("uint64"))


def add_sentence_starts(nlp: Language) -> Language:
    """Add `saga_sentence_starts` to `nlp` where the scorer needs it: before the parser, or first without one.

    The scorer parses with this, and so does everything that must see the scorer's analysis (the acceptability
    classifier's training data).

    Args:
        nlp (`Language`): a private copy of a pipeline (`saga.builders.nlp.load.__wrapped__`); it is changed in place.
    """
    placement = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
    nlp.add_pipe(COMPONENT_NAME, **placement)
    return nlp
