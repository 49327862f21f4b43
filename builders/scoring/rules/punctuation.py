"""Comma rules a Norwegian teacher checks (Språkrådet's comma rules for Bokmål).

* A subordinate clause that opens the sentence ends with a comma before the main clause's finite verb: "Når det
  regner, blir vi våte" ("Når det regner blir vi våte" lacks it).
* "men" between two words, phrases or clauses takes a comma before it: "Den er dyr, men god".
* Two main clauses joined by "og", "men", "eller", "for" or "så", each with its own subject and finite verb, take a
  comma before the conjunction: "Jeg liker fisk, og hun liker kjøtt".
* A subordinate clause inside the main clause's first field ends with a comma before the finite verb: "Det som er
  viktigst, er helsen".
* No comma before an "at" or "om" clause that is the object of the verb before it: "Jeg tror at ..." (not "Jeg
  tror, at ...").

Each rule reads clause boundaries from the parse and skips where the parse gives no clear boundary, so a missing
comma is only flagged where the clause before it is finite and ends right before the next clause's verb.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from saga.builders.scoring.rules.annotation import (
    SUBJECT_DEPS,
    Sentence,
    children,
    clause_finite_verb,
    head,
    is_finite,
    require_annotation,
    sentences,
    tokens,
    with_dep,
)
from saga.builders.scoring.violations import Violation

# Punctuation that marks a clause boundary as well as a comma does.
BOUNDARY_MARKS = {",", ";", ":", "–", "—", "-", "(", ")", "«", "»", '"', "…"}
# Clause relations of a subordinate clause in the main clause's first field.
FRONTED_CLAUSE_DEPS = {"advcl", "csubj", "csubj:pass", "ccomp"}
# Clause relations whose subordinate clause can sit inside the first field, after the word it modifies.
INNER_CLAUSE_DEPS = {"acl:relcl", "acl", "advcl", "ccomp", "csubj", "csubj:pass"}
MAIN_CLAUSE_CONJUNCTIONS = {"og", "men", "eller", "for", "så"}
# Subordinators that open a fronted clause, and the word some of them need after them ("selv om", "etter at").
SUBORDINATORS = {
    "når", "hvis", "fordi", "da", "mens", "dersom", "siden", "ettersom", "om", "før", "etter", "selv", "straks",
    "inntil", "idet",
}  # fmt: skip
SUBORDINATOR_SECONDS = {"selv": {"om"}, "etter": {"at"}, "straks": {"etter"}}
# Subject pronouns right after a finite verb or a conjunction mark a main clause's subject.
SUBJECT_PRONOUNS = {"jeg", "du", "han", "hun", "vi", "dere", "de", "det", "den", "man", "dette", "disse"}
OBJECT_CLAUSE_SUBORDINATORS = {"at", "om"}
OBJECT_CLAUSE_DEPS = {"ccomp", "obj"}


def _edges(token: Token) -> tuple[int, int]:
    """The first and last token index of `token`'s subtree."""
    return token.left_edge.i, token.right_edge.i


def _first_word(start: int, end: int, doc: Doc) -> int:
    """The index of the first token from `start` to `end` that is not punctuation (opening quotes, dashes)."""
    toks = tokens(doc)
    return next((i for i in range(start, end) if not toks[i].is_punct), start)


def _finite_clause(clause: Token) -> bool:
    return clause_finite_verb(clause) is not None


