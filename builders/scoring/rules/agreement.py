"""Agreement rules: the noun phrase agrees in gender, number and definiteness; a predicative adjective agrees
with its subject.

Bokmål noun phrases mark definiteness twice when an adjective or "den/det/de" precedes the noun ("den store
bilen"), use the weak adjective form after a definite or possessive determiner ("min store bil"), and the strong
form otherwise ("en stor bil", "et stort hus", "store biler"). Predicative adjectives take the strong form and agree
with the subject ("huset er stort", "husene er store").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.tokens import Doc, Token

from saga.builders.scoring.lexicon import load_lexicon
from saga.builders.scoring.rules.annotation import children, gender_class, morph, require_annotation, tokens, with_pos
from saga.builders.scoring.violations import Violation

# Determiners used with any gender ("noe vann", "noe mat", "ingen hus") are not checked for gender.
GENDERLESS_DETERMINERS = {"noe", "noen", "ingen", "intet", "selv", "sjøl", "samme", "neste", "forrige"}
# Quantifiers that combine with mass nouns and plurals alike ("litt havregrøt", "for lite virkestoffer").
QUANTIFIERS = {"litt", "lite", "mye", "mer", "mest", "nok", "noe", "noen", "mange", "få", "flere", "færre", "andre"}
INDEFINITE_ARTICLES = {"en", "ei", "et", "én", "ett"}
DEFINITE_DETERMINERS = {"den", "det", "de", "denne", "dette", "disse"}
ARTICLE_DETERMINERS = {"den", "det"}
# A determiner that is part of an adverbial before the noun ("blant annet mais": among other things, maize).
ADVERBIAL_IDIOMS = {("blant", "annet"), ("blant", "andre")}
# Words that license a single-definite noun phrase ("den første gang", "den enkelte meddommer").
SINGLE_DEFINITE_LICENSERS = {
    "enkelte", "eneste", "samme", "neste", "forrige", "hele", "halve", "rette", "nye", "siste", "første", "andre",
    "tredje", "fjerde", "femte", "sjette", "sjuende", "syvende", "åttende", "niende", "tiende", "ytterligere",
}  # fmt: skip
# Nouns of the fixed names that keep single definiteness in Bokmål ("den franske revolusjon", "den katolske kirke",
# "det osmanske rike", "den nordlige halvkule", "den moderne verden"); also as the last part of a compound ("den
# amerikanske borgerkrig").
SINGLE_DEFINITE_NOUNS = (
    "verden", "tidsalder", "revolusjon", "kirke", "republikk", "folk", "krig", "halvøy", "halvkule", "ekspedisjon",
    "rike", "hav", "union", "forbund", "testamente", "samfunn",
)  # fmt: skip
# Licensers that are weak forms of ordinary adjectives: they allow "den nye tid" but agree like any adjective
# ("et nytt hjerte", not "et nye hjerte"), so they stay in the noun phrase's checks.
INFLECTING_LICENSERS = {"nye", "hele", "halve", "rette"}
# Pronoun subjects whose number is vague ("Ingen er uenig", "Noen er sikker").
VAGUE_NUMBER_SUBJECTS = {"ingen", "noen"}
# The gender a singular pronoun subject asks of its predicative adjective ("hun er glad", "det er lurt", not
# "jeg er glatt"); other pronouns ("alt", "noe", "man") are left alone.
PRONOUN_GENDERS = {
    "jeg": "Com", "du": "Com", "han": "Com", "hun": "Com", "den": "Com", "denne": "Com",
    "det": "Neut", "dette": "Neut",
}  # fmt: skip
# The clause an expletive subject stands for ("det er lurt å spørre", "det er klart at ...").
EXTRAPOSED = {"csubj", "ccomp", "xcomp"}
# Endings of adjectives that do not inflect for number ("moderne", "gammeldags", "bra", "avgjørende").
INDECLINABLE_ENDINGS = ("e", "s", "o", "a", "u")


@lru_cache(maxsize=64)
def _np_parts(noun: Token) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """Prenominal determiners and plain positive-degree adjectives of a common noun.

    A modifier separated from the noun by another noun ("en rekke depoter") belongs to that noun, whatever the
    parser says, and one directly before another adjective ("vanskelig tilgjengelige fjellområder") may modify that
    adjective; neither is checked against the noun. An adverbial adjective takes its neuter form, so a common-gender
    form before another adjective is the noun's ("et stor demokratisk underskudd") and is checked. A form mostly
    used as an adverbial is left out before a definite noun where nothing determines the phrase before it ("særlig
    guttene"); before an indefinite one it may be a misinflected adjective ("langt vei", "tett persienner") and
    stays. Memoised: the three noun-phrase rules ask for every noun."""
    toks = tokens(noun.doc)

    def adjacent(word: Token) -> bool:
        between = toks[word.i + 1 : noun.i]
        return not any(t.pos_ in {"NOUN", "PROPN"} for t in between)

    def idiom(word: Token) -> bool:
        return word.i > 0 and (toks[word.i - 1].lower_, word.lower_) in ADVERBIAL_IDIOMS

    dets = tuple(
        c
        for c in children(noun)
        if c.dep_ == "det" and c.pos_ == "DET" and c.i < noun.i and adjacent(c) and not idiom(c)
    )
    adjs = tuple(
        c
        for c in children(noun)
        if c.dep_ == "amod"
        and c.pos_ == "ADJ"
        and c.i < noun.i
        and morph(c, "Degree") == ["Pos"]
        and not morph(c, "VerbForm")
        and not morph(c, "NumType")
        and adjacent(c)
        and (toks[c.i + 1].pos_ != "ADJ" or _form_gender(c) == "Com")
        and (c.lower_ not in SINGLE_DEFINITE_LICENSERS or c.lower_ in INFLECTING_LICENSERS)
        and not (_undetermined_adverbial(c, noun, dets) and _noun_definiteness(noun) == ["Def"])
    )
    return dets, adjs


def _coordinated(word: Token) -> bool:
    """True for a word with coordinated material ("en eller flere destinasjoner"): it need not agree alone."""
    return any(c.dep_ in {"conj", "cc"} for c in children(word))


def _form_gender(word: Token) -> str | None:
    """The gender a word's form shows: from Ordbank for an adjective ("stort" neuter, "stor" common, "fysisk"
    neither), from the tag for a determiner ("et", "en" are unambiguous).

    The tagger guesses an ambiguous adjective's gender from its noun, so its tag can never disagree with the
    noun; only the form can.
    """
    if word.pos_ != "ADJ":
        return gender_class(word)
    if morph(word, "Definite") == ["Def"] or morph(word, "Number") == ["Plur"] or word.lower_ in QUANTIFIERS:
        return None
    return load_lexicon().adjective_gender(word.text)


def _noun_form(noun: Token) -> str:
    """The lower-cased noun without its genitive "-s", which the lexicon does not list ("dommers" → "dommer"), so
    that gender and definiteness are read from the same form. The "-s" stays when only the form with it is a noun
    the lexicon knows ("demens", "rikskrets": the tagger reads the ending as a genitive)."""
    word = noun.lower_
    if "Gen" not in morph(noun, "Case") or not word.endswith("s"):
        return word
    stem = word[:-1]
    return word if _is_listed_noun(word) and not _is_listed_noun(stem) else stem


def _is_listed_noun(word: str) -> bool:
    """True for an Ordbank noun form or a noun the gender table knows, itself or by its last part."""
    lexicon = load_lexicon()
    return word in lexicon.forms_by_pos["noun"] or bool(lexicon.listed_genders(word))


def _noun_gender(noun: Token) -> str | None:
    """A singular noun's gender class, from the treebank's table unless the noun is definite as `_noun_definiteness`
    reads it: an indefinite noun's form does not show its gender, and the tagger reads its tag off the adjective or
    determiner under test ("god verktøy" is tagged masculine) or off its ending ("petroleumsaktivitet" is tagged
    definite neuter). `None` when the table lists the noun in both genders ("et felt", "en felt"; "mathall" by
    "hall"). From the tag otherwise ("huset", "bilen" show it), or when the table does not know the noun."""
    if morph(noun, "Number") == ["Sing"]:
        lexicon = load_lexicon()
        word = _noun_form(noun)
        if lexicon.listed_genders(word) and _noun_definiteness(noun) != ["Def"]:
            return lexicon.noun_gender(word)
    return gender_class(noun)


def _noun_definiteness(noun: Token) -> list[str]:
    """A noun's `Definite` values, read from the form where the tag and the form disagree: "Def" where the tag says
    indefinite but the form is a definite noun form (`Lexicon.is_definite_noun`), since the tagger reads an
    ambiguous noun's definiteness off its article ("en mindretallsregjeringen" is tagged indefinite and agrees);
    "Ind" where a singular tagged definite is a noun lemma (`Lexicon.is_indefinite_noun`), since it reads endings
    such as "-en" and "-tet" as definite ("en ørken", "petroleumsaktivitet"). A capitalised noun inside a sentence
    keeps its tag: a name may be definite in form ("det østlige Middelhavet")."""
    tagged = morph(noun, "Definite")
    lexicon = load_lexicon()
    word = _noun_form(noun)
    if tagged == ["Ind"] and lexicon.is_definite_noun(word):
        return ["Def"]
    name = noun.text[:1].isupper() and not noun.is_sent_start
    singular = morph(noun, "Number") == ["Sing"]
    if tagged == ["Def"] and singular and not name and lexicon.is_indefinite_noun(word):
        return ["Ind"]
    return tagged


def _definite_after_article(word: Token, article: Token) -> bool:
    """True when the head of a phrase with an indefinite article is a definite noun form by its spelling.

    Besides `Lexicon.is_definite_noun`, a neuter definite form in "-et" that is also a participle counts after
    "et" ("et smykket", "et intervjuet"): the tagger reads such a word as a participle or an indefinite noun from
    the article, but a phrase "et" + participle has no noun to be indefinite. A noun or adjective right after the
    word means the parser left the phrase's real head unattached ("et tegnet kart"), so nothing is claimed then."""
    lexicon = load_lexicon()
    lower = word.lower_
    following = tokens(word.doc)[word.i + 1] if word.i + 1 < len(word.doc) else None
    if following is not None and following.pos_ in {"NOUN", "PROPN", "ADJ"}:
        return False
    participle = article.lower_ == "et" and lower.endswith("et") and lower in lexicon.definite_nouns
    return participle or lexicon.is_definite_noun(lower)


