"""Rules on the order of function words relative to their head, and on coordination.

Bokmål puts prepositions, determiners, attributive adjectives, subordinators, coordinating conjunctions and
auxiliaries before the word they belong to. The few real exceptions (postpositions such as "året rundt", "oss
alle", "kongen selv", prepositions stranded by a fronted question word) are listed or recognised explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from spacy.tokens import Doc, Token

from saga.builders.scoring.rules.annotation import (
    CORRELATIVES,
    SUBJECT_DEPS,
    children,
    clause_finite_verb,
    head,
    morph,
    require_annotation,
    sentence_of,
    sentences,
    tokens,
    with_dep,
    with_pos,
)
from saga.builders.scoring.violations import Violation

# Question words that open an embedded question ("Jeg vet ikke hvorfor han kom").
QUESTION_WORDS = {"hva", "hvem", "hvor", "hvorfor", "hvordan", "hvilken", "hvilket", "hvilke", "når"}
EMBEDDED_CLAUSE_DEPS = {"ccomp", "advcl", "acl", "acl:relcl", "csubj", "obl", "obj", "xcomp"}
POSTPOSITIONS = {"rundt", "over", "imellom", "igjennom", "gjennom", "siden", "før", "etter", "omkring"}
POSTPOSED_DETERMINERS = {"selv", "sjøl", "alle", "begge", "sammen", "andre"}
ADVERBIAL_ADJECTIVES = {"flest", "generelt", "øvrig", "internt", "tilsvarende", "selv"}
# Word classes each relation takes in UD Norwegian Bokmål, widened by the tagger's usual confusions on correct
# text ("som"/"siden" as SCONJ in a `case` role, "ett"/"eneste" as DET numerals); a relation not listed is not
# checked.
ALLOWED_POS_FOR_DEP = {
    "amod": {"ADJ", "VERB", "DET"},
    "case": {"ADP", "SCONJ", "ADV"},
    "mark": {"SCONJ", "PART", "ADP", "CCONJ", "PRON", "ADV"},
    "cc": {"CCONJ", "SCONJ", "SYM", "ADV"},
    "det": {"DET", "PRON", "NUM"},
    "nummod": {"NUM", "DET"},
    "aux": {"AUX", "VERB"},
    "aux:pass": {"AUX", "VERB"},
    "cop": {"AUX", "VERB"},
    "obl": {"NOUN", "PROPN", "PRON", "NUM", "DET", "X", "SYM", "ADJ"},
    "nsubj": {"NOUN", "PROPN", "PRON", "NUM", "DET", "X", "SYM", "ADJ", "VERB"},
    "obj": {"NOUN", "PROPN", "PRON", "NUM", "DET", "X", "SYM", "ADJ", "ADV", "VERB"},
    "conj": {"NOUN", "PROPN", "PRON", "NUM", "DET", "X", "SYM", "ADJ", "ADV", "VERB", "AUX", "ADP", "PART", "INTJ"},
}
# Words after which an article stands alone legitimately ("en av dem", "et eller annet", "den andre").
ARTICLE_FOLLOWERS = {"av", "eller", "og", "annen", "annet", "andre", "som", "samme"}
# Dependents that may stand before a subordinator: "for at", "enn som", "bare fordi", "og når".
MARKER_PRECEDERS = {"punct", "cc", "mark", "case", "advmod", "conj"}


def _postposed(token: Token) -> bool:
    """True when `token` directly follows its head, with nothing of its own in between."""
    return head(token).i < token.i and head(token).right_edge.i <= token.i and token.i == head(token).i + 1


def postposed_preposition(doc: Doc) -> Iterator[Violation]:
    """A preposition precedes its noun ("i huset", not "huset i").

    Stranded prepositions ("Hva snakker du om?") attach to a fronted pronoun further left and are not flagged.
    """
    require_annotation(doc, "postposed_preposition", "POS", "DEP")
    for token in with_dep(doc, "case"):
        if token.pos_ == "ADP" and _postposed(token):
            if head(token).pos_ == "PRON" or token.lower_ in POSTPOSITIONS:
                continue
            yield Violation(
                "postposed_preposition",
                head(token).i,
                token.i + 1,
                f"the preposition {token.text!r} follows {head(token).text!r}; it goes before",
            )


def postposed_determiner(doc: Doc) -> Iterator[Violation]:
    """A determiner or article precedes its noun ("den bilen", not "bilen den"); "bilen min" is fine."""
    require_annotation(doc, "postposed_determiner", "POS", "DEP")
    for token in with_dep(doc, "det"):
        if head(token).i < token.i and token.lower_ not in POSTPOSED_DETERMINERS:
            yield Violation(
                "postposed_determiner",
                head(token).i,
                token.i + 1,
                f"the determiner {token.text!r} follows {head(token).text!r}; it goes before",
            )


def postposed_adjective(doc: Doc) -> Iterator[Violation]:
    """An attributive adjective precedes its noun ("en stor bil", not "en bil stor")."""
    require_annotation(doc, "postposed_adjective", "POS", "MORPH", "DEP")
    for token in with_dep(doc, "amod"):
        if (
            token.pos_ == "ADJ"
            and head(token).pos_ == "NOUN"
            and _postposed(token)
            and not any(True for _ in children(token))
            and not morph(token, "VerbForm")
            and morph(token, "Degree") in ([], ["Pos"])
            and token.lower_ not in ADVERBIAL_ADJECTIVES
        ):
            yield Violation(
                "postposed_adjective",
                head(token).i,
                token.i + 1,
                f"the adjective {token.text!r} follows its noun {head(token).text!r}; it goes before",
            )


def misplaced_subordinator(doc: Doc) -> Iterator[Violation]:
    """A subordinator opens its clause ("fordi han kom", not "han fordi kom")."""
    require_annotation(doc, "misplaced_subordinator", "POS", "DEP")
    for marker in with_dep(doc, "mark"):
        if marker.lower_ == "å":
            continue
        clause = head(marker)
        if any(c.i < marker.i and "Int" in morph(c, "PronType") for c in clause.subtree):
            continue  # "hva som skjedde", "hvem de tror at ...": a question word may precede the subordinator.
        if any(c.dep_ == "cop" and c.i < marker.i for c in children(clause)):
            continue  # "Årsaken var at ...": the words before the copula belong to the main clause.
        before = [c for c in children(clause) if c.i < marker.i and c.dep_ not in MARKER_PRECEDERS]
        if clause.i < marker.i or before:
            first = min([clause.i] + [c.left_edge.i for c in before])
            yield Violation(
                "misplaced_subordinator",
                first,
                marker.i + 1,
                f"the subordinator {marker.text!r} comes after {doc[first].text!r}; it opens its clause",
            )


def misplaced_conjunction(doc: Doc) -> Iterator[Violation]:
    """A coordinating conjunction opens its conjunct ("Per og Kari", "men som energi"; not "Per Kari og", "som
    men energi")."""
    require_annotation(doc, "misplaced_conjunction", "POS", "DEP")
    for token in with_dep(doc, "cc"):
        if token.lower_ in CORRELATIVES:
            continue
        conjunct = head(token)
        earlier = [c for c in children(conjunct) if c.i < token.i and c.dep_ not in {"punct", "cc", "discourse"}]
        if conjunct.i < token.i or earlier:
            first = min([conjunct.i] + [c.left_edge.i for c in earlier])
            yield Violation(
                "misplaced_conjunction",
                first,
                token.i + 1,
                f"the conjunction {token.text!r} comes after {doc[first].text!r}; it opens what it joins",
            )


def _inside_conjunct(token: Token) -> bool:
    """True when some word above `token` is a conjunct: the parser often hangs "og" on the first word of the
    second conjunct ("..., og blodet hans forgiftes") rather than on its head."""
    node = head(token)
    while True:
        if node.dep_ == "conj":
            return True
        if head(node) == node:
            return False
        node = head(node)


def orphan_conjunction(doc: Doc) -> Iterator[Violation]:
    """A coordinating conjunction inside a sentence joins two conjuncts ("Vi vil og forsterke" joins nothing).

    A sentence-initial "Og"/"Men" and the first half of "både ... og" are fine without a preceding conjunct.
    """
    require_annotation(doc, "orphan_conjunction", "POS", "DEP")
    toks = tokens(doc)
    for token in with_dep(doc, "cc"):
        if token.lower_ in CORRELATIVES or _inside_conjunct(token):
            continue
        if token.i and toks[token.i - 1].text == ",":
            continue  # ", og ble ...": a coordinated clause the parser failed to attach as a conjunct
        first_word = next(t for t in sentence_of(token) if not t.is_punct)
        if token != first_word:
            yield Violation(
                "orphan_conjunction",
                token.i,
                token.i + 1,
                f"{token.text!r} coordinates {head(token).text!r} with nothing before it",
            )


def auxiliary_after_verb(doc: Doc) -> Iterator[Violation]:
    """An auxiliary precedes its main verb ("har spist", not "spist har"); a verb phrase fronted as the first
    constituent ("Spist har han ikke") is exempt."""
    require_annotation(doc, "auxiliary_after_verb", "POS", "DEP")
    for token in with_dep(doc, "aux", "aux:pass"):
        if token.i != head(token).i + 1 or head(token).pos_ != "VERB":
            continue
        first_word = next(t for t in sentence_of(token) if not t.is_punct)
        if first_word != head(token):
            yield Violation(
                "auxiliary_after_verb",
                head(token).i,
                token.i + 1,
                f"the auxiliary {token.text!r} follows its verb {head(token).text!r}",
            )


def missing_coordinator(doc: Doc) -> Iterator[Violation]:
    """Each pair of neighbouring conjuncts is joined by a conjunction or a comma ("Per, Kari og Ola"; not "Per
    Kari og Ola")."""
    require_annotation(doc, "missing_coordinator", "POS", "DEP")
    toks = tokens(doc)
    for first in sorted({head(t) for t in with_dep(doc, "conj")}, key=lambda t: t.i):
        later = (c for c in children(first) if c.dep_ == "conj" and c.i > first.i)
        conjuncts = [first, *sorted(later, key=lambda t: t.i)]
        for left, right in pairwise(conjuncts):
            gap = (
                toks[left.i + 1 : right.left_edge.i + 1] if right.left_edge.i > left.i else toks[left.i + 1 : right.i]
            )
            if not any(t.is_punct or t.dep_ == "cc" or t.pos_ == "CCONJ" for t in gap):
                yield Violation(
                    "missing_coordinator",
                    left.i,
                    right.i + 1,
                    f"{left.text!r} and {right.text!r} are coordinated without 'og', 'eller' or a comma",
                )


def garbled_attachment(doc: Doc) -> Iterator[Violation]:
    """The parser could only attach a word with a relation its word class never has in UD Norwegian Bokmål (an
    "amod" that is a noun, a "cop" that is a determiner, a "case" that is a verb): the parse of a sentence with a
    missing or misplaced word. `ALLOWED_POS_FOR_DEP` lists what the UD Bokmål dev treebank has, plus the
    tagger's usual confusions on correct text."""
    require_annotation(doc, "garbled_attachment", "POS", "DEP")
    for token in tokens(doc):
        allowed = ALLOWED_POS_FOR_DEP.get(token.dep_)
        if allowed is not None and token.pos_ not in allowed:
            yield Violation(
                "garbled_attachment",
                token.i,
                token.i + 1,
                f"{token.text!r} ({token.pos_}) cannot be the {token.dep_} of {head(token).text!r}",
            )


def dangling_function_word(doc: Doc) -> Iterator[Violation]:
    """A conjunction, subordinator or article is followed by what it introduces: not by the end of the sentence
    ("... legemidler og."), not by punctuation ("og, i år"), and an article is not left without its noun
    ("gjennom en på kollektivtransport"). "Eller?" and "en av dem" are fine."""
    require_annotation(doc, "dangling_function_word", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        words = sent.words
        if len(words) >= 2 and (words[-1].pos_ in {"CCONJ", "SCONJ"} or _is_article(words[-1])):
            yield Violation(
                "dangling_function_word", words[-1].i, words[-1].i + 1, f"the sentence ends in {words[-1].text!r}"
            )
    toks = tokens(doc)
    # Only conjunctions and determiners can dangle; visiting just those, in document order, skips most tokens.
    for token in sorted((*with_pos(doc, "CCONJ"), *with_pos(doc, "DET")), key=lambda t: t.i):
        following = toks[token.i + 1] if token.i + 1 < len(toks) else None
        if token.pos_ == "CCONJ" and following is not None and following.text in {",", ";", ":"}:
            if token.i != sentence_of(token).words[0].i:
                yield Violation(
                    "dangling_function_word", token.i, token.i + 2, f"{token.text!r} is followed by punctuation"
                )
        elif (
            _is_article(token)
            and token.dep_ != "det"
            and (following is None or following.lower_ not in ARTICLE_FOLLOWERS)
        ):
            yield Violation(
                "dangling_function_word", token.i, token.i + 1, f"the article {token.text!r} has no noun to go with"
            )


def _is_article(token: Token) -> bool:
    return token.pos_ == "DET" and "Art" in morph(token, "PronType")


def embedded_question_order(doc: Doc) -> Iterator[Violation]:
    """An embedded question keeps subordinate order, subject before the finite verb: "Jeg vet ikke hvorfor han er
    sint", not "... hvorfor er han sint". A direct question ("Hvorfor er han sint?") and a question word that is
    itself the subject ("Jeg vet hvem som kom", "hva skjedde") are not checked."""
    require_annotation(doc, "embedded_question_order", "POS", "MORPH", "DEP")
    toks = tokens(doc)
    for word in toks:
        if word.lower_ not in QUESTION_WORDS or word.i + 1 >= len(toks) or word.i == sentence_of(word).start:
            continue
        clause = head(word)
        verb = toks[word.i + 1]
        if clause.dep_ not in EMBEDDED_CLAUSE_DEPS or verb != clause_finite_verb(clause):
            continue
        subject = next((c for c in children(clause) if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.i > verb.i and subject != word:
            yield Violation(
                "embedded_question_order",
                word.i,
                subject.i + 1,
                f"in the embedded question the subject {subject.text!r} comes before the verb {verb.text!r}",
            )
