"""Norwegian Bokmål word forms from Norsk Ordbank, used to spot likely misspellings, and the genders of nouns and
adjectives the agreement rules read from the words rather than from the tagger.

The forms come from `spacy-lookups-data` (tables `nb` `lemma_exc` and `lemma_lookup`), which extracted them from
Norsk Ordbank bokmål 2005 (updated 2018-06-27), CLARINO NB – Språkbanken, Nasjonalbiblioteket, licensed CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/). Ordbank has no gender column, but a noun's definite singular shows
its gender ("verktøyet" neuter, "operasjonen" common); the Norwegian Dependency Treebank's counts
(`builders/scoring/genders.py`, annotations CC0) veto the homographs ("rom", "ris") and add the neuter adjective forms
Ordbank files under a verb. `ATTRIBUTION` repeats this for dataset cards.

Ordbank lists lemmas' inflected forms but not the productive parts of Bokmål spelling: compounds ("voldspotensial"),
genitives ("landets"), hyphenated words ("Høyre-velgerne"), abbreviations written without their period ("jf", "nr").
`is_known` accepts those when their parts are known. A compound's first part may be a word of its own, or a part
that Ordbank lists only inside compounds ("hoved-", "mikro-", "medie-"), read from Ordbank's own compound nouns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cached_property, lru_cache
from importlib.metadata import version
from importlib.resources import files

from spacy.lookups import Table, load_lookups

from saga.builders.scoring.genders import read_genders
from saga.versions import file_sha256

ATTRIBUTION = (
    "word forms from Norsk Ordbank bokmål 2005 (CLARINO NB – Språkbanken, Nasjonalbiblioteket), CC BY 4.0, "
    "via spacy-lookups-data, and noun and adjective genders counted from the Norwegian Dependency Treebank "
    "(National Library of Norway), CC0"
)
BUNDLED_GENDERS = files("saga.assets") / "scorer" / "genders_v1.json"
OPEN_CLASSES = ("noun", "verb", "adj", "adv")
# Shortest compound part considered: two-letter words ("is", "bo") would split almost any typo into "known" parts.
MIN_COMPOUND_PART = 3
# Shortest last part a compound noun's gender is read from: three-letter nouns end too many unrelated words
# ("fal-sum", "pressluft-bor").
MIN_GENDER_HEAD = 4
# Linking elements between compound parts ("gjerning-s-beskrivelse", "barn-e-hage").
LINKING_LETTERS = ("s", "e")
# A first part that is no word of its own counts when it begins at least this many Ordbank compound nouns whose rest
# is a noun lemma (of `MIN_BOUND_PART_TAIL` letters or more) and that split no other way; 10 keeps the 16 real ones
# ("hoved", "sam", "mikro", "erke", ...), and lower counts let in pieces of words ("skr-amme").
MIN_BOUND_PART_COMPOUNDS = 10
MIN_BOUND_PART_TAIL = 5
VOWELS = frozenset("aeiouyæøå")
# Endings of definite noun forms after the stem: singular common, neuter, feminine; plural.
DEFINITE_ENDINGS = ("en", "et", "a", "ene")
# Adjectives whose form does not show the phrase's definiteness: strong after a possessive or definite determiner
# ("min egen bil", "den annen verdenskrig"), weak in the vocative ("kjære venn").
STRENGTH_EXCEPTIONS = {"egen", "annen", "kjær"}


def neuter_forms(lemma: str) -> set[str]:
    """Candidate neuter forms of an adjective lemma: stor → stort, ny → nytt, grønn → grønt."""
    candidates = {lemma + "t", lemma + "tt"}
    if len(lemma) > 2 and lemma[-1] == lemma[-2]:
        candidates.add(lemma[:-1] + "t")
    return candidates


def contracted_stems(lemma: str) -> set[str]:
    """The stems a lemma in unstressed -el, -en, -er keeps before an ending that drops its e, with and without the
    doubled consonant: gammel → gamml, gaml ("gamle"); sykkel → sykkl, sykl ("syklen"); empty for other lemmas."""
    if not (len(lemma) > 3 and lemma[-2] == "e" and lemma[-1] in "lnr"):
        return set()
    stem = lemma[:-2]
    single = stem[:-1] if stem[-1] == stem[-2] else stem  # gamm-el → gam-l
    return {stem + lemma[-1], single + lemma[-1]}


def weak_forms(lemma: str) -> set[str]:
    """Candidate weak (definite or plural) forms of an adjective lemma: stor → store, tom → tomme, åpen → åpne,
    gammel → gamle, avslappet → avslappete / avslappede; callers keep the ones Ordbank lists."""
    candidates = {lemma + "e", lemma + lemma[-1] + "e"} | {stem + "e" for stem in contracted_stems(lemma)}
    if lemma.endswith("et"):
        candidates.add(lemma[:-1] + "de")
    return candidates


class Lexicon:
    """Membership test for Bokmål word forms, with compound, genitive and hyphen handling.

    Args:
        forms_by_pos (`dict[str, frozenset[str]]`): lower-cased inflected forms of open-class words by word class
            (`"noun"`, `"verb"`, `"adj"`, `"adv"`).
        function_words (`Table`): spaCy lookup table of closed-class forms (keys are hashed strings).
        adjective_lemmas (`dict[str, frozenset[str]]`, *optional*): lower-cased adjective form → its lemmas,
            for `adjective_gender` and `adjective_strength`.
        noun_lemmas (`frozenset[str]`, *optional*): lower-cased nouns that are lemmas of their own, for
            `has_distinct_plural`.
        noun_genders (`dict[str, str | None]`, *optional*): lower-cased noun lemma → `"Neut"`, `"Com"` or `None`
            (used in both), for `noun_gender` and `listed_genders`.
        definite_nouns (`frozenset[str]`, *optional*): lower-cased definite noun forms, for `is_definite_noun`.
        adverbial_adjectives (`frozenset[str]`, *optional*): lower-cased adjective forms mostly used as adverbials
            in the treebank ("særlig", "veldig"), from the gender table.
        names (`frozenset[str]`, *optional*): lower-cased forms Ordbank lists only with a capital ("norge",
            "nairobi"): names, which a capital inside a sentence does not make wrong and lower case does.

    Example:
        ```python
        >>> lexicon = load_lexicon()
        >>> lexicon.is_known("regjeringskontorene"), lexicon.is_known("huzet")
        (True, False)
        ```
    """

    def __init__(
        self,
        forms_by_pos: dict[str, frozenset[str]],
        function_words: Table,
        adjective_lemmas: dict[str, frozenset[str]] | None = None,
        noun_lemmas: frozenset[str] = frozenset(),
        noun_genders: dict[str, str | None] | None = None,
        definite_nouns: frozenset[str] = frozenset(),
        adverbial_adjectives: frozenset[str] = frozenset(),
        names: frozenset[str] = frozenset(),
    ):
        self.forms_by_pos = forms_by_pos
        # One set of every open-class form: membership is asked for every word and every compound split.
        self.open_class_forms = frozenset().union(*forms_by_pos.values())
        self.function_words = function_words
        self.adjective_lemmas = adjective_lemmas or {}
        self.noun_lemmas = noun_lemmas
        self.noun_genders = noun_genders or {}
        self.definite_nouns = definite_nouns
        self.adverbial_adjectives = adverbial_adjectives
        self.names = names

    def __contains__(self, word: str) -> bool:
        return self.is_open_class(word) or word in self.function_words

    def is_open_class(self, word: str) -> bool:
        """True when `word` (lower-cased) is a noun, verb, adjective or adverb form."""
        return word in self.open_class_forms

    @lru_cache(maxsize=200_000)  # noqa: B019 - one Lexicon lives per process; the cache is the point.
    def is_known(self, word: str) -> bool:
        """True when `word` (any case) is an Ordbank form, a genitive of one, a compound of them, or hyphenated
        with a known last part.

        Args:
            word (`str`): one token's text.
        """
        lower = word.lower()
        if lower in self:
            return True
        if "-" in lower:
            last = lower.rstrip("-").rsplit("-", 1)[-1]
            return not last or self.is_known(last)
        if lower.endswith("s") and len(lower) >= MIN_COMPOUND_PART and lower[:-1] in self:
            return True
        if lower + "." in self.function_words:
            return True
        return self._is_compound(lower, depth=2)

    @lru_cache(maxsize=50_000)  # noqa: B019 - as for `is_known`
    def adjective_gender(self, word: str) -> str | None:
        """The gender a strong singular adjective form shows: `"Neut"` for "stort", "nytt", `"Com"` for "stor",
        `None` when the form is the same in both genders ("fysisk", "viktig", "moderne", "lett").

        Read from the form and Ordbank rather than from the tagger, which guesses an ambiguous adjective's gender
        from its noun and so can never see a mismatch.

        Args:
            word (`str`): the adjective as written.
        """
        lower = word.lower()
        lemmas = self.adjective_lemmas.get(lower)
        if not lemmas:
            return None
        if lower not in lemmas:
            # An inflected form: neuter when it is its lemma's neuter ("stort", "nytt", "grønt").
            return "Neut" if any(lower in neuter_forms(lemma) for lemma in lemmas) else None
        # A base form ("stor") is common gender when the lemma has a distinct neuter ("lett" does not); base
        # forms in -e ("ekte", "moderne") never inflect.
        if lower.endswith("e"):
            return None
        distinct = any(lower in self.adjective_lemmas.get(n, ()) for n in neuter_forms(lower) if n != lower)
        return "Com" if distinct else None

    def noun_gender(self, noun: str) -> str | None:
        """`"Neut"` or `"Com"` for a lower-cased noun lemma, or for a compound by its known last parts after a known
        first part, when they agree ("vannverktøy" → "verktøy"); `None` for a noun used in both genders ("kurs",
        "spark"), for a compound whose splits disagree ("beredskapsteam") and for unknown words.

        Read from the lexicon rather than from the tagger, which guesses an indefinite noun's gender from the
        adjective or determiner before it ("god verktøy" is tagged masculine).

        Args:
            noun (`str`): a noun as written, lower-cased.
        """
        genders = self.listed_genders(noun)
        return next(iter(genders)) if len(genders) == 1 else None

    @lru_cache(maxsize=50_000)  # noqa: B019 - as for `is_known`
    def listed_genders(self, noun: str) -> frozenset[str | None]:
        """The genders the gender table gives a lower-cased noun, or the known last parts of it after a known first
        part (`None` for a noun used in both): empty when the table has neither ("xqzt"), `{None}` for "felt" and
        "mathall" (by "hall"), two genders for splits that disagree ("beredskap-steam", "beredskaps-team").

        Why: `noun_gender` is `None` both for a noun the table lacks and for one it lists in both genders. Only the
        first should fall back to the tagger's gender, which it reads off the context.

        Args:
            noun (`str`): a noun as written, lower-cased.
        """
        if noun in self.noun_genders:
            return frozenset({self.noun_genders[noun]})
        if "-" in noun:
            return self.listed_genders(noun.rsplit("-", 1)[1])
        return frozenset(self.noun_genders[last] for last in self._compound_heads(noun) if last in self.noun_genders)

    @lru_cache(maxsize=50_000)  # noqa: B019 - as for `is_known`
    def is_definite_noun(self, word: str) -> bool:
        """True for a lower-cased definite noun form ("regjeringen", "tilbudet", "jenta", "bilene"), or a compound
        whose known last parts are all definite after a known first part ("mindretallsregjeringen").

        False for forms that are also adjectives or participles ("voksen", "tegnet": the tagger tells those apart
        better than the form) and for unknown words. Read from the form because the tagger reads an ambiguous
        noun's definiteness off its article: "en mindretallsregjeringen" is tagged indefinite.

        Args:
            word (`str`): a noun as written, lower-cased.
        """
        if word in self.definite_nouns:
            return self._listed_definite(word)
        if "-" in word:
            return self.is_definite_noun(word.rsplit("-", 1)[1])
        return self._all_noun_heads(word, self._listed_definite)

    @lru_cache(maxsize=50_000)  # noqa: B019 - as for `is_known`
    def is_indefinite_noun(self, word: str) -> bool:
        """True for a lower-cased noun lemma, Ordbank's indefinite singular ("ørken", "dekret", "gren"), or a compound
        whose known last parts are all lemmas after a known first part ("petroleumsaktivitet", "atomkjerne").

        The twin of `is_definite_noun`: the tagger reads endings such as "-en", "-et" or "-tet" as definite, so
        "en ørken" and "et dekret" are tagged definite and would disagree with their article. False for a form that
        may also be definite: a definite form of any noun ("teksten", which also splits as "tek" + "sten"), or a
        lemma that is another lemma plus a definite ending ("tapet": "tap" + "et").

        Args:
            word (`str`): a noun as written, lower-cased.
        """
        if word in self.definite_nouns or self._ends_like_definite(word):
            return False
        if word in self.noun_lemmas:
            return True
        if "-" in word:
            return self.is_indefinite_noun(word.rsplit("-", 1)[1])
        return self._all_noun_heads(word, self.noun_lemmas.__contains__)

    def _ends_like_definite(self, word: str) -> bool:
        """True when `word` is a noun lemma plus a definite ending ("tapet", "eden"; "-t" after -e: "eplet")."""
        stems = (word[: -len(ending)] for ending in DEFINITE_ENDINGS if word.endswith(ending))
        return any(stem in self.noun_lemmas or stem + "e" in self.noun_lemmas for stem in stems)

    def _listed_definite(self, word: str) -> bool:
        return word in self.definite_nouns and word not in self.forms_by_pos["adj"]

    def _all_noun_heads(self, word: str, test: Callable[[str], bool]) -> bool:
        """True when `word` has a last part that is a noun form (`_compound_heads`) and every such part passes
        `test`: a compound is read by its head only when all its splits agree."""
        nouns = self.forms_by_pos["noun"]
        return {test(last) for last in self._compound_heads(word) if last in nouns} == {True}

    def _compound_heads(self, word: str) -> Iterator[str]:
        """The last parts (at least `MIN_GENDER_HEAD` letters) `word` may end in after a first part that is a word
        of its own: a compound guess ("kontrapunk" + "tikk") is too loose for reading a gender or definiteness."""
        for cut in range(MIN_COMPOUND_PART, len(word) - MIN_GENDER_HEAD + 1):
            first, last = word[:cut], word[cut:]
            if any(len(stem) >= MIN_COMPOUND_PART and stem in self for stem in _linked_stems(first)):
                yield last

    def has_distinct_plural(self, noun: str) -> bool:
        """True when Ordbank lists an -er/-r plural of a lower-cased noun ("bil" → "biler"); False for "hus",
        "fremskritt", "opprør" (plural = singular; "opprører" is a noun of its own) and for nouns it lacks."""
        nouns = self.forms_by_pos["noun"]
        plurals = (noun + "er", noun + "r")
        return noun in nouns and any(p in nouns and p not in self.noun_lemmas for p in plurals)

    @lru_cache(maxsize=50_000)  # noqa: B019 - as for `is_known`
    def adjective_strength(self, word: str) -> str | None:
        """`"weak"` for an adjective's -e form ("store", "farlige", "gamle"), `"strong"` for its base or neuter
        form ("stor", "stort", "farlig") when Ordbank lists a distinct -e form; `None` when the form does not tell
        (indeclinable "moderne", "bra", "grå" — whose -e form is optional —, comparatives "større", unknown
        words, "egen", "annen").

        Read from the form rather than from the tagger, which guesses an ambiguous form's definiteness and number
        from its noun phrase ("et uutforskete område" is tagged indefinite singular), so its tags agree with the
        phrase even where the word does not.

        Args:
            word (`str`): the adjective as written.
        """
        lower = word.lower()
        lemmas = self.adjective_lemmas.get(lower)
        if not lemmas or any(lemma.endswith(("e", "å")) or lemma in STRENGTH_EXCEPTIONS for lemma in lemmas):
            return None
        adjectives = self.forms_by_pos["adj"]
        weak = {form for lemma in lemmas for form in weak_forms(lemma) if form in adjectives}
        if lower in weak:
            return "weak"
        strong = {form for lemma in lemmas for form in {lemma, *neuter_forms(lemma)}}
        return "strong" if weak and lower in strong else None

    def _is_compound(self, word: str, depth: int) -> bool:
        """True when `word` splits into a known (compound or bound) first part, an optional linking letter and a
        known last part.

        Bokmål writes a consonant once where a first part ending in it doubled meets a last part starting with it
        ("nett" + "tjenester" → "nettjenester"), so after a doubled consonant the last part may begin with a third.
        """
        for cut in range(len(word) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            tails = [tail, head[-1] + tail] if head[-1] == head[-2] and head[-1] not in VOWELS else [tail]
            if not any(self.is_open_class(t) or (t.endswith("s") and self.is_open_class(t[:-1])) for t in tails):
                continue
            for stem in _linked_stems(head):
                if len(stem) >= MIN_COMPOUND_PART and (
                    stem in self or stem in self.bound_parts or (depth > 1 and self._is_compound(stem, 1))
                ):
                    return True
        return False

    @cached_property
    def bound_parts(self) -> frozenset[str]:
        """First parts that Ordbank lists only inside compounds ("hoved" of "hovedstad", "mikro", "medie").

        Counted over Ordbank's noun lemmas: a part counts when it is no word of its own (nor one with a linking
        letter) and at least `MIN_BOUND_PART_COMPOUNDS` nouns split into it and a noun lemma, and into known words
        no other way ("utblinking" is "ut" + "blinking", which says nothing about "utb").
        """
        compounds: dict[str, set[str]] = {}
        for noun in self.noun_lemmas:
            for cut in range(MIN_COMPOUND_PART, len(noun) - MIN_BOUND_PART_TAIL + 1):
                head, tail = noun[:cut], noun[cut:]
                if (
                    tail in self.noun_lemmas
                    and "-" not in head
                    and not any(stem in self for stem in _linked_stems(head))
                    and not self._splits_elsewhere(noun, cut)
                ):
                    compounds.setdefault(head, set()).add(tail)
        return frozenset(head for head, tails in compounds.items() if len(tails) >= MIN_BOUND_PART_COMPOUNDS)

    def _splits_elsewhere(self, word: str, cut: int) -> bool:
        """True when `word` splits at another place than `cut` into a known first part (two letters are enough
        here, linking letter allowed) and a known open-class form."""
        return any(
            other != cut
            and self.is_open_class(word[other:])
            and any(len(stem) >= 2 and stem in self for stem in _linked_stems(word[:other]))
            for other in range(2, len(word) - 2)
        )


def _linked_stems(part: str) -> list[str]:
    """A compound's first part as written and without its linking letter ("gjernings" → "gjerning")."""
    return [part] + [part[:-1] for link in LINKING_LETTERS if part.endswith(link)]