def _indefinite_articles(word: Token, dets: Iterable[Token]) -> list[Token]:
    """The indefinite articles ("en", "ei", "et") among `dets` that stand before `word`."""
    return [d for d in dets if d.lower_ in INDEFINITE_ARTICLES and "Art" in morph(d, "PronType") and d.i < word.i]


def _genitive_between(noun: Token, word: Token) -> bool:
    """True when a genitive ("de rødgrønnes budsjettforslag") sits between `word` and `noun`; the determiner
    then belongs to the genitive, not to the noun."""
    return any(c.dep_ == "nmod:poss" or "Gen" in morph(c, "Case") for c in children(noun) if word.i < c.i < noun.i)


def _is_definite_np(noun: Token, dets: tuple[Token, ...]) -> bool:
    """A noun phrase is definite when the noun is, or a definite/possessive/genitive word determines it."""
    if _noun_definiteness(noun) == ["Def"]:
        return True
    if any(d.lower_ in DEFINITE_DETERMINERS for d in dets):
        return True
    return any(c.dep_ == "nmod:poss" and c.i < noun.i for c in children(noun))


def _licenses_single_definite(noun: Token) -> bool:
    """True when formal Bokmål allows "den/det/de" with an indefinite noun: before a restrictive relative clause
    ("de handlinger som ..."), with an ordinal, superlative or "enkelte"-type adjective ("det første eksempel"),
    before a name ("den romerske keiser Konstantin"), or in a fixed name (`SINGLE_DEFINITE_NOUNS`)."""
    if noun.lower_.endswith(SINGLE_DEFINITE_NOUNS):
        return True
    for child in children(noun):
        if child.pos_ == "PROPN" and child.i > noun.i:
            return True
        if child.dep_ == "acl:relcl" or child.lower_ in SINGLE_DEFINITE_LICENSERS:
            return True
        if child.dep_ == "amod" and (morph(child, "NumType") or morph(child, "Degree") == ["Sup"]):
            return True
    return False


