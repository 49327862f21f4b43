"""Training the acceptability classifier (`saga scorer train-acceptability`): vocabularies, epochs, model selection.

Deterministic on CPU for a given seed and thread count: examples are shuffled by a seeded generator, batches are
built from length-sorted chunks (so little padding is computed), and the epoch with the best dev AUROC is kept.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from tqdm import tqdm

from saga.builders.scoring.acceptability import (
    REFERENCE_PERCENTILE,
    AcceptabilityArchitecture,
    AcceptabilityClassifier,
    load_classifier,
)
from saga.builders.scoring.acceptability_features import FIELDS, SPECIALS, UNK
from saga.builders.scoring.training.acceptability_data import SourceSentence, build_examples, source_sentences
from saga.builders.scoring.training.evaluation import auroc
from saga.threads import torch_threads
from saga.versions import file_sha256, source_fingerprint

logger = logging.getLogger(__name__)
# The modules that turn source sentences into examples (corruptions, parsing, features): part of the cache key.
EXAMPLE_CODE_ROOT = Path(__file__).parents[1]
EXAMPLE_CODE = tuple(
    EXAMPLE_CODE_ROOT / name
    for name in ("training/minimal_pairs.py", "training/acceptability_data.py", "acceptability_features.py")
)


@dataclass
class AcceptabilityTrainingConfig:
    """Everything a trained classifier depends on besides its data.

    Args:
        epochs (`int`, *optional*, defaults to 6): passes over the training examples.
        batch_size (`int`, *optional*, defaults to 128): sentences per optimiser step.
        learning_rate (`float`, *optional*, defaults to 2e-3): Adam's learning rate (halved each epoch after 3).
        seed (`int`, *optional*, defaults to 0): shuffling, dropout and initialisation seed.
        min_count (`int`, *optional*, defaults to 2): strings seen fewer times in training become `<unk>`.
        max_vocab (`dict[str, int]`, *optional*): the most frequent strings kept per field.
        word_dropout (`float`, *optional*, defaults to 0.05): share of word ids replaced by `<unk>` in training, so
            the network learns to read unknown words from their suffix and tag.
        dims (`dict[str, int]`, *optional*): embedding size per field.
        hidden (`int`, *optional*, defaults to 128): LSTM size per direction.
        layers (`int`, *optional*, defaults to 2): BiLSTM layers.
        dropout (`float`, *optional*, defaults to 0.3): dropout rate.
        token_loss_weight (`float`, *optional*, defaults to 2.0): weight of an auxiliary loss that asks every token's
            BiLSTM state whether it stands at the corruption (the deleted word's neighbours, the two swapped words;
            `positions` of the examples). One label per sentence says only that something is wrong; the token
            labels say where, a denser signal from the same examples. Training only: the token head is not saved,
            the shipped network is the same shape; 0 turns it off.
        teacher (`str`, *optional*): a classifier file (`AcceptabilityClassifier.save`) whose P(corrupted) the
            network learns beside the labels (knowledge distillation): a smaller, faster network then learns from
            a larger one's graded judgements of the same examples, not only from their 0/1 labels.
        teacher_weight (`float`, *optional*, defaults to 0.5): share of the sentence loss that targets the
            teacher's P(corrupted) instead of the label; only with `teacher`.
        threads (`int`, *optional*, defaults to 2): torch CPU threads.
        corruption_rounds (`int`, *optional*, defaults to 2): rounds of corruptions per source sentence (see
            `saga.builders.scoring.training.acceptability_data.build_examples`).
    """

    epochs: int = 6
    batch_size: int = 128
    learning_rate: float = 2e-3
    seed: int = 0
    min_count: int = 2
    max_vocab: dict[str, int] = field(default_factory=lambda: {"word": 20000, "suffix": 4000, "tag": 1000})
    word_dropout: float = 0.05
    dims: dict[str, int] = field(
        default_factory=lambda: {"word": 64, "suffix": 32, "tag": 32, "dep": 16, "head": 8, "shape": 8}
    )
    hidden: int = 128
    layers: int = 2
    dropout: float = 0.3
    token_loss_weight: float = 2.0
    teacher: str | None = None
    teacher_weight: float = 0.5
    threads: int = 2
    corruption_rounds: int = 2

    def __post_init__(self):
        sizes = (self.epochs, self.batch_size, self.min_count, self.hidden, self.layers, self.threads)
        if min(*sizes, self.corruption_rounds) < 1:
            raise ValueError(
                "epochs, batch_size, min_count, hidden, layers, threads and corruption_rounds must be >= 1"
            )
        if self.token_loss_weight < 0:
            raise ValueError(f"token_loss_weight must be >= 0, got {self.token_loss_weight}")
        if not 0 <= self.teacher_weight <= 1:
            raise ValueError(f"teacher_weight must be in [0, 1], got {self.teacher_weight}")
        if not 0 <= self.word_dropout < 1 or not 0 <= self.dropout < 1:
            raise ValueError(f"dropout rates must be in [0, 1), got {self.word_dropout} and {self.dropout}")
        missing = sorted(set(FIELDS) - set(self.dims))
        if missing:
            raise ValueError(f"dims lacks the fields {missing}")


def read_examples(path: Path) -> list[dict]:
    """Examples written by `write_examples` (gzip JSON lines)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def write_examples(examples: Iterable[dict], path: Path) -> int:
    """Write examples as gzip JSON lines (`mtime=0`, so the same examples give the same bytes); returns the count.

    The file appears under `path` only once complete (written beside it, then renamed): `train_acceptability`
    takes an existing file for a finished cache, and a run killed while parsing must not leave half of one there.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with partial.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
            for example in examples:
                handle.write((json.dumps(example, ensure_ascii=False, sort_keys=True) + "\n").encode())
                count += 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return count


def build_vocab(examples: Iterable[dict], min_count: int, max_vocab: dict[str, int]) -> dict[str, list[str]]:
    """The strings of each field seen at least `min_count` times, most frequent first (ties alphabetically)."""
    counters = {name: Counter() for name in FIELDS}
    for example in examples:
        for name in FIELDS:
            counters[name].update(example["features"][name])
    vocab = {}
    for name, counter in counters.items():
        frequent = sorted((s for s, c in counter.items() if c >= min_count), key=lambda s: (-counter[s], s))
        vocab[name] = [*SPECIALS, *frequent[: max_vocab.get(name, len(frequent))]]
    return vocab


def _batches(examples: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    order = list(examples)
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        sorted_chunk = sorted(order[start : start + chunk], key=lambda e: len(e["features"]["word"]))
        batches += [sorted_chunk[i : i + batch_size] for i in range(0, len(sorted_chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def token_targets(batch: list[dict], width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-token targets `(batch, width)` (1 at the corruption) and which of them count: every token of a correct
    sentence, every token of a corrupted one whose `positions` are known, none of one whose parse did not align.

    Args:
        batch (`list[dict]`): examples with `features` and `positions`.
        width (`int`): the padded length of the batch.
    """
    targets = torch.zeros(len(batch), width)
    known = torch.zeros(len(batch), width, dtype=torch.bool)
    for row, example in enumerate(batch):
        positions = example.get("positions")
        if positions is None:
            continue
        known[row, : len(example["features"]["word"])] = True
        targets[row, positions] = 1.0
    return targets, known


