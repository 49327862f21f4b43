"""Genders of Bokmål nouns and adjective forms, counted from the gold annotation of the Norwegian Dependency Treebank.

Why: an indefinite singular noun does not show its gender ("verktøy", "operasjon"), so the tagger guesses it from
the words around it — from the very adjective or determiner whose agreement is being checked ("god verktøy" is
tagged masculine). The lexicon reads a noun's gender from Norsk Ordbank's definite forms instead, but those forms
cannot tell homographs apart ("et rom" / "en rom", "en ris" / "et ris"), and Ordbank lists some neuter adjectives only
under a verb whose participle they also are ("nytt" under "nyte"). NDT's OBT tags tell both, so saga ships a table
counted from them (`assets/scorer/genders_v1.json`, written by `saga scorer build-genders`), which the lexicon reads
(`saga.builders.scoring.genders`).
NDT test documents held out by `saga.builders.nlp.treebank.is_heldout` are not counted.

Masculine and feminine are one class ("Com"): Bokmål lets most feminine nouns take masculine forms ("ei/en bok"),
and adjectives tell only neuter from the rest. A noun lemma's gender is the one at least `MAJORITY` of its
occurrences have, `None` (written `null`) when no class has: "år" (688 times neuter, once feminine) is neuter, "fall"
and "plan", seen with both, have none.

The same table lists the adjective forms NDT mostly uses as adverbials ("særlig", "veldig", "plutselig": relation
`ADV` in at least `ADVERBIAL_SHARE` of at least `MIN_ADVERBIAL_OCCURRENCES` occurrences). OBT tags them adjectives
either way, and saga's tagger reads "særlig guttene" as an adjective before a definite noun; the agreement rules
use the list to tell that adverb from a strong adjective that lacks its determiner ("internasjonal sikkerheten",
never an adverbial in NDT).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from saga.builders.nlp.treebank import Sentence, is_heldout, read_conll
from saga.builders.scoring.errors import ScorerConfigError
from saga.builders.scoring.genders import FORMAT

NDT_FILES = {split: f"ndt_nob/ndt_nob-{split}.conll" for split in ("train", "dev", "test")}
OBT_GENDERS = {"mask": "Com", "fem": "Com", "m/f": "Com", "nøyt": "Neut"}
# Share of a word's occurrences its gender must have: one occurrence in twenty may be an annotation slip.
MAJORITY = 0.95
# An adjective form must be tagged neuter this often to count as one (indefinite singular positive, OBT `ub ent pos`).
MIN_ADJECTIVE_OCCURRENCES = 3
# An adjective form is adverbial when at least this share of its occurrences (and this many) has relation ADV:
# "særlig" 60 of 77, "veldig" 90 of 92, "sterkt" 39 of 58; "stor" 1 of 144.
ADVERBIAL_SHARE = 0.65
MIN_ADVERBIAL_OCCURRENCES = 5


@dataclass
class GenderCounts:
    """Occurrences per gender class of lower-cased common-noun lemmas and of strong singular adjective forms."""

    nouns: dict[str, Counter]
    adjectives: dict[str, Counter]
    adjective_relations: dict[str, Counter]


def _gender(tags: list[str]) -> str | None:
    genders = {OBT_GENDERS[tag] for tag in tags if tag in OBT_GENDERS}
    return genders.pop() if len(genders) == 1 else None


def count_genders(sentences: Iterable[Sentence]) -> GenderCounts:
    """Count gender classes of common nouns (OBT `subst appell`, by lemma) and of indefinite singular positive
    adjectives (by form), and whether each adjective form is an adverbial (relation `ADV`), in NDT sentences."""
    counts = GenderCounts(defaultdict(Counter), defaultdict(Counter), defaultdict(Counter))
    for sentence in sentences:
        for token in sentence.tokens:
            if token.upos == "adj":
                counts.adjective_relations[token.form.lower()][token.deprel == "ADV"] += 1
            tags = token.feats.split("|")
            gender = _gender(tags)
            if gender is None:
                continue
            if token.upos == "subst" and "appell" in tags:
                counts.nouns[token.lemma.lower()][gender] += 1
            elif token.upos == "adj" and {"ub", "ent", "pos"} <= set(tags):
                counts.adjectives[token.form.lower()][gender] += 1
    return counts


def _agreed(by_gender: Counter, least: int) -> str | None:
    gender, count = by_gender.most_common(1)[0]
    total = sum(by_gender.values())
    return gender if total >= least and count >= MAJORITY * total else None


def decide_genders(counts: GenderCounts) -> dict[str, object]:
    """The table: every noun lemma → `"Neut"` / `"Com"` where its occurrences agree, else `None`; the adjective
    forms tagged neuter (at least `MIN_ADJECTIVE_OCCURRENCES` times, `MAJORITY` of them); and the adverbial
    adjective forms (`ADVERBIAL_SHARE`, `MIN_ADVERBIAL_OCCURRENCES`)."""
    neuters = [form for form, c in counts.adjectives.items() if _agreed(c, MIN_ADJECTIVE_OCCURRENCES) == "Neut"]
    adverbials = [
        form
        for form, c in counts.adjective_relations.items()
        if c.total() >= MIN_ADVERBIAL_OCCURRENCES and c[True] >= ADVERBIAL_SHARE * c.total()
    ]
    return {
        "format": FORMAT,
        "nouns": {lemma: _agreed(c, 1) for lemma, c in sorted(counts.nouns.items())},
        "neuter_adjectives": sorted(neuters),
        "adverbial_adjectives": sorted(adverbials),
    }


def treebank_sentences(data_dir: Path) -> Iterable[Sentence]:
    """NDT train, dev and the test documents that are not held out.

    Raises:
        `ScorerConfigError`: naming a missing NDT file.
    """
    for split, name in NDT_FILES.items():
        path = data_dir / name
        if not path.is_file():
            raise ScorerConfigError(f"{path}: no such file", hint="pass --data pointing at ../shared/data")
        for sentence in read_conll(path):
            document = sentence.comments.get("source", "").split("_")[0]
            if split != "test" or not is_heldout(document):
                yield sentence


def write_genders(table: dict[str, object], path: str | Path) -> Path:
    """Write the table as JSON with sorted keys (same treebank → same bytes); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
    return path