def _tagged_strength(adj: Token, determined: bool) -> str | None:
    """`"weak"` or `"strong"` from the tagger's Definite/Number, for adjectives whose form does not tell.

    `None` for an indeclinable ending where something determines the phrase before it (`_determined_before`):
    "det partioverskridende flertallet", "sitt fremragende bidrag" are right whatever the tag. Without one the tag
    is kept, so a bare definite noun after one is still flagged ("høyre sida", "felles sikkerheten" lack their
    "den", "det")."""
    if determined and adj.lower_.endswith(INDECLINABLE_ENDINGS):
        return None
    if morph(adj, "Definite") == ["Def"]:
        return "weak"
    if morph(adj, "Definite") == ["Ind"] and morph(adj, "Number") == ["Sing"]:
        return "strong"
    return None


def _determined_before(adj: Token, noun: Token, dets: tuple[Token, ...]) -> bool:
    """True when something determines the phrase before `adj`: one of its noun's determiners, a possessive of the
    noun, or a determiner, pronoun or genitive just before it that the parser attached elsewhere ("de rødgrønnes
    store ...")."""
    if any(d.i < adj.i for d in dets) or any(c.dep_ == "nmod:poss" and c.i < adj.i for c in children(noun)):
        return True
    previous = tokens(adj.doc)[adj.i - 1] if adj.i > 0 else None
    return previous is not None and (previous.pos_ in {"DET", "PRON"} or "Gen" in morph(previous, "Case"))


