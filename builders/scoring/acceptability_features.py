"""The acceptability classifier's input: per-token strings for training, per-token ids for scoring.

Why a module of its own: the parsed training examples are cached under a hash of the code that builds them
(`saga.builders.scoring.training.acceptability_training.EXAMPLE_CODE`), and that code is this module, not the network.
A change to the network then reuses the examples; a change here builds new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from spacy.attrs import DEP, HEAD, MORPH, ORTH, POS
from spacy.tokens import Doc, Token

FIELDS = ("word", "suffix", "tag", "dep", "head", "shape")
PAD, UNK = 0, 1
SPECIALS = ("<pad>", "<unk>")
MAX_TOKENS = 128


def _head_bucket(offset: int) -> str:
    if offset == 0:
        return "root"
    size = abs(offset)
    bucket = "1" if size == 1 else "2" if size == 2 else "3-4" if size <= 4 else "5-8" if size <= 8 else "9+"
    return ("+" if offset > 0 else "-") + bucket


def _shape(text: str, first: bool) -> str:
    case = "lower" if text.islower() else "title" if text.istitle() else "upper" if text.isupper() else "other"
    return f"{'first' if first else 'inner'}:{case}"


def token_features(tokens: Iterable[Token]) -> dict[str, list[str]]:
    """The classifier's input for one sentence (or a whole one-sentence `Doc`): a list of strings per field.

    Args:
        tokens (`Iterable[Token]`): the parsed tokens of one sentence (a `Doc`, a `Span` or a tuple; POS, MORPH,
            DEP); whitespace tokens are left out, and a sentence longer than `MAX_TOKENS` is cut there.
    """
    words = [t for t in tokens if not t.is_space][:MAX_TOKENS]
    start = words[0].i if words else 0
    return {
        "word": [t.lower_ for t in words],
        "suffix": [t.lower_[-3:] for t in words],
        "tag": [f"{t.pos_}|{t.morph}" for t in words],
        "dep": [t.dep_ for t in words],
        "head": [_head_bucket(t.head.i - t.i) for t in words],
        "shape": [_shape(t.text, t.i == start) for t in words],
    }


class TokenIds:
    """Tokens → vocabulary ids per field, read from `Doc.to_array` and memoised per spaCy hash.

    Why: `token_features` builds six strings per token, which cost the scorer more than the network's forward pass.
    This is its inference twin: each distinct word form, analysis, relation and head offset is turned into a string
    and looked up once, so a batch costs one `to_array` call and integer dict lookups, and gives the same ids.

    Args:
        index (`dict[str, dict[str, int]]`): string → id per field (the classifier's vocabularies).
    """

    def __init__(self, index: dict[str, dict[str, int]]):
        self.index = index
        self._forms: dict[int, tuple[bool, int, int, int, int]] = {}
        self._tags: dict[tuple[int, int], int] = {}
        self._deps: dict[int, int] = {}
        self._heads: dict[int, int] = {}

    def _form(self, orth: int, doc: Doc) -> tuple[bool, int, int, int, int]:
        """(is whitespace, word id, suffix id, shape id first in sentence, shape id inside) of a word form."""
        if orth not in self._forms:
            text = doc.vocab.strings[orth]
            lower = text.lower()
            shape = self.index["shape"]
            self._forms[orth] = (
                text.isspace(),
                self.index["word"].get(lower, UNK),
                self.index["suffix"].get(lower[-3:], UNK),
                shape.get(_shape(text, True), UNK),
                shape.get(_shape(text, False), UNK),
            )
        return self._forms[orth]

    def _tag(self, pos: int, morph: int, doc: Doc) -> int:
        key = (pos, morph)
        if key not in self._tags:
            analysis = doc.vocab.strings[morph] if morph else ""
            text = f"{doc.vocab.strings[pos] if pos else ''}|{'' if analysis == '_' else analysis}"
            self._tags[key] = self.index["tag"].get(text, UNK)
        return self._tags[key]

    def _dep(self, dep: int, doc: Doc) -> int:
        if dep not in self._deps:
            self._deps[dep] = self.index["dep"].get(doc.vocab.strings[dep] if dep else "", UNK)
        return self._deps[dep]

    def _head(self, offset: int) -> int:
        if offset not in self._heads:
            self._heads[offset] = self.index["head"].get(_head_bucket(offset), UNK)
        return self._heads[offset]

    def rows(self, doc: Doc, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
        """The ids of each sentence `doc[start:end]`, shape `(tokens, len(FIELDS))`, as `token_features` reads it.

        Args:
            doc (`Doc`): a parsed doc.
            bounds (`Sequence[tuple[int, int]]`): (start, end) token indices of its sentences.
        """
        array = doc.to_array([ORTH, POS, MORPH, DEP, HEAD])
        table = array[:, :4].tolist()
        offsets = array[:, 4].astype("int64").tolist()  # head index minus token index, stored unsigned
        result = []
        for start, end in bounds:
            ids: list[tuple[int, ...]] = []
            for (orth, pos, morph, dep), offset in zip(table[start:end], offsets[start:end], strict=True):
                space, word, suffix, first, inner = self._form(orth, doc)
                if space:
                    continue
                shape = inner if ids else first
                ids.append((word, suffix, self._tag(pos, morph, doc), self._dep(dep, doc), self._head(offset), shape))
                if len(ids) == MAX_TOKENS:
                    break
            result.append(np.array(ids, dtype=np.int64).reshape(-1, len(FIELDS)))
        return result
