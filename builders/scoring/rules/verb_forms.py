"""Rules on the form of verbs in a verb chain: "å" + infinitive, modal + bare infinitive, "ha" + participle.

Each auxiliary governs the form of the next verb of the chain (`annotation.verb_chain`).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from spacy.tokens import Doc, Token

from saga.builders.scoring.rules.annotation import (
    CORRELATIVES,
    children,
    head,
    morph,
    require_annotation,
    verb_chain,
    with_dep,
    with_pos,
)
from saga.builders.scoring.violations import Violation

# The modals that take a bare infinitive, by form: the rules read no lemmas, so the scorer does not run the
# lemmatizer. "tørre" and "gidde" are left out, since Bokmål accepts them with or without "å" ("tør ikke (å) gå"),
# and the bundled lemmatizer also gives "tørre" to "tørret" (dried).
MODAL_FORMS = {
    "kan",
    "kunne",
    "kunnet",
    "skal",
    "skulle",
    "skullet",
    "vil",
    "ville",
    "villet",
    "må",
    "måtte",
    "måttet",
    "bør",
    "burde",
    "burdet",
}
CHAIN_DEPS = ("aux", "aux:pass", "cop")
# What may stand between "å" and its verb: adverbs ("å ikke gå", "å ulovlig ha krysset"), punctuation.
INFINITIVE_GAP_POS = {"ADV", "PART", "ADJ", "PUNCT"}
PERFECT_FORMS = {"har", "hadde", "ha", "hatt"}


def _is_modal(token: Token) -> bool:
    return token.lower_ in MODAL_FORMS


def _is_perfect_auxiliary(token: Token) -> bool:
    return token.dep_ == "aux" and token.lower_ in PERFECT_FORMS


def _chain_pairs(doc: Doc) -> Iterator[tuple[Token, Token]]:
    """(auxiliary, the verb it governs) for every adjacent pair of every verb chain in `doc`."""
    for clause in sorted({head(t) for t in with_dep(doc, *CHAIN_DEPS)}, key=lambda t: t.i):
        chain = verb_chain(clause)
        yield from pairwise(chain)


def infinitive_marker_form(doc: Doc) -> Iterator[Violation]:
    """The infinitive marker "å" stands right before a verb in the infinitive ("å spise"; not "å spiser", "spise
    å", "å for spise"). Only adverbs may come between ("å ikke gi opp", "å ulovlig ha krysset").

    In a copula infinitive ("å være stor") UD heads "å" with the predicate; the verb checked is then "være".
    """
    require_annotation(doc, "infinitive_marker_form", "POS", "MORPH", "DEP")
    for marker in with_pos(doc, "PART"):
        if marker.lower_ != "å":
            continue
        clause = head(marker)
        # "Målet er å lage": the head "lage" has the copula "er" (before "å") in its chain but is the verb here.
        chain = verb_chain(clause) + ([clause] if clause.pos_ in {"VERB", "AUX"} else [])
        verb = min((v for v in chain if v.i > marker.i), key=lambda v: v.i, default=None)
        if verb is None:
            yield Violation("infinitive_marker_form", marker.i, marker.i + 1, "'å' is not followed by a verb")
            continue
        between = [
            t for t in doc[marker.i + 1 : verb.i] if t.pos_ not in INFINITIVE_GAP_POS and t.lower_ not in CORRELATIVES
        ]
        form = morph(verb, "VerbForm")
        if between:
            message = f"{between[0].text!r} stands between 'å' and its verb {verb.text!r}"
        elif form not in ([], ["Inf"]):
            message = f"'å' needs the infinitive, but {verb.text!r} is {form[0].lower()}"
        else:
            continue
        yield Violation("infinitive_marker_form", marker.i, verb.i + 1, message)


def modal_infinitive(doc: Doc) -> Iterator[Violation]:
    """A modal takes a bare infinitive ("kan svømme", not "kan svømmer" or "kan å svømme")."""
    require_annotation(doc, "modal_infinitive", "POS", "MORPH", "DEP")
    for modal, verb in _chain_pairs(doc):
        if not _is_modal(modal) or modal.dep_ == "cop":
            continue
        form = morph(verb, "VerbForm")
        # A past modal may drop perfect "ha" ("ville blitt" for "ville ha blitt"), which Bokmål accepts.
        dropped_ha = form == ["Part"] and "Past" in morph(modal, "Tense")
        if form and form != ["Inf"] and not dropped_ha:
            yield Violation(
                "modal_infinitive",
                modal.i,
                verb.i + 1,
                f"the modal {modal.text!r} needs a bare infinitive, but {verb.text!r} is {form[0].lower()}",
            )
        marker = next((c for c in children(verb) if c.lower_ == "å" and modal.i < c.i < verb.i), None)
        if marker is not None:
            yield Violation(
                "modal_infinitive",
                modal.i,
                verb.i + 1,
                f"no 'å' after the modal {modal.text!r}: {modal.text} {verb.text}",
            )


def perfect_participle(doc: Doc) -> Iterator[Violation]:
    """The perfect auxiliary "ha" takes a past participle ("har spist", not "har spiser" or "har spise")."""
    require_annotation(doc, "perfect_participle", "POS", "MORPH", "DEP")
    for auxiliary, verb in _chain_pairs(doc):
        if not _is_perfect_auxiliary(auxiliary):
            continue
        form = morph(verb, "VerbForm")
        if form and form != ["Part"]:
            yield Violation(
                "perfect_participle",
                auxiliary.i,
                verb.i + 1,
                f"{auxiliary.text!r} needs a past participle, but {verb.text!r} is {form[0].lower()}",
            )