def _undetermined_adverbial(adj: Token, noun: Token, dets: tuple[Token, ...]) -> bool:
    """True for an adjective form the treebank mostly uses as an adverbial (`Lexicon.adverbial_adjectives`:
    "særlig", "spesielt", "veldig") when nothing before it determines the phrase: "Det er særlig guttene som ...".
    After a determiner, possessive or genitive it is the noun's adjective ("den spesielle grunnen")."""
    return adj.lower_ in load_lexicon().adverbial_adjectives and not _determined_before(adj, noun, dets)


# What may stand between an adjective and its noun or determiner ("landets mest seriøse avis", "Norges første
# brede og varige borgerlige koalisjonsregjering").
PRENOMINAL_FILLERS = {"ADJ", "ADV", "CCONJ"}
# Words before an adjective run that leave its noun phrase without a determiner ("med farlig inneluft").
OPEN_LEFT = {"ADP", "VERB", "AUX", "SCONJ"}


def _contiguous(adj: Token, noun: Token) -> bool:
    """True when only adjectives, adverbs and conjunctions stand between an adjective and its noun; otherwise the
    attachment is more likely the parser's error than the writer's ("... er deterministiske) var en utbredt ...")."""
    return all(t.pos_ in PRENOMINAL_FILLERS for t in tokens(adj.doc)[adj.i + 1 : noun.i])


def _bare(adj: Token, noun: Token) -> bool:
    """True when nothing determines the phrase: the adjective run starts the sentence or follows a preposition,
    verb or conjunction, holds no superlative or ordinal ("beste kvinnelige hovedrolle", "det 31. egyptiske
    dynasti"), and reaches the noun with nothing else between. A genitive the parser did not attach to the noun
    ("landets midlertidige president"), a comma or a bracket leaves the phrase undecided, and it is not checked."""
    toks = tokens(adj.doc)
    if not _contiguous(adj, noun):
        return False
    start = adj.i
    while start > adj.sent.start and toks[start - 1].pos_ in PRENOMINAL_FILLERS:
        start -= 1
    run = toks[start : noun.i]
    if any(morph(t, "Degree") == ["Sup"] or morph(t, "NumType") or t.lower_ in SINGLE_DEFINITE_LICENSERS for t in run):
        return False
    return start == adj.sent.start or toks[start - 1].pos_ in OPEN_LEFT