def predict_examples(classifier: AcceptabilityClassifier, examples: list[dict], batch_size: int = 256) -> list[float]:
    """P(corrupted) for each example, in order."""
    scores = []
    for start in range(0, len(examples), batch_size):
        scores += classifier.predict_features([e["features"] for e in examples[start : start + batch_size]])
    return scores


def dev_auroc(classifier: AcceptabilityClassifier, examples: list[dict]) -> float:
    """AUROC of -P(corrupted) with correct sentences as positives (as `saga scorer eval` counts it)."""
    scores = predict_examples(classifier, examples)
    correct = [-s for s, e in zip(scores, examples, strict=True) if e["label"] == 0]
    corrupted = [-s for s, e in zip(scores, examples, strict=True) if e["label"] == 1]
    return auroc(correct, corrupted)


def train_classifier(
    examples: list[dict], config: AcceptabilityTrainingConfig
) -> tuple[AcceptabilityClassifier, dict]:
    """Train on the examples whose `dev` is false, select the epoch by dev AUROC; returns the model and a report.

    Args:
        examples (`list[dict]`): from `saga.builders.scoring.training.acceptability_data.build_examples`.
        config (`AcceptabilityTrainingConfig`): the settings.
    """
    train = [e for e in examples if not e["dev"]]
    dev = [e for e in examples if e["dev"]]
    if not train or not dev or len({e["label"] for e in dev}) < 2:
        raise ValueError(f"need train and dev examples of both labels, got {len(train)} train and {len(dev)} dev")
    with torch_threads(config.threads):  # a fixed thread count keeps the float sums, hence the weights, stable
        return _train(train, dev, config)


