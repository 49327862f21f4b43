"""Inflection minimal pairs: one word of a correct treebank sentence put in a wrong form of the same lemma.

Why: the ScaLA corruptions (`saga.builders.scoring.training.minimal_pairs`) are the ones the acceptability classifier
is trained on (on other sentences), so their table partly measures the classifier in its own distribution. These
three corruptions are in no training set of the scorer; they test the agreement and verb-form errors that a
generated Bokmål text makes and that the rules are written for:

* `noun_definiteness`: a singular noun with a determiner or an adjective switches definiteness, the form built
  from its gold lemma and gender and checked against Norsk Ordbank: "en bil" → "en bilen", "bilen min" →
  "bil min", "stort hus" → "stort huset".
* `adjective_inflection`: an attributive or predicative adjective in the positive degree takes another form of
  its lemma's paradigm that Ordbank lists: a weak (-e) form a strong one, a strong form a weak one or the other
  gender's ("et stort hus" → "et store hus", "et stor hus"; "husene er store" → "husene er stort").
  Indeclinable adjectives ("moderne") and adjectives before an indefinite plural neuter noun are left out:
  "store hus" → "stort hus" can be correct ("hus" is singular too).
* `verb_finiteness`: a finite verb in the present or past indicative becomes its infinitive: "han spiste" →
  "han spise", "huset er stort" → "huset være stort". Modal verbs are left out, because their infinitive is also
  their past form ("kan" → "kunne" stays grammatical).

The gold annotation (UPOS, FEATS, lemma, heads) of the held-out CoNLL-U file says which words are eligible; the
scorer's own pipeline plays no part in building the pairs. Capitalisation follows the original word. Randomness is
seeded per (seed, sentence id, corruption), as for the ScaLA pairs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator

from spacy.morphology import Morphology

from saga.builders.nlp.treebank import Sentence, Token
from saga.builders.scoring.lexicon import Lexicon, load_lexicon, neuter_forms, weak_forms
from saga.builders.scoring.training.minimal_pairs import MinimalPair, Word, detokenize, sentence_words

INFLECTIONS = ("noun_definiteness", "adjective_inflection", "verb_finiteness")
# The relations that make a noun's definiteness a matter of agreement ("en bil", "bilen min", "stort hus").
NOUN_AGREEMENT_DEPS = {"det", "amod"}
# Bokmål modals: their infinitive is also their past form, so "kan" → "kunne" is no error.
MODALS = {"kunne", "skulle", "ville", "måtte", "burde"}
FINITE_TENSES = {"Pres", "Past"}

Inflector = Callable[[Sentence, Token, Lexicon], list[str]]


def feats(token: Token) -> dict[str, str]:
    """A token's FEATS column as a dict ("_" is empty)."""
    return Morphology.feats_to_dict(token.feats)


def _children(sentence: Sentence, token: Token) -> list[Token]:
    return [t for t in sentence.tokens if t.head == token.id]