def _number_hidden(noun: Token) -> bool:
    """True for an indefinite noun without a distinct plural in Ordbank ("hus", "fremskritt", or a compound
    Ordbank lacks): singular and plural may look the same, so the tagger's number for it may come from the
    adjective under test. The tagger's gender is no guide; it too is read from the context."""
    return morph(noun, "Definite") == ["Ind"] and not load_lexicon().has_distinct_plural(noun.lower_)


def _allowed_genders(noun: Token, gender: str) -> set[str | None]:
    """The genders a noun's determiner or adjective may have: the noun's, and also the next noun's where the parser
    made the noun its modifier. That covers a measure noun, which the determiner agrees with ("et glass vann"), and
    a misparsed modifier, where it agrees with the next noun ("et fullskala renseanlegg", "et nytt østlandsk
    parti"); a word that agrees with neither is wrong either way ("en glass vann"). A genitive keeps its own
    determiner ("en dommers besøk")."""
    head = noun.head
    if head.i == noun.i + 1 and head.pos_ == "NOUN" and "Gen" not in morph(noun, "Case"):
        return {gender, _noun_gender(head)}
    return {gender}


def np_gender_agreement(doc: Doc) -> Iterator[Violation]:
    """A singular determiner or strong adjective has the gender of its noun ("et bil", "en stort hus" are wrong).

    Adjectives are checked in indefinite phrases only: in a definite one they take the weak form, which has no
    gender ("den store bilen"), and a strong form there is `np_definiteness`'s; a strong form before a bare definite
    noun is most often a preposition ("nær hjemstedet").
    """
    require_annotation(doc, "np_gender_agreement", "POS", "MORPH", "DEP")
    for noun in with_pos(doc, "NOUN"):
        noun_gender = _noun_gender(noun)
        if noun.pos_ != "NOUN" or noun_gender is None or morph(noun, "Number") != ["Sing"]:
            continue
        allowed = _allowed_genders(noun, noun_gender)
        dets, adjs = _np_parts(noun)
        modifiers = [d for d in dets if d.lower_ not in GENDERLESS_DETERMINERS and not _coordinated(d)]
        if _is_definite_np(noun, dets):
            adjs = ()
        for word in (*modifiers, *adjs):
            word_gender = _form_gender(word)
            if word_gender is not None and word_gender not in allowed and morph(word, "Number") != ["Plur"]:
                yield Violation(
                    "np_gender_agreement",
                    min(word.i, noun.i),
                    noun.i + 1,
                    f"{word.text!r} is {word_gender.lower()} but {noun.text!r} is {noun_gender.lower()}",
                )


def np_number_agreement(doc: Doc) -> Iterator[Violation]:
    """Determiners, adjectives and numerals agree in number with the noun ("en biler", "to bil" are wrong)."""
    require_annotation(doc, "np_number_agreement", "POS", "MORPH", "DEP")
    for noun in with_pos(doc, "NOUN"):
        number = morph(noun, "Number")
        if noun.pos_ != "NOUN" or len(number) != 1 or "Gen" in morph(noun, "Case"):
            continue
        dets, adjs = _np_parts(noun)
        for word in (*dets, *adjs):
            if "Gen" in morph(word, "Case") or _genitive_between(noun, word) or _coordinated(word):
                continue
            if word.lower_ in QUANTIFIERS:
                continue
            word_number = morph(word, "Number")
            # Weak adjectives ("store") look the same in singular and plural; only strong forms show number. Where
            # Ordbank tells the form's strength, it overrides the tags (the tagger reads "lang perioder" as plural);
            # a strong form in a definite phrase is `np_definiteness`'s.
            strength = load_lexicon().adjective_strength(word.text) if word.pos_ == "ADJ" else None
            if strength == "strong" and not _is_definite_np(noun, dets):
                word_number = ["Sing"]
            tagged_weak = not strength and morph(word, "Definite") != ["Ind"]
            ambiguous = word.pos_ == "ADJ" and (strength == "weak" or tagged_weak)
            if len(word_number) == 1 and word_number != number and not ambiguous:
                yield Violation(
                    "np_number_agreement",
                    word.i,
                    noun.i + 1,
                    f"{word.text!r} is {word_number[0].lower()} but {noun.text!r} is {number[0].lower()}",
                )
        for numeral in children(noun):
            numeral_number = morph(numeral, "Number")
            if numeral.dep_ != "nummod" or numeral.pos_ != "NUM" or numeral.i > noun.i or len(numeral_number) != 1:
                continue
            if numeral_number != number and numeral.lower_.isalpha():
                yield Violation(
                    "np_number_agreement",
                    numeral.i,
                    noun.i + 1,
                    f"after {numeral.text!r} the noun {noun.text!r} should be {numeral_number[0].lower()}",
                )


