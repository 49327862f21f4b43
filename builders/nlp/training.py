"""The committed recipe that trains the bundled `nb_saga_sm` pipeline, and its held-out evaluation.

Three steps, each a function (and a `saga nlp` sub-command):

1. `prepare`: read NDT + UD from a data folder, split off the held-out UD documents, convert NDT to UPOS + UD FEATS,
   and write `.spacy` corpora (tagger: NDT + UD; parser: UD only; tune: a slice of UD dev for model selection).
2. `train`: `spacy train` on `configs/tagger.cfg`, then on `configs/parser.cfg` with the tagger sourced and frozen.
3. `package`: evaluate on the held-out UD sentences, write the scores into `meta.json`, copy into `assets/`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language

from saga.builders.nlp.corpus import heldout_examples, write_docbin
from saga.builders.nlp.treebank import (
    FeatsTable,
    Sentence,
    align_by_forms,
    convert_ndt_sentence,
    read_conll,
    split_ud_test,
    write_conllu,
)
from saga.errors import InputDataError

logger = logging.getLogger(__name__)

CONFIGS = files("saga.builders.nlp") / "configs"
HELDOUT = files("saga.assets") / "treebank" / "ud_nb_heldout.conllu"
TREEBANK_FILES = {
    "ndt_train": "ndt_nob/ndt_nob-train.conll",
    "ndt_dev": "ndt_nob/ndt_nob-dev.conll",
    "ndt_test": "ndt_nob/ndt_nob-test.conll",
    "ud_dev": "ud_nb/no_bokmaal-ud-dev.conllu",
    "ud_test": "ud_nb/no_bokmaal-ud-test.conllu",
}
SCORE_KEYS = {"pos_acc": "UPOS", "morph_acc": "morph", "lemma_acc": "lemma", "dep_uas": "UAS", "dep_las": "LAS"}


@dataclass
class PreparedCorpora:
    """Paths and counts written by `prepare`."""

    out_dir: Path
    counts: dict[str, int]
    conversion: dict[str, float]


def _is_tune(sent: Sentence, every: int = 10) -> bool:
    """1 in `every` UD dev sentences is kept for model selection (never trained on, never reported)."""
    return int(hashlib.sha256(sent.comments.get("sent_id", "").encode()).hexdigest(), 16) % every == 0


def load_treebanks(data_dir: Path, limit: int | None = None) -> dict[str, list[Sentence]]:
    """Read the five treebank files below `data_dir` (`limit` sentences of NDT train, for quick test runs)."""
    banks = {}
    for key, rel in TREEBANK_FILES.items():
        path = data_dir / rel
        if not path.is_file():
            raise InputDataError(f"treebank file missing: {path}", hint="pass --data pointing at shared/data")
        banks[key] = list(read_conll(path))
    if limit:
        banks["ndt_train"] = banks["ndt_train"][:limit]
    return banks


def prepare(
    data_dir: Path, out_dir: Path, heldout_path: Path | None = None, limit: int | None = None
) -> PreparedCorpora:
    """Write `tagger-train.spacy`, `parser-train.spacy`, `tune.spacy` (and the held-out CoNLL-U) under `out_dir`.

    Args:
        data_dir (`Path`): folder with `ndt_nob/` and `ud_nb/` (the repository's `../shared/data`).
        out_dir (`Path`): where the corpora go.
        heldout_path (`Path`, *optional*): where to write the held-out UD sentences (default: beside the corpora).
        limit (`int`, *optional*): use only this many NDT train sentences (for smoke tests).
    """
    banks = load_treebanks(data_dir, limit)
    test_train, heldout = split_ud_test(banks["ndt_test"], banks["ud_test"])
    tune = [s for s in banks["ud_dev"] if _is_tune(s)]
    ud_train = [s for s in banks["ud_dev"] if not _is_tune(s)] + test_train
    table = FeatsTable.calibrate(
        align_by_forms(banks["ndt_dev"], ud_train) + align_by_forms(banks["ndt_test"], test_train)
    )
    ndt_converted = [convert_ndt_sentence(s, table) for s in banks["ndt_train"]]

    nlp = spacy.blank("nb")
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        "tagger_train_docs": write_docbin(nlp.vocab, ndt_converted + ud_train, out_dir / "tagger-train.spacy"),
        "parser_train_docs": write_docbin(nlp.vocab, ud_train, out_dir / "parser-train.spacy"),
        "tune_docs": write_docbin(nlp.vocab, tune, out_dir / "tune.spacy"),
        "ndt_sentences": len(ndt_converted),
        "ud_train_sentences": len(ud_train),
        "tune_sentences": len(tune),
        "heldout_sentences": len(heldout),
        "heldout_tokens": sum(len(s.tokens) for s in heldout),
    }
    write_conllu(heldout, heldout_path or out_dir / "heldout.conllu")
    conversion = conversion_accuracy(align_by_forms(banks["ndt_test"], heldout), table)
    (out_dir / "prepare.json").write_text(json.dumps({"counts": counts, "conversion": conversion}, indent=2))
    logger.info("prepared corpora in %s: %s", out_dir, counts)
    return PreparedCorpora(out_dir, counts, conversion)


def conversion_accuracy(pairs: list[tuple[Sentence, Sentence]], table: FeatsTable) -> dict[str, float]:
    """How often the NDT → UD conversion agrees with UD's own annotation of the same (held-out) sentences."""
    total = upos = feats = 0
    for ndt, ud in pairs:
        for converted, gold in zip(convert_ndt_sentence(ndt, table).tokens, ud.tokens, strict=True):
            total += 1
            upos += converted.upos == gold.upos
            feats += converted.feats == gold.feats
    return {"tokens": total, "upos": upos / max(total, 1), "feats": feats / max(total, 1)}


def train(corpus_dir: Path, out_dir: Path, max_steps: int | None = None, seed: int = 0) -> Path:
    """Train stage 1 (tagger) then stage 2 (parser); returns the folder of the best stage-2 pipeline."""
    steps = {"training.max_steps": max_steps} if max_steps else {}
    common = {"system.seed": seed, "paths.dev": str(corpus_dir / "tune.spacy"), **steps}
    if max_steps:
        common["training.eval_frequency"] = max(1, min(max_steps, 200))
    spacy_train(
        CONFIGS / "tagger.cfg",
        out_dir / "tagger",
        overrides={**common, "paths.train": str(corpus_dir / "tagger-train.spacy")},
    )
    spacy_train(
        CONFIGS / "parser.cfg",
        out_dir / "parser",
        overrides={
            **common,
            "paths.train": str(corpus_dir / "parser-train.spacy"),
            "paths.tagger": str(out_dir / "tagger" / "model-best"),
        },
    )
    return out_dir / "parser" / "model-best"


def evaluate(nlp: Language, heldout_path: Path | None = None) -> dict[str, float]:
    """UPOS, morph, lemma, UAS, LAS (in %) on the held-out UD sentences, with gold tokenisation."""
    path = Path(str(heldout_path or HELDOUT))
    if not path.is_file():
        raise InputDataError(f"held-out treebank not found: {path}")
    scores = nlp.evaluate(heldout_examples(nlp, read_conll(path)))
    return {
        label: round(100 * float(scores[key]), 2) for key, label in SCORE_KEYS.items() if scores.get(key) is not None
    }


def package(model_dir: Path, target: Path, heldout_path: Path | None = None, version: str = "0.1.0") -> dict:
    """Evaluate the trained pipeline, record the scores and provenance in its meta, and write it to `target`."""
    nlp = spacy.load(model_dir)
    scores = evaluate(nlp, heldout_path)
    nlp.meta.update(
        {
            "name": "saga_sm",
            "version": version,
            "description": "Norwegian Bokmål pipeline for saga: tok2vec, morphologizer (UPOS + UD FEATS), "
            "trainable lemmatizer, dependency parser (UD). Trained by `saga nlp train` on NDT + UD Norwegian-Bokmaal.",
            "license": "CC BY-SA 4.0",
            "sources": [
                {"name": "UD Norwegian-Bokmaal 2.16 (dev + part of test)", "license": "CC BY-SA 4.0"},
                {"name": "Norwegian Dependency Treebank (Bokmål), OBT tags converted to UD", "license": "see NDT"},
            ],
            "saga_heldout_accuracy": scores,
        }
    )
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    return scores
