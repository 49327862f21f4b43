"""How edited Bokmål capitalises words inside a sentence: the table the capitalisation rules read.

Bokmål writes days, months, languages, nationalities and common nouns in lower case inside a sentence ("på mandag",
"norsk mat", "staten"), and names with a capital ("Norge", "Jesus"). Learners mix the two up. Ordbank lists word
forms in lower case and wordfreq's list is lower-cased, so neither says which words are names; edited text does. The
table (`assets/scorer/capitals_v1.json`, written by `saga scorer build-capitals`) holds, for every word seen with a
capital inside a sentence at least once, how often it was seen so and how often in lower case. It is counted from
the sentences the acceptability classifier trains on (NDT train, UD dev and the trainable UD test, the CC0 news
sentences, the bundled Wikipedia sample), never from the held-out sentences or from any evaluation set
(`saga.builders.scoring.training.capital_counts`).

`saga.builders.scoring.rules.orthography` reads it: a word capitalised inside a sentence that edited text writes in
lower case is flagged, and so is a name written in lower case that edited text always capitalises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from saga.builders.scoring.errors import ScorerConfigError

FORMAT = "saga-capitals-v1"
BUNDLED_CAPITALS = files("saga.assets") / "scorer" / "capitals_v1.json"
# Characters that open a quotation, a parenthesis or a list item: the word after them may start a sentence.
OPENERS = "«\"'“‘(-–—[•*"
# Characters that end a sentence or introduce one (":" before a quoted or independent sentence).
SENTENCE_ENDS = ".!?:…"


@dataclass(frozen=True)
class CapitalsTable:
    """Counts of words seen inside sentences of edited text.

    Args:
        counts (`dict[str, tuple[int, int]]`): lower-cased word → (times capitalised, times in lower case), for
            every word capitalised inside a sentence at least once.
    """

    counts: dict[str, tuple[int, int]]

    def capitalised(self, word: str) -> int:
        """How often edited text capitalised `word` (lower-cased) inside a sentence."""
        return self.counts.get(word, (0, 0))[0]

    def lower_case(self, word: str) -> int:
        """How often edited text wrote `word` in lower case inside a sentence, if it also capitalised it."""
        return self.counts.get(word, (0, 0))[1]


@lru_cache(maxsize=4)
def read_capitals(path: str | Path | None = None) -> CapitalsTable:
    """The table at `path` (default: the bundled one).

    Args:
        path (`str` or `Path`, *optional*): a file written by `write_capitals`.

    Raises:
        `ScorerConfigError`: when the file is missing or not a capitals table.
    """
    source = Path(str(path or BUNDLED_CAPITALS))
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ScorerConfigError(
            f"capitals table {source}: {err}", hint="rebuild it with `saga scorer build-capitals`"
        ) from err
    if payload.get("format") != FORMAT:
        raise ScorerConfigError(
            f"{source} is not a {FORMAT} table", hint="rebuild it with `saga scorer build-capitals`"
        )
    return CapitalsTable({word: (pair[0], pair[1]) for word, pair in payload["counts"].items()})