def np_definiteness(doc: Doc) -> Iterator[Violation]:
    """Definiteness is marked consistently inside the noun phrase.

    "en bilen" (indefinite article, definite noun), "den store bil" (no double definiteness), "den stor bilen"
    (strong adjective in a definite phrase) and "en store bil" (weak adjective after an indefinite article) are
    wrong. A noun with a restrictive relative clause may drop its suffix in formal style ("de handlinger som ...").
    """
    require_annotation(doc, "np_definiteness", "POS", "MORPH", "DEP")
    for adj in with_pos(doc, "ADJ"):
        articles = _indefinite_articles(adj, (c for c in children(adj) if c.dep_ == "det"))
        if articles and _definite_after_article(adj, articles[0]):
            message = f"indefinite {articles[0].text!r} with the definite noun {adj.text!r}"
            yield Violation("np_definiteness", articles[0].i, adj.i + 1, message)
    for noun in with_pos(doc, "NOUN"):
        if noun.pos_ != "NOUN":
            continue
        dets, adjs = _np_parts(noun)
        noun_def = _noun_definiteness(noun)
        articles = _indefinite_articles(noun, dets)
        if articles and (noun_def == ["Def"] or _definite_after_article(noun, articles[0])):
            yield Violation(
                "np_definiteness",
                articles[0].i,
                noun.i + 1,
                f"indefinite {articles[0].text!r} with the definite noun {noun.text!r}",
            )
            continue
        # Double definiteness is checked where it is the norm: "den/det" + adjective + singular noun ("den store
        # bilen"). Formal Bokmål keeps single definiteness in plurals and after demonstratives ("de nordiske
        # land", "dette tema", "det faktum"), so those are not flagged.
        definite_dets = [
            d for d in dets if d.lower_ in ARTICLE_DETERMINERS and not _genitive_between(noun, d) and d.i < noun.i
        ]
        single = noun_def == ["Ind"] and morph(noun, "Number") == ["Sing"] and adjs
        if definite_dets and single and not _licenses_single_definite(noun):
            yield Violation(
                "np_definiteness",
                definite_dets[0].i,
                noun.i + 1,
                f"{definite_dets[0].text!r} needs the definite form of {noun.text!r} (double definiteness)",
            )
        # The adjectives are checked either way: "den stor verden" has a strong adjective besides the bare noun.
        definite = _is_definite_np(noun, dets)
        # A bare singular noun phrase takes the strong form too ("farlig inneluft"), but only the form, not a tag,
        # is trusted to show a weak adjective there; a neuter noun like "hus" may be plural ("store hus").
        bare_singular = not definite and morph(noun, "Number") == ["Sing"] and not _number_hidden(noun)
        for adj in adjs:
            if adj.lower_ in QUANTIFIERS:
                continue
            form = load_lexicon().adjective_strength(adj.text)
            strength = form or _tagged_strength(adj, _determined_before(adj, noun, dets))
            if definite and strength == "strong":
                message = f"the adjective {adj.text!r} needs its weak (-e) form in the definite phrase"
            elif articles and strength == "weak" and morph(noun, "Number") == ["Sing"] and _contiguous(adj, noun):
                message = f"the adjective {adj.text!r} needs its strong form after {articles[0].text!r}"
            elif bare_singular and form == "weak" and _bare(adj, noun):
                message = f"the adjective {adj.text!r} needs its strong form before the indefinite {noun.text!r}"
            else:
                continue
            yield Violation("np_definiteness", adj.i, noun.i + 1, message)