def _train(
    train: list[dict], dev: list[dict], config: AcceptabilityTrainingConfig
) -> tuple[AcceptabilityClassifier, dict]:
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    vocab = build_vocab(train, config.min_count, config.max_vocab)
    architecture = AcceptabilityArchitecture(config.dims, config.hidden, config.layers, config.dropout)
    classifier = AcceptabilityClassifier(vocab, architecture)
    net = classifier.net
    token_head = nn.Linear(net.state_width, 1) if config.token_loss_weight else None
    parameters = [*net.parameters(), *(token_head.parameters() if token_head is not None else ())]
    optimiser = torch.optim.Adam(parameters, lr=config.learning_rate)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda epoch: 0.5 ** max(0, epoch - 2))
    loss_fn = nn.BCEWithLogitsLoss()
    soft: dict[int, float] = {}
    if config.teacher:  # the teacher's P(corrupted) of every training example, by identity, computed once
        soft = dict(zip(map(id, train), predict_examples(load_classifier(config.teacher), train), strict=True))
    best, best_state, history = -1.0, None, []
    for epoch in range(config.epochs):
        net.train()
        total, steps = 0.0, 0
        for batch in tqdm(_batches(train, config.batch_size, rng), desc=f"epoch {epoch + 1}", leave=False):
            ids, lengths = classifier.encode([e["features"] for e in batch])
            if config.word_dropout:
                dropped = torch.rand(ids["word"].shape) < config.word_dropout
                ids["word"] = ids["word"].masked_fill(dropped & (ids["word"] > UNK), UNK)
            labels = torch.tensor([float(e["label"]) for e in batch])
            states, mask = net.states(ids, lengths)
            logits = net.logits(states, mask, lengths)
            loss = loss_fn(logits, labels)
            if soft:
                targets = torch.tensor([soft[id(e)] for e in batch])
                loss = (1 - config.teacher_weight) * loss + config.teacher_weight * loss_fn(logits, targets)
            if token_head is not None:
                positions, known = token_targets(batch, states.shape[1])
                if known.any():
                    token_logits = token_head(net.dropout(states)).squeeze(-1)
                    loss = loss + config.token_loss_weight * loss_fn(token_logits[known], positions[known])
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(parameters, 1.0)
            optimiser.step()
            total, steps = total + loss.item(), steps + 1
        scheduler.step()
        net.eval()
        score = dev_auroc(classifier, dev)
        history.append({"epoch": epoch + 1, "train_loss": round(total / steps, 4), "dev_auroc": round(score, 4)})
        logger.info("acceptability epoch %d: %s", epoch + 1, history[-1])
        if score > best:
            best = score
            best_state = {k: v.detach().clone() for k, v in classifier.net.state_dict().items()}
    classifier.net.load_state_dict(best_state)
    classifier.net.eval()
    report = {
        "config": _reported(config),
        "train_examples": len(train),
        "dev_examples": len(dev),
        "vocab_sizes": {name: len(strings) for name, strings in vocab.items()},
        "history": history,
        "best_dev_auroc": round(best, 4),
    }
    if config.teacher:
        report["teacher_sha256"] = file_sha256(config.teacher)
    return classifier, report


