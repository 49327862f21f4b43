"""Fixtures for the grammar scorer tests.

`ud` builds a spaCy `Doc` with hand-written UD annotation (no pipeline involved), so each rule is tested on
exactly the analysis it is meant to read. `scorer` is the real `GrammarScorer` over the bundled `nb_saga_sm`,
loaded once per session.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from saga.builders.scoring import GrammarScorer

NO_SPACE_BEFORE = {".", ",", "!", "?", ":", ";", "»", ")"}
NO_SPACE_AFTER = {"«", "("}


def build_ud_doc(conllu: str) -> Doc:
    """A `Doc` from rows `FORM LEMMA UPOS FEATS HEAD DEPREL` (1-based heads, 0 = root, `_` = no features);
    a blank line starts a new sentence whose heads count from its own first token."""
    words, lemmas, pos, morphs, heads, deps, starts = [], [], [], [], [], [], []
    for block in conllu.strip().split("\n\n"):
        offset = len(words)
        for index, line in enumerate(row for row in block.strip().splitlines() if row.strip()):
            form, lemma, upos, feats, head, dep = line.split()
            words.append(form)
            lemmas.append(lemma)
            pos.append(upos)
            morphs.append("" if feats == "_" else feats)
            heads.append(offset + int(head) - 1 if int(head) else offset + index)
            deps.append("ROOT" if dep == "root" else dep)
            starts.append(index == 0)
    spaces = [
        nxt not in NO_SPACE_BEFORE and word not in NO_SPACE_AFTER
        for word, nxt in zip(words, [*words[1:], "."], strict=True)
    ]
    spaces[-1] = False
    return Doc(
        BLANK_NB.vocab,
        words=words,
        spaces=spaces,
        lemmas=lemmas,
        pos=pos,
        morphs=morphs,
        heads=heads,
        deps=deps,
        sent_starts=starts,
    )


BLANK_NB = spacy.blank("nb")


@pytest.fixture
def ud():
    """`build_ud_doc`, the hand-annotated `Doc` builder."""
    return build_ud_doc


@pytest.fixture(scope="session")
def scorer() -> GrammarScorer:
    """The real scorer over the bundled pipeline (loaded once: about two seconds)."""
    return GrammarScorer()


@pytest.fixture(scope="session")
def nlp():
    """The bundled parsing pipeline without the scoring components (shared, so never add pipes to it)."""
    from saga.builders import nlp as nlp_loader

    return nlp_loader.load("nb_saga_sm")