def _confirmed_neuter_lemmas(
    adjectives: dict[str, frozenset[str]], neuters: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Adjective forms Ordbank lists only under a verb ("nytt" under "nyte", "klart" under "klare") with the
    adjective they are the neuter of added to their lemmas, where the treebank tags the form neuter; without it
    "ny" and "nytt" show no gender. The treebank's word decides, not the spelling alone: "lett" is not "le"'s."""
    lemmas = {form for form, of in adjectives.items() if form in of}
    added: dict[str, set[str]] = {}
    for lemma in sorted(lemmas):
        for form in neuter_forms(lemma) & neuters:
            if form != lemma and form in adjectives and not adjectives[form] & lemmas:
                added.setdefault(form, set(adjectives[form])).add(lemma)
    return {form: frozenset(of) for form, of in added.items()}


def definite_genders(noun_forms: dict[str, list[str]]) -> dict[str, str | None]:
    """Noun lemma → gender class read from Ordbank's definite singular forms: neuter with "-et" ("verktøyet";
    "-t" after -e: "eplet"), common with "-en" ("operasjonen"; "-n": "hagen"), `None` with both ("kurset",
    "kursen"). The feminine "-a" is not read: it is also a neuter plural ("husa")."""
    neuter, common = set(), set()
    for form, lemmas in noun_forms.items():
        for lemma in map(str.lower, lemmas):
            stem = lemma if lemma.endswith("e") else lemma + "e"
            if form.lower() == stem + "t":
                neuter.add(lemma)
            elif form.lower() == stem + "n":
                common.add(lemma)
    return {lemma: None if lemma in common else "Neut" for lemma in neuter} | {
        lemma: "Com" for lemma in common - neuter
    }


def definite_forms(noun_forms: dict[str, list[str]]) -> frozenset[str]:
    """Ordbank's definite noun forms: singular "-en", "-et", "-a" ("bilen", "huset", "jenta"; "-n", "-t" after -e:
    "eplet"; a doubled consonant: "programmet"; a dropped e: "sykkel" → "syklen") and plural "-ene" ("husene"), of
    each form's lemma, unless the form is a noun lemma itself ("laken"; "stigma", the lemma of "stigmaet")."""
    lemmas = {lemma.lower() for of in noun_forms.values() for lemma in of}
    definite = set()
    for form, of in noun_forms.items():
        lower = form.lower()
        if lower in lemmas:
            continue
        for lemma in map(str.lower, of):
            stems = {lemma[:-1] if lemma.endswith("e") else lemma, lemma + lemma[-1], *contracted_stems(lemma)}
            if any(lower == stem + ending for stem in stems for ending in DEFINITE_ENDINGS):
                definite.add(lower)
    return frozenset(definite)


