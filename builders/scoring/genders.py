"""The genders table the agreement rules read: Bokmål noun genders and adjective forms counted from the Norwegian
Dependency Treebank (`assets/scorer/genders_v1.json`).

Why: an indefinite singular noun does not show its gender ("verktøy", "operasjon"), so the tagger guesses it from
the words around it — from the very adjective or determiner whose agreement is being checked ("god verktøy" is
tagged masculine). The lexicon reads a noun's gender from Norsk Ordbank's definite forms instead, but those forms
cannot tell homographs apart ("et rom" / "en rom"), and Ordbank lists some neuter adjectives only under a verb
("nytt" under "nyte"); NDT's tags tell both. How the table is counted: `saga.builders.scoring.training.gender_counts`
(`saga scorer build-genders`).
"""

from __future__ import annotations

import json
from pathlib import Path

from saga.builders.scoring.errors import ScorerConfigError

FORMAT = "saga-genders-v1"


def read_genders(path: str | Path) -> tuple[dict[str, str | None], frozenset[str], frozenset[str]]:
    """Noun lemma → gender (or `None`), the neuter adjective forms and the adverbial adjective forms of a table
    written by `write_genders` (a table written before the adverbials were counted has none).

    Raises:
        `ScorerConfigError`: when the file is not a `saga-genders-v1` table.
    """
    payload = json.loads(Path(str(path)).read_text("utf-8"))
    if payload.get("format") != FORMAT:
        raise ScorerConfigError(f"{path}: not a {FORMAT} table", hint="rebuild it with `saga scorer build-genders`")
    adverbials = frozenset(payload.get("adverbial_adjectives", ()))
    return payload["nouns"], frozenset(payload["neuter_adjectives"]), adverbials