def _definite_forms(lemma: str, gender: str | None) -> list[str]:
    """The singular definite forms Bokmål builds for a noun lemma of this gender: bil → bilen, hus → huset."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    by_gender = {"Masc": [stem + "en"], "Neut": [stem + "et"], "Fem": [stem + "a", stem + "en"]}
    return by_gender.get(gender or "", [])


def noun_definiteness(sentence: Sentence, token: Token, lexicon: Lexicon) -> list[str]:
    """The other-definiteness forms of a singular noun that agrees with a determiner or adjective."""
    values = feats(token)
    if token.upos != "NOUN" or values.get("Number") != "Sing" or not token.lemma.isalpha():
        return []
    if not any(child.deprel in NOUN_AGREEMENT_DEPS for child in _children(sentence, token)):
        return []
    nouns = lexicon.forms_by_pos["noun"]
    lemma = token.lemma.lower()
    if values.get("Definite") == "Ind":
        candidates = _definite_forms(lemma, values.get("Gender"))
    elif values.get("Definite") == "Def":
        candidates = [lemma]
    else:
        return []
    return [form for form in candidates if form in nouns and form != token.form.lower()]


def adjective_inflection(sentence: Sentence, token: Token, lexicon: Lexicon) -> list[str]:
    """The other forms of a positive-degree adjective's paradigm (base, neuter, -e) that Ordbank lists."""
    values = feats(token)
    if token.upos != "ADJ" or values.get("Degree") != "Pos" or not token.lemma.isalpha():
        return []
    attributive = token.deprel == "amod"
    predicative = any(child.deprel == "cop" for child in _children(sentence, token))
    if not (attributive or predicative):
        return []
    head = next((t for t in sentence.tokens if t.id == token.head), None)
    if attributive and head is not None:
        noun = feats(head)
        if (noun.get("Number"), noun.get("Definite"), noun.get("Gender")) == ("Plur", "Ind", "Neut"):
            return []
    lemma = token.lemma.lower()
    if lemma.endswith("e"):
        return []  # indeclinable: "moderne", "stille"
    strong = [lemma, *sorted(neuter_forms(lemma))]
    # A weak form becomes a strong one; a strong one a weak one or the other gender's ("stort" → "store", "stor").
    # Two weak forms of one lemma ("avslappede", "avslappete") are the same inflection, not an error.
    weak = values.get("Definite") == "Def" or values.get("Number") == "Plur"
    paradigm = strong if weak else [*strong, *sorted(weak_forms(lemma))]
    adjectives = lexicon.forms_by_pos["adj"]
    return [form for form in paradigm if form in adjectives and form != token.form.lower()]


def verb_finiteness(sentence: Sentence, token: Token, lexicon: Lexicon) -> list[str]:
    """The infinitive of a finite present or past indicative verb, when Ordbank has it and it differs."""
    values = feats(token)
    if token.upos not in {"VERB", "AUX"} or values.get("VerbForm") != "Fin" or values.get("Mood") != "Ind":
        return []
    lemma = token.lemma.lower()
    if values.get("Tense") not in FINITE_TENSES or lemma in MODALS or not lemma.isalpha():
        return []
    return [lemma] if lemma in lexicon.forms_by_pos["verb"] and lemma != token.form.lower() else []


INFLECTORS: dict[str, Inflector] = {
    "noun_definiteness": noun_definiteness,
    "adjective_inflection": adjective_inflection,
    "verb_finiteness": verb_finiteness,
}


def _cased(form: str, original: str) -> str:
    return form[:1].upper() + form[1:] if original[:1].isupper() else form


def inflect(sentence: Sentence, corruption: str, lexicon: Lexicon, rng: random.Random) -> list[Word] | None:
    """The sentence's words with one eligible word re-inflected by `corruption`; `None` when none is eligible.

    Args:
        sentence (`Sentence`): a gold-annotated treebank sentence.
        corruption (`str`): one of `INFLECTIONS`.
        lexicon (`Lexicon`): the Ordbank forms that a new form must be one of.
        rng (`random.Random`): the seeded generator choosing the word and the form.
    """
    inflector = INFLECTORS[corruption]
    options = [(i, forms) for i, t in enumerate(sentence.tokens) if (forms := inflector(sentence, t, lexicon))]
    if not options:
        return None
    index, forms = rng.choice(options)
    words = sentence_words(sentence)
    old = words[index]
    words[index] = Word(_cased(rng.choice(forms), old.form), old.upos, old.space_after)
    return words


def inflection_pairs(
    sentences: Iterable[tuple[str, Sentence]], seed: int = 0, lexicon: Lexicon | None = None
) -> Iterator[MinimalPair]:
    """One pair per inflection corruption for every sentence where it applies.

    Args:
        sentences (`Iterable[tuple[str, Sentence]]`): (sentence id, gold-annotated sentence).
        seed (`int`, *optional*, defaults to 0): the seed; the same seed gives the same pairs.
        lexicon (`Lexicon`, *optional*): defaults to the bundled Ordbank forms (`load_lexicon`).
    """
    lexicon = lexicon or load_lexicon()
    for sentence_id, sentence in sentences:
        correct = detokenize(sentence_words(sentence))
        for corruption in INFLECTIONS:
            changed = inflect(sentence, corruption, lexicon, random.Random(f"{seed}:{sentence_id}:{corruption}"))
            if changed is not None:
                yield MinimalPair(sentence_id, corruption, correct, detokenize(changed))