def comma_after_fronted_clause(doc: Doc) -> Iterator[Violation]:
    """A finite subordinate clause that opens the sentence is followed by a comma before the main clause's finite
    verb: "Når det regner, blir vi våte".

    Found in the parse (an opening clause that ends right before the main verb) or, where the missing comma misled
    the parser, on the surface: a sentence that opens with a subordinator ("Når", "Hvis", "Fordi", "Selv om",
    "Etter at", ...), whose clause has a subject before its own finite verb, later has a finite verb followed by a
    subject pronoun (the main clause's inverted order, "... blir vi") with no comma before it.
    """
    require_annotation(doc, "comma_after_fronted_clause", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        found = _fronted_in_parse(sent, doc) or _fronted_on_surface(sent)
        if found is not None:
            end, verb = found
            message = f"a comma belongs after the opening clause, before {verb.text!r}"
            yield Violation("comma_after_fronted_clause", end, verb.i + 1, message)


def _fronted_in_parse(sent: Sentence, doc: Doc) -> tuple[int, Token] | None:
    """(last token of the opening clause, main verb) when the parse shows an opening clause without a comma."""
    verb = clause_finite_verb(sent.root)
    if verb is None:
        return None
    opening = _first_word(sent.start, sent.end, doc)
    for clause in children(sent.root):
        if clause.dep_ not in FRONTED_CLAUSE_DEPS or clause.i > verb.i or not _finite_clause(clause):
            continue
        left, right = _edges(clause)
        if left == opening and right + 1 == verb.i and tokens(doc)[right].text not in BOUNDARY_MARKS:
            return right, verb
    return None


def _fronted_on_surface(sent: Sentence) -> tuple[int, Token] | None:
    """(token before the main verb, main verb) for the surface pattern of `comma_after_fronted_clause`."""
    toks = [t for t in sent if not t.is_space]
    words = [t for t in toks if not t.is_punct]
    if not words or words[0].lower_ not in SUBORDINATORS:
        return None
    start = toks.index(words[0]) + 1
    second = SUBORDINATOR_SECONDS.get(words[0].lower_)
    if second is not None:  # "selv om", "etter at": without the second word these open a phrase
        if start >= len(toks) or toks[start].lower_ not in second:
            return None
        start += 1
    if start >= len(toks) or is_finite(toks[start]):  # "Da er det ...", "Når kommer du?": no subordinate clause
        return None
    clause_verb = False
    for k in range(start, len(toks) - 1):
        token = toks[k]
        if token.text in BOUNDARY_MARKS:
            return None
        if is_finite(token):
            if clause_verb and toks[k + 1].lower_ in SUBJECT_PRONOUNS:
                return toks[k - 1].i, token
            clause_verb = True
    return None


def comma_before_men(doc: Doc) -> Iterator[Violation]:
    """ "men" joining two words, phrases or clauses takes a comma before it: "dyr, men god"."""
    require_annotation(doc, "comma_before_men", "DEP")
    toks = tokens(doc)
    for token in toks:
        if token.lower_ != "men" or token.dep_ != "cc" or token.is_sent_start or token.i == 0:
            continue
        before = toks[token.i - 1]
        if before.is_punct or before.text in BOUNDARY_MARKS:
            continue
        message = f"a comma belongs before 'men' after {before.text!r}"
        yield Violation("comma_before_men", before.i, token.i + 1, message)


def _own_subject(clause: Token) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in children(clause))


def _is_main_clause(clause: Token) -> bool:
    """True for the root clause or a clause coordinated with it (not inside a subordinate clause)."""
    while clause.dep_ == "conj":
        clause = head(clause)
    return clause.dep_ in {"ROOT", "root"}


def comma_between_main_clauses(doc: Doc) -> Iterator[Violation]:
    """Two main clauses, each with its own subject and finite verb, joined by "og", "eller", "for" or "så", take a
    comma before the conjunction: "Jeg liker fisk, og hun liker kjøtt" ("men" is `comma_before_men`'s).

    Found in the parse, or on the surface where the missing comma misled the parser: the conjunction follows a
    finite verb outside any subordinate clause and is followed by a subject pronoun and a finite verb ("... og vi
    trenger").
    """
    require_annotation(doc, "comma_between_main_clauses", "POS", "MORPH", "DEP")
    toks = tokens(doc)
    found = {c.i for c in _coordinated_in_parse(doc)} | {c.i for c in _coordinated_on_surface(doc)}
    for index in sorted(found):
        conjunction, before = toks[index], toks[index - 1]
        if before.text in BOUNDARY_MARKS or before.is_punct:
            continue
        yield Violation(
            "comma_between_main_clauses",
            before.i,
            conjunction.i + 1,
            f"a comma belongs before {conjunction.text!r}, which joins two main clauses",
        )