def _reported(config: AcceptabilityTrainingConfig) -> dict:
    """The config as the training report records it: the teacher by file name, its bytes by `teacher_sha256`, so
    that a student's file does not depend on where the checkout lies."""
    reported = asdict(config)
    if config.teacher:
        reported["teacher"] = Path(config.teacher).name
    return reported


def examples_file(work_dir: Path, pipeline: str, sentences: list[SourceSentence], rounds: int) -> Path:
    """Where the parsed examples of these inputs are kept: the name holds everything they depend on (the parsing
    pipeline's fingerprint, the source sentences, the code that corrupts them and reads their features, the rounds),
    so a change to any of them builds a new file instead of reusing a stale one.

    Args:
        work_dir (`Path`): the folder of example files.
        pipeline (`str`): the parsing pipeline's fingerprint (`saga.builders.nlp.pipeline_fingerprint`).
        sentences (`list[SourceSentence]`): the source sentences.
        rounds (`int`): rounds of corruptions.
    """
    sources = hashlib.sha256(json.dumps([asdict(s) for s in sentences], ensure_ascii=False).encode()).hexdigest()
    code = source_fingerprint(EXAMPLE_CODE_ROOT, EXAMPLE_CODE)
    return work_dir / f"examples-{pipeline}-{sources[:12]}-{code[:12]}-r{rounds}.jsonl.gz"


def train_acceptability(
    data_dir: Path,
    out: Path,
    config: AcceptabilityTrainingConfig | None = None,
    work_dir: Path = Path("build/acceptability"),
    pipeline: str = "nb_saga_sm",
    n_process: int = 1,
    wiki: Path | None = None,
) -> dict:
    """Build the examples (cached in `work_dir` per pipeline), train, calibrate and write the classifier to `out`.

    Args:
        data_dir (`Path`): the folder with the treebanks and `news_nb/` (`../shared/data`).
        out (`Path`): the safetensors file to write.
        config (`AcceptabilityTrainingConfig`, *optional*): training settings; defaults to the bundled model's.
        work_dir (`Path`, *optional*, defaults to `build/acceptability`): where the parsed examples are kept, one
            file per pipeline, source sentences, version of the example code (`EXAMPLE_CODE`) and number of
            corruption rounds.
        pipeline (`str`, *optional*, defaults to `"nb_saga_sm"`): the spaCy pipeline whose parses the model reads;
            it must be the pipeline the scorer uses.
        n_process (`int`, *optional*, defaults to 1): parsing processes.
        wiki (`Path`, *optional*): Wikipedia articles (JSONL); defaults to the bundled sample.
    """
    from saga.builders import nlp as nlp_loader
    from saga.builders.scoring import segmentation

    config = config or AcceptabilityTrainingConfig()
    nlp = nlp_loader.load.__wrapped__(pipeline)
    fingerprint = nlp_loader.pipeline_fingerprint(nlp)
    segmentation.add_sentence_starts(nlp)
    sentences, source_stats = source_sentences(data_dir, wiki)
    path = examples_file(work_dir, fingerprint, sentences, config.corruption_rounds)
    if not path.is_file():
        logger.info("parsing %d source sentences and their corruptions into %s", len(sentences), path)
        write_examples(build_examples(nlp, sentences, config.corruption_rounds, n_process=n_process), path)
    examples = read_examples(path)
    classifier, report = train_classifier(examples, config)
    report = {"pipeline": fingerprint, "sources": source_stats, **report}
    classifier.round_weights()
    report["reference"] = classifier.calibrate([e["features"] for e in examples if e["dev"] and e["label"] == 0])
    report["reference_percentile"] = REFERENCE_PERCENTILE
    classifier.training = report
    classifier.save(out)
    return report
