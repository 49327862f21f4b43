"""A continuous grammaticality signal: how probable a sentence's tag sequence is under a treebank n-gram model.

The rules give discrete penalties, so most minimally corrupted sentences (a word deleted, two words swapped) score
exactly like the original: no rule fires. This model scores every sentence on a continuous scale. Each token
becomes a symbol, its UPOS plus the features that carry Bokmål syntax (`VerbForm`, `Definite`, `Number`), e.g.
`NOUN|,Def,Sing`, and an interpolated Kneser-Ney n-gram model (order 4, one absolute discount per order,
D = n1 / (n1 + 2 n2); Chen & Goodman 1998) gives each symbol's log-probability in context.

A sentence's value is SLOR, the mean over its symbols (and the end of sentence) of
`log P_KN(symbol | context) - log P_unigram(symbol)`: subtracting the unigram log-probability removes how common
the tags are, leaving how well they fit together (Lau, Clark & Lappin 2017). On the minimal pairs built from the
training-free tune split, SLOR separated correct from corrupted sentences better than the mean log-probability,
the worst position or the mean of the three worst; adding dependency labels did not help, and a second model over
frequent word forms added about 0.01 AUROC, not enough to justify a larger asset.

The model is trained on gold annotation of the treebank sentences the pipeline trains on (`tagger-train.spacy`
written by `saga.builders.nlp.training.prepare`; never the held-out sentences) and shipped as JSON
(`assets/scorer/tag_ngram_v1.json`, rebuilt with `saga scorer train-lm`). Its `reference` and `spread` place the
formula's penalty (see `saga.builders.scoring.formula`): they are the 90th percentile and the standard deviation of
sentence SLOR under two-fold cross-fitting (each half scored by a model trained on the other half), so a retrained
model recalibrates itself.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span, Token
from spacy.vocab import Vocab

from saga.builders.scoring.errors import ScorerConfigError

FORMAT = "saga-tag-ngram-v1"
BOS, EOS, UNK = "<s>", "</s>", "<unk>"
SYMBOL_FEATURES = ("VerbForm", "Definite", "Number")
BUNDLED_MODEL = files("saga.assets") / "scorer" / "tag_ngram_v1.json"
REFERENCE_PERCENTILE = 90


# Symbol of each (UPOS id, morphology hash): a pipeline produces a few hundred pairs, and parsing the morphology
# string of every token was a tenth of the scorer's time. Both ids are the same in every vocabulary.
_SYMBOLS: dict[tuple[int, int], str] = {}


def token_symbol(token: Token) -> str:
    """The model's symbol for a token: UPOS and the values of `SYMBOL_FEATURES` (empty when absent).

    Args:
        token (`Token`): a token with POS and MORPH annotation (gold or predicted).
    """
    morph = token.morph
    key = (token.pos, morph.key)
    symbol = _SYMBOLS.get(key)
    if symbol is None:
        features = morph.to_dict()
        symbol = _SYMBOLS[key] = f"{token.pos_}|{','.join(features.get(name, '') for name in SYMBOL_FEATURES)}"
    return symbol


def sentence_symbols(sentence: Iterable[Token]) -> list[str]:
    """The symbols of a sentence's tokens, whitespace tokens left out.

    Args:
        sentence (`Iterable[Token]`): one sentence of a `Doc` (a `Span`, or the rules' `Sentence`).
    """
    return [token_symbol(t) for t in sentence if not t.is_space]


@dataclass
class TagNgramModel:
    """An interpolated Kneser-Ney n-gram model over token symbols, with the SLOR calibration of its training data.

    Args:
        order (`int`): n, the longest n-gram (≥ 1).
        counts (`dict[int, dict[tuple[str, ...], int]]`): for order n, raw n-gram counts; for lower orders, the
            Kneser-Ney continuation counts (number of distinct left extensions).
        unigrams (`dict[str, int]`): raw symbol counts (including `</s>`), for the unigram term of SLOR.
        reference (`float`, *optional*): SLOR at which the formula's penalty starts (see the module docstring).
        spread (`float`, *optional*): standard deviation of sentence SLOR, the unit of the penalty's scale.
    """

    order: int
    counts: dict[int, dict[tuple[str, ...], int]]
    unigrams: dict[str, int]
    reference: float = 0.0
    spread: float = 1.0
    _totals: dict[int, dict[tuple[str, ...], tuple[int, int]]] = field(init=False, repr=False)
    _discounts: dict[int, float] = field(init=False, repr=False)

    def __post_init__(self):
        if self.order < 1 or set(self.counts) != set(range(1, self.order + 1)):
            raise ScorerConfigError(f"an order-{self.order} model needs counts for orders 1..{self.order}")
        self._totals, self._discounts = {}, {}
        for n, grams in self.counts.items():
            totals: dict[tuple[str, ...], list[int]] = {}
            for gram, count in grams.items():
                entry = totals.setdefault(gram[:-1], [0, 0])
                entry[0] += count
                entry[1] += 1
            self._totals[n] = {context: (total, types) for context, (total, types) in totals.items()}
            n1 = sum(1 for c in grams.values() if c == 1)
            n2 = sum(1 for c in grams.values() if c == 2)
            self._discounts[n] = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
        self._unigram_total = sum(self.unigrams.values())
        # Tag n-grams repeat a lot, so each (context, symbol) is computed once per process (bench: `make bench`).
        self._log_ratio = lru_cache(maxsize=1 << 17)(self._compute_log_ratio)

    @classmethod
    def fit(cls, sequences: Iterable[Sequence[str]], order: int = 4) -> TagNgramModel:
        """Count n-grams of symbol sequences (one per sentence) and calibrate SLOR by two-fold cross-fitting.

        Args:
            sequences (`Iterable[Sequence[str]]`): the training sentences as symbols.
            order (`int`, *optional*, defaults to 4): n.
        """
        sequences = [list(s) for s in sequences if s]
        if len(sequences) < 2:
            raise ScorerConfigError(f"need at least two non-empty training sentences, got {len(sequences)}")
        model = cls._count(sequences, order)
        halves = (sequences[0::2], sequences[1::2])
        held_out = []
        for train, test in (halves, halves[::-1]):
            fold = cls._count(train, order)
            held_out.extend(fold.slor(sentence) for sentence in test)
        model.reference = statistics.quantiles(held_out, n=100)[REFERENCE_PERCENTILE - 1]
        model.spread = statistics.pstdev(held_out) or 1.0
        return model

    @classmethod
    def _count(cls, sequences: list[list[str]], order: int) -> TagNgramModel:
        top: Counter[tuple[str, ...]] = Counter()
        for sequence in sequences:
            padded = [BOS] * (order - 1) + sequence + [EOS]
            top.update(tuple(padded[i - order + 1 : i + 1]) for i in range(order - 1, len(padded)))
        counts = {order: dict(top)}
        for n in range(order - 1, 0, -1):
            counts[n] = dict(Counter(gram[1:] for gram in counts[n + 1]))
        unigrams = Counter(symbol for sequence in sequences for symbol in [*sequence, EOS])
        return cls(order, counts, dict(unigrams))

    def probability(self, symbol: str, context: Sequence[str]) -> float:
        """P_KN(symbol | the last order-1 symbols of context), interpolated down to a uniform distribution.

        Args:
            symbol (`str`): the predicted symbol (`<unk>` for one never seen).
            context (`Sequence[str]`): the preceding symbols, `<s>`-padded.
        """
        probability = 1.0 / (len(self.unigrams) + 1)
        for n in range(1, self.order + 1):
            history = tuple(context[len(context) - n + 1 :]) if n > 1 else ()
            total, types = self._totals[n].get(history, (0, 0))
            if total:
                discount = self._discounts[n]
                count = self.counts[n].get((*history, symbol), 0)
                probability = (max(count - discount, 0.0) + discount * types * probability) / total
        return probability

    def slor(self, symbols: Sequence[str]) -> float:
        """Mean of log P_KN - log P_unigram over the symbols and the end of sentence (higher: more probable).

        Args:
            symbols (`Sequence[str]`): one sentence.
        """
        known = [s if s in self.unigrams else UNK for s in symbols] + [EOS]
        padded = [BOS] * (self.order - 1) + known
        width = self.order - 1
        total = sum(self._log_ratio(tuple(padded[i : i + width]), symbol) for i, symbol in enumerate(known))
        return total / len(known)

    def _compute_log_ratio(self, context: tuple[str, ...], symbol: str) -> float:
        vocabulary = len(self.unigrams) + 1
        unigram = (self.unigrams.get(symbol, 0) + 0.5) / (self._unigram_total + 0.5 * vocabulary)
        return math.log(self.probability(symbol, context)) - math.log(unigram)

    def improbability(self, symbols: Sequence[str], span: float) -> float:
        """How far a sentence's SLOR falls below `reference`, in units of `span` standard deviations, in [0, 1].

        Args:
            symbols (`Sequence[str]`): one sentence.
            span (`float`): the number of `spread` units below `reference` at which the value reaches 1.
        """
        return min(1.0, max(0.0, self.reference - self.slor(symbols)) / (span * self.spread))

    def to_json(self, path: str | Path) -> Path:
        """Write the model as JSON with sorted keys (same model → same bytes); returns the path."""
        symbols = sorted({symbol for gram in self.counts[1] for symbol in gram} | {BOS})
        index = {symbol: str(number) for number, symbol in enumerate(symbols)}
        payload = {
            "format": FORMAT,
            "order": self.order,
            "symbol_features": list(SYMBOL_FEATURES),
            "reference": round(self.reference, 6),
            "spread": round(self.spread, 6),
            "unigrams": dict(sorted(self.unigrams.items())),
            "symbols": symbols,
            # N-grams as space-separated symbol numbers: a third of the size of spelled-out symbols.
            "counts": {
                str(n): dict(sorted((" ".join(index[s] for s in gram), count) for gram, count in grams.items()))
                for n, grams in self.counts.items()
            },
        }
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
        return path

    @classmethod
    def from_json(cls, path: str | Path) -> TagNgramModel:
        """Read a model written by `to_json`.

        Raises:
            `ScorerConfigError`: when the file is not a `saga-tag-ngram-v1` model for `SYMBOL_FEATURES`.
        """
        payload = json.loads(Path(str(path)).read_text("utf-8"))
        if payload.get("format") != FORMAT or tuple(payload.get("symbol_features", ())) != SYMBOL_FEATURES:
            raise ScorerConfigError(
                f"{path}: not a {FORMAT} model over {SYMBOL_FEATURES}", hint="rebuild it with `saga scorer train-lm`"
            )
        symbols = payload["symbols"]
        counts = {
            int(n): {tuple(symbols[int(i)] for i in gram.split(" ")): count for gram, count in grams.items()}
            for n, grams in payload["counts"].items()
        }
        return cls(payload["order"], counts, payload["unigrams"], payload["reference"], payload["spread"])


def docbin_sequences(paths: Iterable[str | Path]) -> list[list[str]]:
    """The symbol sequence of every sentence in spaCy `DocBin` files with gold POS and MORPH annotation.

    Args:
        paths (`Iterable[str | Path]`): `.spacy` files, e.g. `build/nlp/corpus/tagger-train.spacy`.

    Raises:
        `ScorerConfigError`: when a file is missing or a document lacks POS annotation.
    """
    vocab = Vocab()
    sequences = []
    for path in map(Path, paths):
        if not path.is_file():
            raise ScorerConfigError(f"{path}: no such DocBin", hint="run `saga nlp train --data ../shared/data`")
        for number, doc in enumerate(DocBin().from_disk(path).get_docs(vocab)):
            if not doc.has_annotation("POS"):
                raise ScorerConfigError(f"{path}: document {number} has no POS annotation")
            sequences.extend(sentence_symbols(sentence) for sentence in _sentences(doc))
    return sequences


def _sentences(doc: Doc) -> Iterable[Span]:
    return doc.sents if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> TagNgramModel:
    """The model at `path` (default: the bundled one), read once per process.

    Args:
        path (`str`, *optional*): a JSON model file written by `saga scorer train-lm`.
    """
    return TagNgramModel.from_json(path or str(BUNDLED_MODEL))