def _coordinated_in_parse(doc: Doc) -> Iterator[Token]:
    """Conjunctions the parse shows joining two main clauses with their own subjects."""
    for clause in with_dep(doc, "conj"):
        first = head(clause)
        if not (_is_main_clause(first) and _finite_clause(first) and _finite_clause(clause)):
            continue
        if not (_own_subject(clause) and _own_subject(first)) or any(c.dep_ == "mark" for c in children(clause)):
            continue
        conjunctions = [
            c for c in children(clause) if c.dep_ == "cc" and c.lower_ in MAIN_CLAUSE_CONJUNCTIONS and c.i > first.i
        ]
        if conjunctions and conjunctions[0].lower_ != "men":
            yield conjunctions[0]


def _coordinated_on_surface(doc: Doc) -> Iterator[Token]:
    """Conjunctions followed by a subject pronoun and a finite verb, after a finite verb of a main clause."""
    for sent in sentences(doc):
        toks = [t for t in sent if not t.is_space]
        for j, token in enumerate(toks[1:-2], start=1):
            if token.lower_ not in MAIN_CLAUSE_CONJUNCTIONS or token.lower_ == "men":
                continue
            if not (toks[j + 1].lower_ in SUBJECT_PRONOUNS and is_finite(toks[j + 2])):
                continue
            before = toks[:j]
            if any(is_finite(t) for t in before) and not any(t.dep_ == "mark" and t.lower_ != "å" for t in before):
                yield token


def comma_after_inner_clause(doc: Doc) -> Iterator[Violation]:
    """A subordinate clause inside the main clause's first field ends with a comma before the finite verb: "Det
    som er viktigst, er helsen", "Den som venter, får"."""
    require_annotation(doc, "comma_after_inner_clause", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        verb = clause_finite_verb(sent.root)
        if verb is None:
            continue
        opening = _first_word(sent.start, sent.end, doc)
        for clause in sent:
            if clause.dep_ not in INNER_CLAUSE_DEPS or clause.i > verb.i or not _finite_clause(clause):
                continue
            left, right = _edges(clause)
            modified = head(clause)
            if tokens(doc)[right].text in BOUNDARY_MARKS:
                continue
            if left > opening and right + 1 == verb.i and modified.i < left and modified.i >= opening:
                yield Violation(
                    "comma_after_inner_clause",
                    right,
                    verb.i + 1,
                    f"a comma belongs after the clause {doc[left : right + 1].text!r}, before {verb.text!r}",
                )


def comma_before_object_clause(doc: Doc) -> Iterator[Violation]:
    """No comma between a verb and its "at" or "om" object clause: "Jeg tror at hun kommer", not "Jeg tror, at
    hun kommer"."""
    require_annotation(doc, "comma_before_object_clause", "POS", "DEP")
    toks = tokens(doc)
    for token in toks:
        if token.lower_ not in OBJECT_CLAUSE_SUBORDINATORS or token.dep_ != "mark" or token.i < 2:
            continue
        clause, comma = head(token), toks[token.i - 1]
        verb = head(clause)
        if comma.text != "," or verb.pos_ not in {"VERB", "AUX"}:
            continue
        # A comma before "at" often makes the parser read the clause as a second conjunct of the verb.
        coordinated = clause.dep_ == "conj" and not any(c.dep_ == "cc" for c in children(clause))
        if clause.dep_ not in OBJECT_CLAUSE_DEPS and not coordinated:
            continue
        if toks[token.i - 2] == verb:
            yield Violation(
                "comma_before_object_clause",
                comma.i,
                token.i + 1,
                f"no comma between {verb.text!r} and its {token.lower_!r} clause",
            )
