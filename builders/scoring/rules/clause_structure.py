"""Rules about the skeleton of a clause: a finite verb, a subject, and the verb-second (V2) order of Bokmål.

Bokmål main clauses are V2: exactly one constituent (subject, adverbial, object, subordinate clause) precedes the
finite verb ("I går spiste han fisk", not "I går han spiste fisk"). Subordinate clauses put sentence adverbs such
as "ikke" before the finite verb ("fordi han ikke kom", not "fordi han kom ikke").
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from saga.builders.scoring.rules.annotation import (
    NOMINAL_SUBJECT_DEPS,
    Sentence,
    children,
    clause_finite_verb,
    has_subject,
    head,
    is_finite,
    morph,
    require_annotation,
    sentences,
    with_dep,
)
from saga.builders.scoring.violations import Violation

# Dependents that sit outside the clause's field structure and do not count as the V2 "first constituent".
NON_CONSTITUENT_DEPS = {"punct", "cc", "discourse", "vocative", "dislocated", "reparandum", "parataxis", "mark"}
# Resumptive adverbs after a fronted constituent ("Hvis du kommer, så går vi", "Til slutt så minner jeg") keep V2.
RESUMPTIVE_ADVERBS = {"så", "da"}
# Focus particles and degree adverbs that open the fronted constituent they modify ("Også staten slutter", "Heller
# ikke denne teorien har", "Omtrent halvparten mener"); the parser attaches them to the verb, but with the next
# phrase they fill one field.
FOCUS_PARTICLES = {"også", "heller", "ikke", "selv", "bare", "kun", "nettopp", "særlig", "spesielt", "især", "omtrent"}
# Sentence adverbs that precede the finite verb in a subordinate clause.
CLAUSE_ADVERBS = {"ikke", "aldri"}
# Subordinators whose clauses may keep main-clause order ("Han sa at han kom ikke" is accepted usage).
MAIN_ORDER_SUBORDINATORS = {"at", "å"}
# Markers that introduce non-finite clauses ("å gå", "for å gå", "uten å spørre", "enn å vente").
NONFINITE_MARKERS = {"å", "for", "uten", "etter", "ved", "enn", "istedenfor", "fremfor", "framfor", "til"}
# Clause relations whose own subject requires a finite verb (an `xcomp` small clause, "så ham løpe", does not).
SUBJECT_CLAUSE_DEPS = {"conj", "advcl", "ccomp", "acl:relcl", "parataxis"}
# Relations that embed a clause: a finite verb below one of them is not the main clause's.
SUBORDINATE_DEPS = {"acl", "acl:relcl", "advcl", "ccomp", "csubj", "csubj:pass"}
PERSONAL_SUBJECT_PRONOUNS = {"jeg", "du", "han", "hun", "vi", "dere", "de", "meg", "deg", "ham", "henne", "oss", "dem"}


def _has_words(sent: Sentence) -> bool:
    return any(not token.is_punct and not token.is_space for token in sent)


def _is_imperative(verb: Token, sent: Sentence) -> bool:
    first_word = next((t for t in sent if not t.is_punct), None)
    return "Imp" in morph(verb, "Mood") or (first_word == verb and sent[-1].text == "!")


def _in_main_clause(verb: Token) -> bool:
    """True when no subordinate clause (a relative, adverbial or complement clause, or one with a subordinator)
    lies between `verb` and the root."""
    node = verb
    while head(node) != node:
        if node.dep_ in SUBORDINATE_DEPS or any(c.dep_ == "mark" and c.lower_ != "å" for c in children(node)):
            return False
        node = head(node)
    return True


def missing_finite_verb(doc: Doc) -> Iterator[Violation]:
    """Every sentence needs a finite verb in its main clause ("Huset stort." lacks "er"; "Mannen som kom." has one
    only in its relative clause).

    The finite verb is the root, a finite auxiliary or copula of the root, or any finite verb the parser placed
    outside every subordinate clause: a misattached root ("De var heller ikke med på ...", rooted at a noun) must
    not turn a complete sentence into a fragment. A sentence of punctuation only is not checked.
    """
    require_annotation(doc, "missing_finite_verb", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        if not _has_words(sent) or clause_finite_verb(sent.root) is not None:
            continue
        if not any(is_finite(t) and _in_main_clause(t) for t in sent):
            yield Violation(
                "missing_finite_verb", sent.start, sent.end, f"no finite verb in the main clause of {sent.text!r}"
            )


def _inverted_subject(verb: Token, sent: Sentence) -> bool:
    """True when a fronted constituent precedes the finite verb and a nominal follows it (skipping adverbs):
    the inverted subject of "Uten at han visste det, har cellene begynt å dø", even when the parser attached
    it elsewhere. A verb-first clause ("Spiste fisk i går.") gets no such benefit of the doubt."""
    if verb.i == next(t.i for t in sent if not t.is_punct):
        return False
    for following in sent.tokens[verb.i - sent.start + 1 :]:
        if following.pos_ not in {"ADV", "PART"}:
            return following.pos_ in {"NOUN", "PROPN", "PRON", "DET", "NUM"}
    return False


def missing_subject(doc: Doc) -> Iterator[Violation]:
    """A finite declarative main clause needs a subject ("Spiste fisk i går." lacks one).

    Imperatives ("Gå hjem!") are exempt. Subordinate clauses are not checked: "som" is the subject of many
    relative clauses, and their attachments are where a statistical parser errs most.
    """
    require_annotation(doc, "missing_subject", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        verb = clause_finite_verb(sent.root)
        if verb is None or has_subject(sent.root) or _is_imperative(verb, sent) or _inverted_subject(verb, sent):
            continue
        yield Violation(
            "missing_subject", verb.i, verb.i + 1, f"the finite verb {verb.text!r} has no subject in its clause"
        )


def _subordinator(clause: Token) -> Token | None:
    """The subordinating conjunction that opens the clause headed by `clause` ("fordi", "at", "når"), if any.

    In "Problemet er at han later som ...", UD heads the sentence with the clausal predicate; its copula comes
    before the subordinator, and the sentence is a main clause.
    """
    marker = next((c for c in children(clause) if c.dep_ == "mark" and c.lower_ != "å" and c.i < clause.i), None)
    if marker is None or any(c.dep_ == "cop" and c.i < marker.i for c in children(clause)):
        return None
    return marker


def _fronted_constituents(root: Token, verb: Token) -> list[Token]:
    """Constituents of the root clause that start before the finite verb, in order.

    When the root itself precedes the finite verb (a fronted predicate, "Desto viktigere blir det"), its own
    dependents before it belong to that one fronted phrase. A focus particle belongs to the phrase after it
    (`_focuses`), and a PP right after a nominal subject to the subject (`_subject_modifier`).
    """
    fronted_root = root != verb and root.i < verb.i
    fronted = [root] if fronted_root else []
    fronted += [
        child
        for child in children(root)
        if child != verb
        and child.dep_ not in NON_CONSTITUENT_DEPS
        and child.left_edge.i < verb.i
        and not (fronted_root and (child.i < root.i or child.dep_ == "compound:prt"))
    ]
    fronted.sort(key=lambda token: token.left_edge.i)
    if len(fronted) >= 2 and fronted[-1].lower_ in RESUMPTIVE_ADVERBS:
        fronted.pop()
    while len(fronted) >= 2 and _focuses(fronted[0], fronted[1]):
        fronted.pop(0)
    if len(fronted) == 2 and _subject_modifier(*fronted, verb):
        fronted.pop()
    return fronted


def _focuses(particle: Token, phrase: Token) -> bool:
    """True when `particle` and its dependents are focus particles right before `phrase` ("heller ikke"), so that
    they and the phrase make one constituent."""
    return particle.right_edge.i + 1 == phrase.left_edge.i and all(
        token.lower_ in FOCUS_PARTICLES for token in particle.subtree
    )


def _subject_modifier(subject: Token, phrase: Token, verb: Token) -> bool:
    """True when a prepositional phrase fills the gap between a first-placed nominal subject and the finite verb.

    "Risikoen for vårflom er", "Ambulansepersonell på stedet vurderte", "Cixi på sin side satte": the parser often
    hangs the subject's own prepositional modifier on the verb, and a parenthetical PP there is accepted usage.
    After a personal pronoun, which takes no such modifier, the PP is an adverbial out of place ("Han i dag spiser
    fisk"), and so is an adverb or a bare noun phrase after any subject ("Regjeringen nå legger fram").
    """
    return (
        subject.dep_ in NOMINAL_SUBJECT_DEPS
        and subject.lower_ not in PERSONAL_SUBJECT_PRONOUNS
        and phrase.dep_ == "obl"
        and any(child.dep_ == "case" and child.i == phrase.left_edge.i for child in children(phrase))
        and phrase.left_edge.i == subject.right_edge.i + 1
        and phrase.right_edge.i == verb.i - 1
    )


def v2_word_order(doc: Doc) -> Iterator[Violation]:
    """In a main clause exactly one constituent precedes the finite verb ("I går han spiste" breaks V2)."""
    require_annotation(doc, "v2_word_order", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        verb = clause_finite_verb(sent.root)
        if verb is None or _subordinator(sent.root) is not None:
            continue
        fronted = _fronted_constituents(sent.root, verb)
        if len(fronted) >= 2:
            start = fronted[0].left_edge.i
            yield Violation(
                "v2_word_order",
                start,
                verb.i + 1,
                f"{len(fronted)} constituents precede the finite verb {verb.text!r} in"
                f" {doc[start : verb.i + 1].text!r}; a main clause allows one",
            )


def verb_first_declarative(doc: Doc) -> Iterator[Violation]:
    """A statement ending in "." does not start with its finite verb ("Spiste han fisken." is a question order).

    Questions ("?"), exclamations and imperatives ("!") are verb-first by design and are not checked.
    """
    require_annotation(doc, "verb_first_declarative", "POS", "MORPH", "DEP")
    for sent in sentences(doc):
        root = sent.root
        verb = clause_finite_verb(root)
        if verb is None or sent[-1].text not in {".", "…"} or _is_imperative(verb, sent):
            continue
        first_word = next(t for t in sent if not t.is_punct)
        if first_word == verb and has_subject(root) and not _fronted_constituents(root, verb):
            yield Violation(
                "verb_first_declarative",
                verb.i,
                verb.i + 1,
                f"the statement starts with its finite verb {verb.text!r}; a declarative needs a constituent first",
            )


def subject_after_nonfinite_verb(doc: Doc) -> Iterator[Violation]:
    """In inverted order the subject follows the finite verb directly, before any infinitive or participle
    ("I dag vil vi satse", not "I dag vil satse vi"). Clauses with expletive "det" ("Det har kommet mange
    folk") put the logical subject late on purpose and are exempt."""
    require_annotation(doc, "subject_after_nonfinite_verb", "POS", "MORPH", "DEP")
    for verb in {head(subject) for subject in with_dep(doc, "nsubj")}:
        if verb.pos_ not in {"VERB", "AUX"} or not morph(verb, "VerbForm") or "Fin" in morph(verb, "VerbForm"):
            continue
        finite = clause_finite_verb(verb)
        if finite is None or finite.i > verb.i or any(c.dep_ == "expl" for c in children(verb)):
            continue
        for subject in children(verb):
            if subject.dep_ == "nsubj" and subject.i > verb.i:
                yield Violation(
                    "subject_after_nonfinite_verb",
                    finite.i,
                    subject.i + 1,
                    f"the subject {subject.text!r} follows {verb.text!r}; it goes right after {finite.text!r}",
                )


def subordinate_clause_fragment(doc: Doc) -> Iterator[Violation]:
    """A sentence is not a lone subordinate clause ("Fordi han var syk." lacks the main clause it belongs to)."""
    require_annotation(doc, "subordinate_clause_fragment", "POS", "DEP")
    for sent in sentences(doc):
        marker = _subordinator(sent.root)
        if marker is not None and sent[-1].text != "?":
            yield Violation(
                "subordinate_clause_fragment",
                sent.start,
                sent.end,
                f"{sent.text!r} is a subordinate clause ('{marker.text}') without a main clause",
            )


def subordinate_adverb_order(doc: Doc) -> Iterator[Violation]:
    """In a subordinate clause "ikke"/"aldri" precede the finite verb ("fordi han ikke kom")."""
    require_annotation(doc, "subordinate_adverb_order", "POS", "MORPH", "DEP")
    clauses = {head(marker) for marker in with_dep(doc, "mark") if head(marker).i > marker.i}
    for clause in sorted(clauses, key=lambda t: t.i):
        markers = [c for c in children(clause) if c.dep_ == "mark" and c.i < clause.i]
        if any(m.lower_ in MAIN_ORDER_SUBORDINATORS for m in markers):
            continue
        verb = clause_finite_verb(clause)
        if verb is None:
            continue
        for adverb in children(clause):
            if adverb.dep_ == "advmod" and adverb.lower_ in CLAUSE_ADVERBS and adverb.i > verb.i:
                yield Violation(
                    "subordinate_adverb_order",
                    verb.i,
                    adverb.i + 1,
                    f"{adverb.text!r} follows the finite verb {verb.text!r} in a subordinate clause; put it before",
                )


def double_subject(doc: Doc) -> Iterator[Violation]:
    """A clause has one subject; two personal pronouns as subjects ("Hun så jeg i byen", where "meg" is meant)
    signal a case error. Only pronouns count: a fronted time expression ("Torsdag hadde Sverre fri") is often
    mislabelled as a second subject by the parser."""
    require_annotation(doc, "double_subject", "DEP")
    for word in sorted({head(s) for s in with_dep(doc, "nsubj", "nsubj:pass")}, key=lambda t: t.i):
        subjects = [
            c
            for c in children(word)
            if c.dep_ in {"nsubj", "nsubj:pass"}
            and c.lower_ in PERSONAL_SUBJECT_PRONOUNS
            and not any(g.dep_ == "conj" for g in children(c))
        ]
        if len(subjects) >= 2:
            first, second = subjects[0], subjects[1]
            yield Violation(
                "double_subject",
                min(first.i, second.i),
                max(first.i, second.i) + 1,
                f"{word.text!r} has two subjects, {first.text!r} and {second.text!r}",
            )


def nonfinite_clause(doc: Doc) -> Iterator[Violation]:
    """A clause opened by a subordinator ("at", "fordi", "som", "hvis", ...), or a coordinated or embedded clause
    with its own subject, needs a finite verb ("at det vært en fordel", "og vi ha dialog").

    Infinitive clauses ("for å gå"), participle ellipsis ("ble opphevet, og tidene utvidet") and conjuncts that
    share the first conjunct's modal ("skal forenkles og forskrifter gis") are exempt.
    """
    require_annotation(doc, "nonfinite_clause", "POS", "MORPH", "DEP")
    reported: set[int] = set()
    for marker in with_dep(doc, "mark"):
        clause = head(marker)
        if marker.lower_ in NONFINITE_MARKERS or clause.i in reported or not _verbal(clause):
            continue
        if any(c.lower_ == "å" for c in children(clause)) or clause_finite_verb(clause) is not None:
            continue
        reported.add(clause.i)
        yield Violation(
            "nonfinite_clause",
            marker.i,
            clause.i + 1,
            f"the clause opened by {marker.text!r} has no finite verb ({clause.text!r} is not finite)",
        )
    for subject in with_dep(doc, "nsubj", "nsubj:pass"):
        clause = head(subject)
        if clause.i in reported or clause.dep_ not in SUBJECT_CLAUSE_DEPS or morph(clause, "VerbForm") != ["Inf"]:
            continue
        if clause.dep_ == "conj" and any(c.dep_ in {"aux", "aux:pass"} for c in children(head(clause))):
            continue  # "Lover skal forenkles og forskrifter gis ...": the second conjunct shares "skal".
        if clause_finite_verb(clause) is None and not any(c.lower_ == "å" for c in children(clause)):
            reported.add(clause.i)
            yield Violation(
                "nonfinite_clause",
                min(subject.i, clause.i),
                max(subject.i, clause.i) + 1,
                f"{clause.text!r} has the subject {subject.text!r} but is not a finite verb",
            )


def _verbal(clause: Token) -> bool:
    """True for a clause built on a verb (or a copula), as opposed to a comparison like "som lærer"."""
    return clause.pos_ in {"VERB", "AUX"} or any(c.dep_ in {"cop", "aux", "aux:pass"} for c in children(clause))
