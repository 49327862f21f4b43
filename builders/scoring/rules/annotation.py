"""Shared reading of UD annotation for the rules: preconditions, per-doc tables, and clause helpers.

The rules read tokens, heads, children, features and sentences through `tables(doc)`, built once per doc (see
`DocTables` for why). UD Norwegian Bokmål tags nouns `Gender=Masc|Fem|Neut`, but strong singular adjectives
`Gender=Com|Neut`, and a Bokmål writer may use the masculine article with feminine nouns ("en bok"). Agreement
therefore compares the two-way split common vs neuter that every Bokmål norm shares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token

from saga.builders.scoring.errors import MissingAnnotationError

_ANNOTATION_HINT = "score with a pipeline that has a tagger/morphologizer and a parser (e.g. nb_saga_sm)"

FINITE_CLAUSE_MARKERS = {"aux", "aux:pass", "cop"}
# First halves of correlative conjunctions ("både ... og", "enten ... eller"), which precede the first conjunct.
CORRELATIVES = {"både", "enten", "verken", "hverken", "såvel"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubj:outer", "csubj", "csubj:pass", "csubj:outer", "expl"}
# Subjects that are noun phrases (not clauses or expletives).
NOMINAL_SUBJECT_DEPS = {"nsubj", "nsubj:pass"}


def require_annotation(doc: Doc, rule_id: str, *attrs: str) -> None:
    """Raise `MissingAnnotationError` unless every token attribute in `attrs` is set on `doc`.

    Args:
        doc (`Doc`): the parsed text the rule is about to read.
        rule_id (`str`): the rule asking, named in the error.
        *attrs (`str`): spaCy attribute names such as `"POS"`, `"MORPH"`, `"DEP"`.

    Raises:
        `MissingAnnotationError`: code SAGA-R001, naming the rule and the missing attribute.
    """
    annotated = tables(doc).annotated
    # An empty doc has no tokens to annotate and nothing to check.
    if not annotated.issuperset(attrs) and len(doc):
        missing = next(attr for attr in attrs if attr not in annotated)
        raise MissingAnnotationError(
            f"[SAGA-R001] rule {rule_id!r} needs {missing} annotation, but the Doc has none", hint=_ANNOTATION_HINT
        )


@dataclass(frozen=True)
class Sentence:
    """A sentence as the rules read it: iterable and indexable like a `Span`, over shared tokens.

    Args:
        start (`int`): index of its first token in the doc.
        end (`int`): index one past its last token.
        tokens (`tuple[Token, ...]`): its tokens, shared with `tokens(doc)`.
        root (`Token`): its syntactic root.
    """

    start: int
    end: int
    tokens: tuple[Token, ...]
    root: Token

    @property
    def span(self) -> Span:
        return self.root.doc[self.start : self.end]

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def words(self) -> tuple[Token, ...]:
        """The tokens that are neither punctuation nor whitespace."""
        return tuple(t for t in self.tokens if not t.is_punct and not t.is_space)

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __getitem__(self, index: int) -> Token:
        return self.tokens[index]

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class DocTables:
    """Tokens, heads, children, features and sentences of one `Doc`, built once and shared by all rules.

    spaCy creates a new `Token` object on every `doc[i]`, `token.head` and `token.children` access and re-parses
    the morphology string on every `morph.get`; some thirty rules walking the same doc made that the scorer's
    main cost, so the rules read these tables instead (see `tokens`, `head`, `children`, `morph`, `sentences`).
    """

    tokens: tuple[Token, ...]
    heads: tuple[Token, ...]
    children: tuple[tuple[Token, ...], ...]
    features: tuple[dict[str, list[str]], ...]
    sentences: tuple[Sentence, ...]
    sentence_of: tuple[int, ...]
    annotated: frozenset[str]
    by_dep: dict[str, tuple[Token, ...]]
    by_pos: dict[str, tuple[Token, ...]]


ANNOTATION_ATTRS = ("POS", "MORPH", "DEP")
# Word classes that carry UD features in Bokmål; a doc without any of them has nothing for MORPH to annotate.
INFLECTING_POS = {"NOUN", "VERB", "AUX", "ADJ", "PRON", "DET"}
_FEATURE_CACHE: dict[int, dict[str, list[str]]] = {}


@lru_cache(maxsize=4)
def tables(doc: Doc) -> DocTables:
    """The `DocTables` of `doc` (cached for the few docs being scored right now)."""
    toks = tuple(doc)
    # One `to_array` call and plain ints instead of a Python attribute lookup per token and attribute.
    offsets = doc.to_array("HEAD").astype("int64").tolist()  # head index minus token index
    deps, poses, morphs, flags = doc.to_array(["DEP", "POS", "MORPH", "SENT_START"]).T.tolist()
    strings = doc.vocab.strings
    heads = tuple(toks[i + offset] for i, offset in enumerate(offsets))
    kids: list[list[Token]] = [[] for _ in toks]
    for i, offset in enumerate(offsets):
        if offset:
            kids[i + offset].append(toks[i])
    by_dep = _group(toks, deps, strings)
    by_pos = _group(toks, poses, strings)
    features = tuple(_parse_features(key, strings) for key in morphs)
    # Sentence boundaries from the SENT_START array rather than `doc.sents`, which creates every token again.
    starts = [i for i, flag in enumerate(flags) if flag == 1 or i == 0]
    sentences, sentence_of = [], []
    ends = [*starts[1:], len(toks)] if starts else []  # an empty doc has no sentence
    for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
        members = toks[start:end]
        root = next((t for t in members if not offsets[t.i]), members[0])
        sentences.append(Sentence(start, end, members, root))
        sentence_of.extend([number] * (end - start))
    annotated = {attr for attr in ANNOTATION_ATTRS if doc.has_annotation(attr)}
    # "Oslo!" has no features to annotate; a tagged doc whose words all lack inflection still counts as analysed.
    if "POS" in annotated and not INFLECTING_POS.intersection(by_pos):
        annotated.add("MORPH")
    return DocTables(
        tokens=toks,
        heads=heads,
        children=tuple(map(tuple, kids)),
        features=features,
        sentences=tuple(sentences),
        sentence_of=tuple(sentence_of),
        annotated=frozenset(annotated),
        by_dep=by_dep,
        by_pos=by_pos,
    )


def _group(toks: tuple[Token, ...], keys: list[int], strings: StringStore) -> dict[str, tuple[Token, ...]]:
    """Tokens by the string of their `keys` entry (a DEP or POS id), each group in document order."""
    groups: dict[int, list[Token]] = {}
    for token, key in zip(toks, keys, strict=True):
        groups.setdefault(key, []).append(token)
    return {strings[key]: tuple(group) for key, group in groups.items()}


def with_dep(doc: Doc, *deps: str) -> list[Token]:
    """The tokens of `doc` attached with one of the relations `deps`, in document order."""
    table = tables(doc).by_dep
    if len(deps) == 1:
        return list(table.get(deps[0], ()))
    return sorted((t for dep in deps for t in table.get(dep, ())), key=lambda t: t.i)


def with_pos(doc: Doc, pos: str) -> tuple[Token, ...]:
    """The tokens of `doc` tagged with the universal part of speech `pos`, in document order."""
    return tables(doc).by_pos.get(pos, ())


def _parse_features(key: int, strings: StringStore) -> dict[str, list[str]]:
    """Features of a morphology hash ("Definite=Def|Number=Sing" → {"Definite": ["Def"], ...}), memoised: a
    pipeline produces only a few hundred distinct analyses."""
    if key not in _FEATURE_CACHE:
        text = strings[key] if key else ""
        pairs = (field.split("=", 1) for field in text.split("|") if "=" in field)
        _FEATURE_CACHE[key] = {name: value.split(",") for name, value in pairs}
    return _FEATURE_CACHE[key]


def tokens(doc: Doc) -> tuple[Token, ...]:
    """All tokens of `doc`, created once."""
    return tables(doc).tokens


def head(token: Token) -> Token:
    """The syntactic head of `token` (itself for a root)."""
    return tables(token.doc).heads[token.i]


def children(token: Token) -> tuple[Token, ...]:
    """The syntactic dependents of `token`, left to right."""
    return tables(token.doc).children[token.i]


def sentences(doc: Doc) -> tuple[Sentence, ...]:
    """The sentences of `doc` as set by the parser."""
    return tables(doc).sentences


def sentence_of(token: Token) -> Sentence:
    """The sentence that holds `token`."""
    table = tables(token.doc)
    return table.sentences[table.sentence_of[token.i]]


def morph(token: Token, name: str) -> list[str]:
    """The values of one morphological feature of `token`, like `token.morph.get(name)`.

    Args:
        token (`Token`): the token.
        name (`str`): a UD feature name such as `"Number"`.
    """
    return tables(token.doc).features[token.i].get(name, [])


def gender_class(token: Token) -> str | None:
    """`"Neut"`, `"Com"` (masculine, feminine or common) or `None` when the token carries no gender."""
    values = morph(token, "Gender")
    if not values:
        return None
    return "Neut" if values == ["Neut"] else ("Com" if "Neut" not in values else None)


def is_finite(token: Token) -> bool:
    """True for a finite verb form (present, past, imperative), the anchor of a clause."""
    return token.pos_ in {"VERB", "AUX"} and "Fin" in morph(token, "VerbForm")


def clause_finite_verb(clause: Token) -> Token | None:
    """The finite verb of the clause headed by `head`: the head itself or its finite auxiliary or copula.

    Args:
        clause (`Token`): the head of a clause (the root, or an `advcl`/`ccomp`/`conj`/... dependent).
    """
    # The first finite verb of the chain: in "Årsaken var at de tæret", UD makes the clausal predicate "tæret"
    # the head and "var" its copula, and "var" is the finite verb of the main clause; in "Likevel har ikke
    # etaten satt", a tagger that reads "satt" as a past tense must not hide "har".
    finite = [c for c in children(clause) if c.dep_ in FINITE_CLAUSE_MARKERS and is_finite(c)]
    if is_finite(clause):
        finite.append(clause)
    return min(finite, key=lambda t: t.i) if finite else None


def verb_chain(clause: Token) -> list[Token]:
    """Auxiliaries (and copula) of `head` in word order, followed by `head` when it is itself the main verb.

    UD attaches every auxiliary of a chain to the main verb ("kunne ha gjort": "kunne" and "ha" both depend on
    "gjort"), so word order recovers the chain.

    Args:
        clause (`Token`): a clause head.
    """
    chain = sorted((c for c in children(clause) if c.dep_ in FINITE_CLAUSE_MARKERS), key=lambda t: t.i)
    if clause.pos_ in {"VERB", "AUX"} and not any(c.dep_ == "cop" for c in chain):
        chain.append(clause)
    return chain


def has_subject(clause: Token) -> bool:
    """True when the clause headed by `head` has a nominal or clausal subject, or an expletive "det"."""
    return any(child.dep_ in SUBJECT_DEPS for child in children(clause))