def _extraposed(clause: Token) -> bool:
    """True for a clause an expletive or pronoun subject stands for: a subject or object clause, or an infinitive
    the parser attached as an adverbial ("det var vondt å oppleve")."""
    if clause.dep_ in EXTRAPOSED:
        return True
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "å" for c in children(clause))


def predicative_agreement(doc: Doc) -> Iterator[Violation]:
    """A predicative adjective after a copula agrees with the subject ("huset er stort", "husene er store")."""
    require_annotation(doc, "predicative_agreement", "POS", "MORPH", "DEP")
    for adj in with_pos(doc, "ADJ"):
        if morph(adj, "Degree") != ["Pos"] or morph(adj, "VerbForm"):
            continue
        # A predicate with its own preposition or determiner ("blant de få") is a phrase, not a bare adjective.
        if not any(c.dep_ == "cop" for c in children(adj)) or any(c.dep_ in {"case", "det"} for c in children(adj)):
            continue
        subject = next((c for c in children(adj) if c.dep_ in {"nsubj", "nsubj:pass"}), None)
        if subject is None and any(_extraposed(c) for c in children(adj)):
            # An expletive "det" before an extraposed clause ("det er lurt å spørre") takes the neuter singular.
            subject = next((c for c in children(adj) if c.dep_ == "expl" and c.lower_ == "det"), None)
        adj_number = morph(adj, "Number")
        if load_lexicon().adjective_strength(adj.text) == "strong":
            adj_number = ["Sing"]  # a strong form is singular, whatever the tagger read from the subject
        if subject is None or subject.pos_ not in {"NOUN", "PRON"} or len(adj_number) != 1:
            continue
        if subject.lower_ in VAGUE_NUMBER_SUBJECTS:
            continue
        subject_number = morph(subject, "Number")
        span = (min(subject.i, adj.i), max(subject.i, adj.i) + 1)
        # "Pannekaker er godt": a neuter singular predicate about an indefinite plural is the generic construction.
        indefinite_plural = subject_number == ["Plur"] and morph(subject, "Definite") != ["Def"]
        generic = indefinite_plural and _form_gender(adj) == "Neut"
        indeclinable = adj_number == ["Sing"] and adj.lower_.endswith(INDECLINABLE_ENDINGS)
        if len(subject_number) == 1 and subject_number != adj_number and not generic and not indeclinable:
            yield Violation(
                "predicative_agreement",
                *span,
                f"the predicative {adj.text!r} is {adj_number[0].lower()} but the subject {subject.text!r} is"
                f" {subject_number[0].lower()}",
            )
            continue
        adj_gender = _form_gender(adj)
        # A pronoun's gender is checked only where the adjective ends its phrase ("han er sterkt imot" is an adverb)
        # or, after an expletive, where the extraposed clause follows ("det er fint å bo her").
        ends = subject.dep_ == "expl" or all(c.pos_ == "PUNCT" or _extraposed(c) for c in children(adj) if c.i > adj.i)
        pronoun_gender = PRONOUN_GENDERS.get(subject.lower_) if ends else None
        subject_gender = _noun_gender(subject) if subject.pos_ == "NOUN" else pronoun_gender
        genders_known = adj_gender is not None and subject_gender is not None
        if subject_number == ["Sing"] and genders_known and adj_gender != subject_gender:
            yield Violation(
                "predicative_agreement",
                *span,
                f"the predicative {adj.text!r} is {adj_gender.lower()} but the subject {subject.text!r} is"
                f" {subject_gender.lower()}",
            )
