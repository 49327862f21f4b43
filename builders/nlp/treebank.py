"""Treebank preparation for the bundled pipeline: NDT (native OBT/NDT annotation) → UPOS + UD FEATS, and the UD split.

Why: UD Norwegian-Bokmål train is not available here, but the Norwegian Dependency Treebank it was converted from is.
Its OBT morphology maps to UPOS + UD FEATS; its dependency structure does not (function words head their
complements), so NDT sentences train the tagger, morphologizer and lemmatizer only, and the parser learns from UD.

The part-of-speech decisions that need context (auxiliary vs main verb, particle vs preposition, numeral vs
determiner) are rules over the NDT tree. The FEATS strings are read from a table calibrated on the NDT ↔ UD
alignment of the *training* UD sentences (UD dev + the trainable part of UD test), so they follow UD's own
conventions (e.g. `Gender=Com` for OBT `m/f`), and the conversion is measured on the held-out part.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

AUX_LEMMAS = {"være", "bli", "ha", "kunne", "skulle", "ville", "måtte", "burde", "få", "tørre"}
MODAL_LEMMAS = {"kunne", "skulle", "ville", "måtte", "burde"}
NUMBER_WORDS = {
    "null", "to", "tre", "fire", "fem", "seks", "sju", "syv", "åtte", "ni", "ti", "elleve", "tolv", "tretten",
    "fjorten", "femten", "seksten", "sytten", "atten", "nitten", "tjue", "tyve", "tretti", "førti", "femti", "seksti",
    "sytti", "åtti", "nitti", "hundre", "tusen", "million", "millioner", "milliard", "milliarder", "halvannen",
}  # fmt: skip
PUNCT_TAGS = {"clb", "<komma>", "<anf>", "<parentes-beg>", "<parentes-slutt>", "<strek>", "<kolon>", "<punkt>"}
SIMPLE_UPOS = {
    "adj": "ADJ", "konj": "CCONJ", "sbu": "SCONJ", "inf-merke": "PART", "interj": "INTJ", "symb": "SYM",
    "ukjent": "X", "pron": "PRON",
}  # fmt: skip


@dataclass
class Token:
    """One CoNLL(-U) token row; `head` is 0 for the root."""

    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    misc: str = "_"


@dataclass
class Sentence:
    """A sentence with its comment lines (`# sent_id`, `# text`, `# source`)."""

    tokens: list[Token]
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(t.form for t in self.tokens)


def read_conll(path: str | Path) -> Iterator[Sentence]:
    """Read CoNLL-U (UD) or 10-column NDT CoNLL; multiword-token and empty-node lines are skipped.

    Raises:
        `ValueError`: naming the file and line of a row that does not have 10 columns.
    """
    tokens: list[Token] = []
    comments: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line:
                if tokens:
                    yield Sentence(tokens, comments)
                tokens, comments = [], {}
                continue
            if line.startswith("#"):
                key, _, value = line[1:].partition("=")
                comments[key.strip()] = value.strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}:{lineno}: expected 10 tab-separated columns, got {len(cols)}")
            if "-" in cols[0] or "." in cols[0]:
                continue
            tokens.append(
                Token(int(cols[0]), cols[1], cols[2], cols[3], cols[4], cols[5], int(cols[6]), cols[7], cols[9])
            )
    if tokens:
        yield Sentence(tokens, comments)


def write_conllu(sentences: Iterable[Sentence], path: str | Path) -> int:
    """Write sentences as CoNLL-U; returns the number written. Missing heads are written as `_`."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for sent in sentences:
            for key, value in sent.comments.items():
                handle.write(f"# {key} = {value}\n")
            for t in sent.tokens:
                head = "_" if t.head < 0 else str(t.head)
                cols = [str(t.id), t.form, t.lemma, t.upos, t.xpos, t.feats, head, t.deprel, "_", t.misc]
                handle.write("\t".join(cols) + "\n")
            handle.write("\n")
            count += 1
    return count


