"""Determiner rules read from the words' forms: what a quantifier, a demonstrative or a possessive asks of its noun.

* A plural quantifier or a number word from two up takes a plural noun: "mange venner", "to biler" ("mange venn",
  "flere skole", "tre bil" are wrong).
* A possessive before its noun takes the indefinite form: "min bil", or the definite form with the possessive after
  it, "bilen min" ("min bilen", "hans huset" are wrong).
* A demonstrative takes the definite form: "denne sommeren" ("denne sommer" is wrong).
* A possessive agrees with its noun: "mitt hus", "kulturen vår" ("mitt leilighet", "mine bil" are wrong).
* An adjective standing alone after "noe" is neuter: "noe nytt" ("noe ny" is wrong).

Both read the noun's form through the lexicon (`saga.builders.scoring.lexicon`), not its tags: the tagger reads an
ambiguous noun's number and definiteness off the very determiner under test ("mange venn" is tagged plural).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from saga.builders.scoring.lexicon import load_lexicon
from saga.builders.scoring.rules.annotation import children, morph, require_annotation, tokens, with_pos
from saga.builders.scoring.violations import Violation

# Quantifiers and number words that ask for a plural noun ("alle" does not: "alle mann", "alle slags").
PLURAL_QUANTIFIERS = {
    "mange", "flere", "få", "færre", "fleste", "begge", "disse", "diverse", "ulike", "forskjellige", "to", "tre",
    "fire", "fem", "seks", "sju", "syv", "åtte", "ni", "ti", "elleve", "tolv", "tjue", "hundre", "tusen",
}  # fmt: skip
QUANTIFIER_DEPS = {"det", "nummod", "amod"}
# Units and counting words that stay singular after a number ("to prosent", "tre kilo", "fem mann").
COUNTING_NOUNS = {
    "prosent", "promille", "kilo", "gram", "meter", "liter", "mil", "grad", "dollar", "euro", "pund", "tonn",
    "mann", "stykk", "slags", "sort",
}  # fmt: skip
POSSESSIVES = {
    "min", "mi", "mitt", "mine", "din", "di", "ditt", "dine", "sin", "si", "sitt", "sine", "vår", "vårt", "våre",
    "deres", "hans", "hennes",
}  # fmt: skip
POSSESSIVE_DEPS = {"det", "nmod:poss"}
DEMONSTRATIVES = {"denne", "dette", "disse"}
# Fixed phrases that keep the indefinite form after a demonstrative.
DEMONSTRATIVE_IDIOMS = {"gang"}
# Possessives that inflect: (number, gender class) of the noun each asks for ("mi", feminine, counts as common).
POSSESSIVE_FORMS = {
    **dict.fromkeys(("min", "mi", "din", "di", "sin", "si", "vår"), ("Sing", "Com")),
    **dict.fromkeys(("mitt", "ditt", "sitt", "vårt"), ("Sing", "Neut")),
    **dict.fromkeys(("mine", "dine", "sine", "våre"), ("Plur", None)),
}
# Pronouns after which an adjective standing alone is neuter ("noe nytt", "alt godt").
NEUTER_PRONOUNS = {"noe", "ingenting", "alt", "intet"}


def _singular_with_plural(noun: Token) -> bool:
    """True when the noun's form is the indefinite singular of a common-gender noun with an -er plural ("venn" /
    "venner"). Neuter nouns are left out: many have a plural the same as the singular, at least as an option ("år",
    "verk", "infarkt")."""
    lexicon = load_lexicon()
    form = noun.lower_
    if form in COUNTING_NOUNS or form not in lexicon.noun_lemmas or lexicon.noun_gender(form) != "Com":
        return False
    return lexicon.has_distinct_plural(form)


def plural_quantifier_number(doc: Doc) -> Iterator[Violation]:
    """A plural quantifier or a number word from two up takes a plural noun: "mange venner", not "mange venn"."""
    require_annotation(doc, "plural_quantifier_number", "POS", "DEP")
    for noun in with_pos(doc, "NOUN"):
        quantifiers = (c for c in children(noun) if c.dep_ in QUANTIFIER_DEPS and c.i < noun.i)
        quantifier = next((c for c in quantifiers if c.lower_ in PLURAL_QUANTIFIERS), None)
        if quantifier is None or any(c.dep_ in {"conj", "cc"} for c in children(quantifier)):
            continue
        if _singular_with_plural(noun):
            yield Violation(
                "plural_quantifier_number",
                quantifier.i,
                noun.i + 1,
                f"{quantifier.text!r} asks for a plural noun, but {noun.text!r} is singular",
            )


def possessive_definiteness(doc: Doc) -> Iterator[Violation]:
    """A possessive before its noun takes the indefinite form ("min bil"); the definite form takes the possessive
    after it ("bilen min"): "min bilen" is wrong."""
    require_annotation(doc, "possessive_definiteness", "POS", "DEP")
    lexicon = load_lexicon()
    for noun in with_pos(doc, "NOUN"):
        possessive = next(
            (c for c in children(noun) if c.dep_ in POSSESSIVE_DEPS and c.i < noun.i and c.lower_ in POSSESSIVES),
            None,
        )
        if possessive is None or "Gen" in morph(noun, "Case"):
            continue
        if lexicon.is_definite_noun(noun.lower_):
            yield Violation(
                "possessive_definiteness",
                possessive.i,
                noun.i + 1,
                f"after the possessive {possessive.text!r} the noun takes its indefinite form, not {noun.text!r}",
            )


def demonstrative_definiteness(doc: Doc) -> Iterator[Violation]:
    """A demonstrative takes the definite form of its noun: "denne sommeren", "dette huset", not "denne sommer".
    The fixed "denne gang" is left alone."""
    require_annotation(doc, "demonstrative_definiteness", "POS", "DEP")
    lexicon = load_lexicon()
    for noun in with_pos(doc, "NOUN"):
        demonstrative = next(
            (c for c in children(noun) if c.dep_ == "det" and c.i < noun.i and c.lower_ in DEMONSTRATIVES), None
        )
        form = noun.lower_
        if demonstrative is None or form in DEMONSTRATIVE_IDIOMS or "Gen" in morph(noun, "Case"):
            continue
        if lexicon.is_indefinite_noun(form) and not lexicon.is_definite_noun(form):
            yield Violation(
                "demonstrative_definiteness",
                demonstrative.i,
                noun.i + 1,
                f"after {demonstrative.text!r} the noun takes its definite form, not {noun.text!r}",
            )


def possessive_agreement(doc: Doc) -> Iterator[Violation]:
    """A possessive agrees with its noun in gender and number, before or after it: "mitt hus", "min bil", "mine
    bøker", "kulturen vår" ("mitt leilighet", "mine bil", "kulturen vårt" are wrong). The noun's gender and number
    are read from its form through the lexicon; "hans", "hennes" and "deres" do not inflect."""
    require_annotation(doc, "possessive_agreement", "POS", "DEP")
    for noun in with_pos(doc, "NOUN"):
        possessive = next((c for c in children(noun) if c.lower_ in POSSESSIVE_FORMS), None)
        if possessive is None or "Gen" in morph(noun, "Case") or _coordinated(noun):
            continue
        number, gender = _noun_number_gender(noun.lower_)
        wanted_number, wanted_gender = POSSESSIVE_FORMS[possessive.lower_]
        wrong_number = number is not None and number != wanted_number
        # A singular possessive is wrong with a noun of the other gender whether that noun is singular or plural.
        wrong_gender = wanted_number == "Sing" and number != "Plur" and gender not in {None, wanted_gender}
        if wrong_number or wrong_gender:
            left, right = sorted((possessive.i, noun.i))
            yield Violation(
                "possessive_agreement",
                left,
                right + 1,
                f"the possessive {possessive.text!r} does not agree with {noun.text!r}",
            )


def _coordinated(noun: Token) -> bool:
    return any(c.dep_ in {"conj", "cc"} for c in children(noun))


def _noun_number_gender(form: str) -> tuple[str | None, str | None]:
    """(number, gender class) a noun's form shows, `None` where it does not tell: an indefinite singular lemma of a
    common-gender noun with an -er plural is singular; a definite singular ("-en", "-et") shows its gender; "-ene" is
    plural; forms the lexicon lacks or that can be read two ways give `None`."""
    lexicon = load_lexicon()
    if form in lexicon.noun_lemmas:
        gender = lexicon.noun_gender(form)
        singular = gender == "Com" and lexicon.has_distinct_plural(form)
        return ("Sing" if singular else None), gender
    if not lexicon.is_definite_noun(form):
        return None, None
    if form.endswith("ene"):
        return "Plur", None
    for ending, gender in (("en", "Com"), ("et", "Neut")):
        stem = form[: -len(ending)]
        if form.endswith(ending) and lexicon.noun_gender(stem) == gender:
            return "Sing", gender
    return None, None


def noe_adjective(doc: Doc) -> Iterator[Violation]:
    """An adjective standing for a noun after "noe", "noe så", "ingenting" or "alt" takes the neuter: "noe nytt",
    not "noe ny" ("noe ny mat", where the adjective has its noun, is right)."""
    require_annotation(doc, "noe_adjective", "POS")
    toks = tokens(doc)
    lexicon = load_lexicon()
    for adjective in with_pos(doc, "ADJ"):
        before = toks[adjective.i - 1] if adjective.i else None
        if before is not None and before.lower_ == "så" and adjective.i > 1:
            before = toks[adjective.i - 2]
        if before is None or before.lower_ not in NEUTER_PRONOUNS:
            continue
        after = toks[adjective.i + 1] if adjective.i + 1 < len(toks) else None
        if after is not None and after.pos_ in {"NOUN", "PROPN", "ADJ"}:
            continue
        if lexicon.adjective_gender(adjective.text) == "Com":
            yield Violation(
                "noe_adjective",
                before.i,
                adjective.i + 1,
                f"after {before.text!r} the adjective takes its neuter form, not {adjective.text!r}",
            )
