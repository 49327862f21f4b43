"""Training data of the acceptability classifier: correct Bokmål sentences and minimally corrupted copies, parsed.

The rules and the tag n-gram term see a deleted or swapped word only when the parse shows it; a classifier
trained to tell correct sentences from corrupted ones learns the signal directly. Sources, all outside the
held-out evaluation sentences (`saga.builders.nlp.training.HELDOUT`, never read here except to exclude its texts):

* the Norwegian Dependency Treebank train split (detokenised), UD Norwegian-Bokmål dev and the trainable part of
  UD test — the genres of the held-out sentences;
* the CC0 newspaper sentences (`news_nb`) and the bundled Wikipedia sample (`assets/wiki_nb`).

Each source sentence is parsed by the scorer's pipeline; its predicted UPOS drive the ScaLA corruptions of
`saga.builders.scoring.training.minimal_pairs` (one deletion, one swap, with a seed other than the evaluation's), and
each corrupted copy is parsed again, so the classifier learns from the same kind of analysis it reads when scoring.
Each round of corruptions uses its own seed, so two rounds give each sentence up to two deletions and two swaps.
Sentences are split into train and dev by a stable hash of their text; UD dev's tune slice (the pipeline's model
selection sentences, never trained on) always goes to dev.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from saga.builders.nlp.training import HELDOUT, TREEBANK_FILES, _is_tune
from saga.builders.nlp.treebank import Sentence, read_conll
from saga.builders.scoring.acceptability_features import token_features
from saga.builders.scoring.training.minimal_pairs import Word, minimal_pairs
from saga.builders.text.cleaning import paragraphs
from saga.builders.text.splitting import split_sentences
from saga.errors import InputDataError

logger = logging.getLogger(__name__)

NEWS_FILE = "news_nb/npk_cc0_bokmaal_sentences.txt"
WIKI_FILE = files("saga.assets") / "wiki_nb" / "norquad_wikipedia_nb.jsonl"
NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "»", "”", "%", "..."}
NO_SPACE_AFTER = {"(", "[", "«", "“"}
# The evaluation corrupts other sentences with seed 0; training rounds use seeds 1, 2, ... to keep the two apart.
FIRST_CORRUPTION_SEED = 1
DEV_EVERY = 40


@dataclass(frozen=True)
class SourceSentence:
    """A correct sentence and where it came from.

    Args:
        source (`str`): `ndt_train`, `ud_dev`, `ud_test`, `news` or `wiki`.
        text (`str`): the sentence.
        dev (`bool`): whether it belongs to the dev split.
    """

    source: str
    text: str
    dev: bool


def detokenize_forms(forms: tuple[str, ...]) -> str:
    """Running text from treebank tokens that carry no spacing (NDT): no space before closing punctuation or
    after opening brackets and quotes.

    Args:
        forms (`tuple[str, ...]`): the token forms.
    """
    text = ""
    for form in forms:
        if text and form not in NO_SPACE_BEFORE and text[-1:] not in NO_SPACE_AFTER:
            text += " "
        text += form
    return text


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).lower()


def _is_dev(text: str) -> bool:
    return int(hashlib.sha256(_key(text).encode()).hexdigest(), 16) % DEV_EVERY == 0


def _treebank_texts(sentences: list[Sentence]) -> Iterator[tuple[str, bool]]:
    for sentence in sentences:
        yield sentence.comments.get("text") or detokenize_forms(sentence.forms), _is_tune(sentence)


def _candidates(paths: dict[str, Path], wiki: Path) -> list[tuple[str, str, bool]]:
    """(source, text, in the tune slice) of every sentence of every source, in a fixed order."""
    candidates: list[tuple[str, str, bool]] = []
    for key in ("ndt_train", "ud_dev", "ud_test"):
        candidates += [(key, text, tune) for text, tune in _treebank_texts(list(read_conll(paths[key])))]
    news = paths["news"].read_text(encoding="utf-8").splitlines()
    candidates += [("news", " ".join(line.split()), False) for line in news if line.strip()]
    with wiki.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            for paragraph in paragraphs(article["text"], article.get("title"))[0]:
                candidates += [("wiki", sentence, False) for sentence in split_sentences(paragraph)]
    return candidates


def _drop_reason(heldout: bool, seen: bool, words: int, min_words: int, max_words: int) -> str | None:
    if heldout:
        return "heldout"
    if seen:
        return "duplicate"
    if words < min_words:
        return "too_short"
    return "too_long" if words > max_words else None


def source_sentences(
    data_dir: Path, wiki: Path | None = None, min_words: int = 3, max_words: int = 60
) -> tuple[list[SourceSentence], dict]:
    """The correct sentences to train on, deduplicated, and the count of every drop by reason.

    Args:
        data_dir (`Path`): the folder with `ndt_nob/`, `ud_nb/` and `news_nb/` (the repository's `../shared/data`).
        wiki (`Path`, *optional*): Wikipedia articles as JSONL (`title`, `text`); defaults to the bundled sample.
        min_words (`int`, *optional*, defaults to 3): shorter sentences are dropped (`too_short`).
        max_words (`int`, *optional*, defaults to 60): longer sentences are dropped (`too_long`).

    Raises:
        `InputDataError`: when a source file is missing.
    """
    paths = {key: data_dir / TREEBANK_FILES[key] for key in ("ndt_train", "ud_dev", "ud_test")}
    paths["news"] = data_dir / NEWS_FILE
    for path in paths.values():
        if not path.is_file():
            raise InputDataError(f"acceptability training source missing: {path}", hint="pass --data ../shared/data")
    heldout = {_key(s.comments.get("text", "")) for s in read_conll(Path(str(HELDOUT)))}
    candidates = _candidates(paths, Path(str(wiki or WIKI_FILE)))
    drops: Counter[str] = Counter()
    seen: set[str] = set()
    kept: list[SourceSentence] = []
    for source, text, tune in candidates:
        key, words = _key(text), len(text.split())
        reason = _drop_reason(key in heldout, key in seen, words, min_words, max_words)
        if reason:
            drops[reason] += 1
            continue
        seen.add(key)
        kept.append(SourceSentence(source, text, tune or _is_dev(text)))
    stats = {"candidates": len(candidates), "kept": len(kept), "dropped": dict(sorted(drops.items()))}
    logger.info("acceptability sources: %s", stats)
    return kept, stats


def doc_words(doc: Doc) -> list[Word]:
    """The parsed tokens as the corruptions read them (form, predicted UPOS, spacing)."""
    return [Word(t.text, t.pos_, bool(t.whitespace_)) for t in doc if not t.is_space]


def corruption_positions(corrupted: list[str], correct: list[str]) -> list[int] | None:
    """The tokens of a corrupted sentence that stand at its corruption: the neighbours of the deleted word, or the
    two swapped words; `None` when the parses' words are not one deletion or one swap apart (spaCy tokenised the
    corrupted text differently).

    Args:
        corrupted (`list[str]`): the corrupted sentence's words (`token_features` "word").
        correct (`list[str]`): the correct sentence's words.

    Example:
        ```python
        >>> corruption_positions(["han", "bor", "oslo"], ["han", "bor", "i", "oslo"])
        [1, 2]
        >>> corruption_positions(["bor", "han", "i", "oslo"], ["han", "bor", "i", "oslo"])
        [0, 1]
        ```
    """
    if len(corrupted) == len(correct) - 1:
        first = next((i for i, (a, b) in enumerate(zip(corrupted, correct, strict=False)) if a != b), len(corrupted))
        if corrupted[first:] == correct[first + 1 :]:
            return [i for i in (first - 1, first) if 0 <= i < len(corrupted)]
        return None
    if len(corrupted) == len(correct):
        differ = [i for i, (a, b) in enumerate(zip(corrupted, correct, strict=True)) if a != b]
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            left, right = differ
            if (corrupted[left], corrupted[right]) == (correct[right], correct[left]):
                return differ
    return None


def _example(sentence: SourceSentence, text: str, kind: str, doc: Doc, correct: list[str] | None = None) -> dict:
    features = token_features(doc)
    return {
        "text": text,
        "label": int(kind != "correct"),
        "kind": kind,
        "source": sentence.source,
        "dev": sentence.dev,
        "features": features,
        "positions": [] if correct is None else corruption_positions(features["word"], correct),
    }


def build_examples(
    nlp: Language, sentences: list[SourceSentence], rounds: int = 1, batch_size: int = 256, n_process: int = 1
) -> Iterator[dict]:
    """Yield one example per correct sentence and per corrupted copy: its features, label and split.

    Labels: 0 for a correct sentence (`kind` "correct"), 1 for a corrupted one (`kind` "deletion" or "swap").
    The features are `token_features` of the parse; `positions` are the tokens at the corruption
    (`corruption_positions`: none for a correct sentence, `None` where the parses do not align).

    Args:
        nlp (`Language`): the scorer's parsing pipeline (tagger, parser, sentence starts).
        sentences (`list[SourceSentence]`): the correct sentences.
        rounds (`int`, *optional*, defaults to 1): rounds of corruptions (a deletion and a swap each).
        batch_size (`int`, *optional*, defaults to 256): `nlp.pipe` batch size.
        n_process (`int`, *optional*, defaults to 1): `nlp.pipe` processes.
    """
    corrupted: list[tuple[SourceSentence, str, str, list[str]]] = []
    docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size, n_process=n_process)
    for number, (sentence, doc) in enumerate(tqdm(zip(sentences, docs, strict=True), total=len(sentences))):
        example = _example(sentence, sentence.text, "correct", doc)
        yield example
        words = doc_words(doc)
        for seed in range(FIRST_CORRUPTION_SEED, FIRST_CORRUPTION_SEED + rounds):
            texts = {sentence.text}
            for pair in minimal_pairs([(str(number), words)], seed):
                if pair.corrupted not in texts:  # another round may repeat a corruption
                    texts.add(pair.corrupted)
                    corrupted.append((sentence, pair.corruption, pair.corrupted, example["features"]["word"]))
    docs = nlp.pipe((text for _, _, text, _ in corrupted), batch_size=batch_size, n_process=n_process)
    for (sentence, kind, text, correct), doc in tqdm(zip(corrupted, docs, strict=True), total=len(corrupted)):
        yield _example(sentence, text, kind, doc, correct)