def ndt_upos(sent: Sentence, tok: Token) -> str:
    """UPOS of an NDT token, using its NDT dependents where the OBT tag alone is ambiguous."""
    cpos, feats, lemma = tok.upos, set(tok.feats.split("|")), tok.lemma.lower()
    children = [c for c in sent.tokens if c.head == tok.id]
    if cpos in PUNCT_TAGS:
        return "PUNCT"
    if cpos == "subst":
        return "PROPN" if "prop" in feats else "NOUN"
    if cpos == "adv":
        return "PART" if lemma == "ikke" else "ADV"
    if cpos == "prep":
        return "ADP" if any(c.deprel == "PUTFYLL" for c in children) else "ADV"
    if cpos == "det":
        if "poss" in feats:
            return "PRON"
        if "kvant" in feats and (lemma in NUMBER_WORDS or lemma.replace(",", "").replace(".", "").isdigit()):
            return "NUM"
        return "DET"
    if cpos == "verb":
        return "AUX" if lemma in AUX_LEMMAS and _is_auxiliary(tok, children) else "VERB"
    return SIMPLE_UPOS.get(cpos, "X")


def _is_auxiliary(tok: Token, children: list[Token]) -> bool:
    """Auxiliary or copula use: a verbal complement (INFV), or for være/bli a predicative (SPRED)."""
    lemma = tok.lemma.lower()
    if any(c.deprel == "INFV" and c.upos == "verb" for c in children):
        return True
    return lemma == "være" and any(c.deprel == "SPRED" for c in children)


@dataclass
class FeatsTable:
    """Maps (lemma, OBT tag, OBT feats, UPOS) to UD FEATS, backing off to (OBT tag, OBT feats, UPOS).

    Calibrated on aligned NDT/UD sentence pairs; `lookup` returns `"_"` for a combination never seen.
    """

    by_lemma: dict[tuple[str, str, str, str], str]
    by_tag: dict[tuple[str, str, str], str]

    @classmethod
    def calibrate(cls, pairs: Iterable[tuple[Sentence, Sentence]]) -> FeatsTable:
        lemma_counts: dict[tuple, Counter] = defaultdict(Counter)
        tag_counts: dict[tuple, Counter] = defaultdict(Counter)
        for ndt, ud in pairs:
            for n_tok, u_tok in zip(ndt.tokens, ud.tokens, strict=True):
                upos = ndt_upos(ndt, n_tok)
                if upos != u_tok.upos:
                    continue
                lemma_counts[(n_tok.lemma.lower(), n_tok.upos, n_tok.feats, upos)][u_tok.feats] += 1
                tag_counts[(n_tok.upos, n_tok.feats, upos)][u_tok.feats] += 1

        def majority(counter: Counter) -> str:
            return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

        return cls(
            by_lemma={k: majority(v) for k, v in lemma_counts.items()},
            by_tag={k: majority(v) for k, v in tag_counts.items()},
        )

    def lookup(self, tok: Token, upos: str) -> str:
        key = (tok.lemma.lower(), tok.upos, tok.feats, upos)
        if key in self.by_lemma:
            return self.by_lemma[key]
        return self.by_tag.get((tok.upos, tok.feats, upos), "_")


def convert_ndt_sentence(sent: Sentence, table: FeatsTable) -> Sentence:
    """NDT sentence → CoNLL-U sentence with UPOS, UD FEATS and lemmas, and *no* dependency annotation."""
    tokens = []
    for tok in sent.tokens:
        upos = ndt_upos(sent, tok)
        tokens.append(Token(tok.id, tok.form, tok.lemma, upos, tok.upos, table.lookup(tok, upos), -1, "_", "_"))
    text = " ".join(t.form for t in tokens)
    return Sentence(tokens, {"sent_id": f"ndt-{sent.comments.get('source', 'x')}", "text": text})


def align_by_forms(ndt: Iterable[Sentence], ud: Iterable[Sentence]) -> list[tuple[Sentence, Sentence]]:
    """Pair NDT and UD sentences with identical token forms (the treebanks tokenise a few sentences differently)."""
    index = {s.forms: s for s in ndt}
    return [(index[u.forms], u) for u in ud if u.forms in index]


def is_heldout(document_id: str, every: int = 3) -> bool:
    """Whether an NDT/UD test document is held out: a stable hash of its id puts 1 in `every` documents aside."""
    return int(hashlib.sha256(document_id.encode()).hexdigest(), 16) % every == 0


def split_ud_test(ndt_test: list[Sentence], ud_test: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Split UD test by document (the NDT `source` of the aligned sentence) into (trainable, held-out)."""
    if len(ndt_test) != len(ud_test):
        raise ValueError(f"NDT test ({len(ndt_test)}) and UD test ({len(ud_test)}) are not sentence-aligned")
    trainable, heldout = [], []
    for n_sent, u_sent in zip(ndt_test, ud_test, strict=True):
        doc = n_sent.comments.get("source", "").split("_")[0]
        (heldout if is_heldout(doc) else trainable).append(u_sent)
    return trainable, heldout