def merge_genders(ordbank: dict[str, str | None], treebank: dict[str, str | None]) -> dict[str, str | None]:
    """One gender per noun lemma: where both sources know a lemma they must agree ("rom" is "et rom" in Ordbank but
    "en rom" too in the treebank → `None`); otherwise whichever knows it."""
    merged = dict(ordbank)
    for lemma, gender in treebank.items():
        merged[lemma] = gender if merged.get(lemma, gender) == gender else None
    return merged


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The Bokmål lexicon, built once per process (about a second and 60 MB)."""
    lookups = load_lookups("nb", ["lemma_exc", "lemma_lookup"])
    exceptions = lookups.get_table("lemma_exc")
    forms = {pos: frozenset(form.lower() for form in exceptions.get(pos, {})) for pos in OPEN_CLASSES}
    adjectives = {
        form.lower(): frozenset(lemma.lower() for lemma in lemmas)
        for form, lemmas in exceptions.get("adj", {}).items()
    }
    treebank_genders, neuters, adverbials = read_genders(BUNDLED_GENDERS)
    adjectives |= _confirmed_neuter_lemmas(adjectives, neuters)
    noun_forms = exceptions.get("noun", {})
    nouns = frozenset(form.lower() for form, lemmas in noun_forms.items() if form in lemmas)
    genders = merge_genders(definite_genders(noun_forms), treebank_genders)
    definite = definite_forms(noun_forms)
    names = _names(exceptions.get(pos, {}) for pos in OPEN_CLASSES)
    return Lexicon(forms, lookups.get_table("lemma_lookup"), adjectives, nouns, genders, definite, adverbials, names)


def _names(tables: Iterable[dict]) -> frozenset[str]:
    """The lower-cased forms that Ordbank lists only with a capital ("Norge", not "jan" of "Jan" and "jan")."""
    written = [form for table in tables for form in table]
    lower = {form for form in written if not form[:1].isupper()}
    return frozenset(form.lower() for form in written if form[:1].isupper() and form.lower() not in lower)


def lexicon_version() -> str:
    """Version of the package the forms come from and hash of the gender table, recorded in the scorer
    fingerprint."""
    return f"spacy-lookups-data-{version('spacy-lookups-data')}+genders-{file_sha256(BUNDLED_GENDERS)[:12]}"
