"""A learned acceptability signal: P(a sentence was corrupted) from its words and its parse.

Why: a deleted or swapped word usually breaks no rule the parser can see, and the tag n-gram term (`I`) only sees
tag sequences. This classifier reads each token's lower-cased form, its suffix, its predicted UPOS + morphology,
its dependency relation, the direction and distance of its head and its capitalisation, runs a two-layer BiLSTM
over the sentence and max-pools it into one logit, so it can notice that "bor Oslo" lacks a preposition or that
"han spiste" stands in the wrong order after a fronted adverbial. It is trained on correct sentences against
ScaLA-style corruptions of them (`saga.builders.scoring.training.acceptability_data`, `saga scorer
train-acceptability`), never on the held-out sentences `saga scorer eval` reports, with a second, token-level loss
during training on where each corruption is (`AcceptabilityTrainingConfig.token_loss_weight`).

The model ships as one safetensors file (`assets/scorer/acceptability_v1.safetensors`): float16 weights plus, in
the file's metadata, the architecture and the vocabularies, so nothing is pickled. Its sha256 is part of the scorer
fingerprint.

Example:
    ```python
    >>> from saga.builders import nlp
    >>> classifier = load_classifier()
    >>> pipeline = nlp.load("nb_saga_sm")
    >>> correct, broken = classifier.predict([pipeline("Han bor i Oslo."), pipeline("Han bor Oslo.")])
    >>> correct < broken
    True
    ```
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from spacy.tokens import Doc, Span
from torch import nn

from saga.builders.scoring.acceptability_features import FIELDS, PAD, SPECIALS, UNK, TokenIds
from saga.builders.scoring.errors import ScorerConfigError
from saga.permissions import share_like_other_files

FORMAT = "saga-acceptability-v1"
BUNDLED_CLASSIFIER = files("saga.assets") / "scorer" / "acceptability_v1.safetensors"
# U starts at the P that three in four correct dev sentences stay below: at the median (scorer 1.2.0) half of the
# correct sentences paid for U, and only 58% of the correct dev sentences reached the SFT threshold 0.65.
REFERENCE_PERCENTILE = 75
# `save` stores float16 weights; the scorer runs them in float32.
FILE_DTYPE = torch.float16


@dataclass(frozen=True)
class AcceptabilityArchitecture:
    """The network's sizes.

    Args:
        dims (`dict[str, int]`): embedding size per field of `FIELDS`.
        hidden (`int`): LSTM hidden size per direction.
        layers (`int`): stacked BiLSTM layers.
        dropout (`float`): dropout on embeddings and between layers during training.
    """

    dims: dict[str, int]
    hidden: int = 128
    layers: int = 2
    dropout: float = 0.3


class AcceptabilityNet(nn.Module):
    """Embeddings per field → BiLSTM → max and mean pooling over tokens → one logit (corrupted vs correct).

    Args:
        vocab_sizes (`dict[str, int]`): vocabulary size per field (specials included).
        architecture (`AcceptabilityArchitecture`): the sizes.
    """

    def __init__(self, vocab_sizes: dict[str, int], architecture: AcceptabilityArchitecture):
        super().__init__()
        self.embeddings = nn.ModuleDict(
            {name: nn.Embedding(vocab_sizes[name], architecture.dims[name], padding_idx=PAD) for name in FIELDS}
        )
        width = sum(architecture.dims[name] for name in FIELDS)
        self.dropout = nn.Dropout(architecture.dropout)
        self.encoder = nn.LSTM(
            width,
            architecture.hidden,
            num_layers=architecture.layers,
            dropout=architecture.dropout if architecture.layers > 1 else 0.0,
            bidirectional=True,
            batch_first=True,
        )
        self.head = nn.Sequential(nn.Linear(4 * architecture.hidden, architecture.hidden), nn.Tanh())
        self.out = nn.Linear(architecture.hidden, 1)

    @property
    def state_width(self) -> int:
        """The size of each token's BiLSTM state (both directions)."""
        return 2 * self.encoder.hidden_size

    def states(self, ids: dict[str, torch.Tensor], lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Token states `(batch, tokens, state_width)` and the mask of real tokens `(batch, tokens, 1)`."""
        embedded = self.dropout(torch.cat([self.embeddings[name](ids[name]) for name in FIELDS], dim=-1))
        packed = nn.utils.rnn.pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        encoded, _ = self.encoder(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(encoded, batch_first=True, total_length=embedded.shape[1])
        mask = (torch.arange(states.shape[1])[None, :] < lengths[:, None]).unsqueeze(-1)
        return states, mask

    def logits(self, states: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Sentence logits `(batch,)` from token states: max and mean pooling, then the head."""
        maximum = states.masked_fill(~mask, float("-inf")).max(dim=1).values
        mean = (states * mask).sum(dim=1) / lengths[:, None].clamp(min=1)
        return self.out(self.dropout(self.head(torch.cat([maximum, mean], dim=-1)))).squeeze(-1)

    def forward(self, ids: dict[str, torch.Tensor], lengths: torch.Tensor) -> torch.Tensor:
        """Logits of shape `(batch,)` for padded id tensors of shape `(batch, tokens)` and true `lengths`."""
        return self.logits(*self.states(ids, lengths), lengths)

    def multiply_adds(self, lengths: Sequence[int]) -> int:
        """Multiply-adds of one forward pass over sentences of these token counts (the embeddings are lookups).

        Why: the pass is compute-bound, so this count over the machine's matrix-product rate is a floor under its time
        that no float32 implementation of the same network beats by much (`make bench` prints it). Each LSTM weight
        matrix multiplies once per token, in every layer and direction; the head's once per sentence.

        Args:
            lengths (`Sequence[int]`): the token count of each sentence.
        """
        per_token = sum(w.numel() for name, w in self.encoder.named_parameters() if name.startswith("weight_"))
        per_sentence = self.head[0].weight.numel() + self.out.weight.numel()
        return per_token * sum(lengths) + per_sentence * len(lengths)


class AcceptabilityClassifier:
    """The trained network with its vocabularies: parsed sentences → P(corrupted) in [0, 1].

    Args:
        vocab (`dict[str, list[str]]`): the strings of each field, index = id (`SPECIALS` first).
        architecture (`AcceptabilityArchitecture`): the network's sizes.
        net (`AcceptabilityNet`, *optional*): trained weights; a fresh network when omitted (training).
        reference (`float`, *optional*, defaults to 0.5): P(corrupted) from which the formula's penalty starts;
            set by `calibrate`.
        training (`dict`, *optional*): the training report, kept in the file's metadata.
    """

    def __init__(
        self,
        vocab: dict[str, list[str]],
        architecture: AcceptabilityArchitecture,
        net: AcceptabilityNet | None = None,
        reference: float = 0.5,
        training: dict | None = None,
    ):
        missing = [name for name in FIELDS if name not in vocab or list(vocab[name][:2]) != list(SPECIALS)]
        if missing:
            raise ScorerConfigError(f"acceptability vocabularies missing or malformed for fields {missing}")
        self.vocab = vocab
        self.index = {name: {s: i for i, s in enumerate(strings)} for name, strings in vocab.items()}
        self.token_ids = TokenIds(self.index)
        self.architecture = architecture
        self.net = net or AcceptabilityNet({name: len(strings) for name, strings in vocab.items()}, architecture)
        self.net.eval()
        self.reference = reference
        self.training = training or {}

    def encode(self, batch: Sequence[dict[str, list[str]]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Padded id tensors and lengths for a batch of `token_features` (unknown strings → `<unk>`).

        Args:
            batch (`Sequence[dict[str, list[str]]]`): features of each sentence.
        """
        rows = []
        for features in batch:
            columns = [[self.index[name].get(s, UNK) for s in features[name]] for name in FIELDS]
            rows.append(np.array(columns, dtype=np.int64).reshape(len(FIELDS), -1).T)
        return self.pad(rows)

    @staticmethod
    def pad(rows: Sequence[np.ndarray]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Padded id tensors per field and true lengths for sentences given as `(tokens, fields)` id arrays."""
        lengths = [max(1, len(row)) for row in rows]
        padded = np.zeros((len(rows), max(lengths, default=1), len(FIELDS)), dtype=np.int64)
        for number, row in enumerate(rows):
            padded[number, : len(row)] = row
        tensor = torch.from_numpy(padded)
        return {name: tensor[:, :, column] for column, name in enumerate(FIELDS)}, torch.tensor(lengths)

    @torch.inference_mode()
    def _probabilities(self, ids: dict[str, torch.Tensor], lengths: torch.Tensor) -> list[float]:
        # Rounded to 6 decimals so scores stay reproducible.
        return [round(p, 6) for p in torch.sigmoid(self.net(ids, lengths)).tolist()]

    def predict_features(self, batch: Sequence[dict[str, list[str]]]) -> list[float]:
        """P(corrupted) for each sentence's `token_features`.

        Args:
            batch (`Sequence[dict[str, list[str]]]`): the sentences' features.
        """
        return self._probabilities(*self.encode(batch)) if batch else []

    def predict_rows(self, rows: Sequence[np.ndarray]) -> list[float]:
        """P(corrupted) for sentences given as id arrays (`TokenIds.rows`).

        Args:
            rows (`Sequence[np.ndarray]`): one `(tokens, fields)` array per sentence.
        """
        return self._probabilities(*self.pad(rows)) if rows else []

    def predict(self, sentences: Iterable[Doc | Span]) -> list[float]:
        """P(corrupted) for parsed sentences.

        Args:
            sentences (`Iterable[Doc | Span]`): parsed sentences (POS, MORPH, DEP).
        """
        rows = []
        for sentence in sentences:
            doc, start, end = (
                (sentence, 0, len(sentence))
                if isinstance(sentence, Doc)
                else (sentence.doc, sentence.start, sentence.end)
            )
            rows += self.token_ids.rows(doc, [(start, end)])
        return self.predict_rows(rows)

    def unacceptability(self, probabilities: Sequence[float]) -> float:
        """U of the score formula: the mean over sentences of P(corrupted) above `reference`, rescaled to [0, 1].

        Args:
            probabilities (`Sequence[float]`): P(corrupted) of each sentence of a text (0 for none).

        Example:
            ```python
            >>> classifier = load_classifier()
            >>> classifier.unacceptability([classifier.reference]), classifier.unacceptability([1.0])
            (0.0, 1.0)
            ```
        """
        if not probabilities:
            return 0.0
        scale = 1.0 - self.reference
        return sum(min(1.0, max(0.0, (p - self.reference) / scale)) for p in probabilities) / len(probabilities)

    def calibrate(self, correct: Sequence[dict[str, list[str]]]) -> float:
        """Set `reference` to the `REFERENCE_PERCENTILE`th percentile of P(corrupted) over correct sentences.

        Args:
            correct (`Sequence[dict[str, list[str]]]`): `token_features` of correct sentences the model was not
                trained on (the dev split).
        """
        scores = sorted(self.predict_features(correct))
        self.reference = scores[round(REFERENCE_PERCENTILE / 100 * (len(scores) - 1))]
        return self.reference

    def round_weights(self) -> None:
        """Round the weights to the file's float16, as `save` stores them, so `calibrate` sees the shipped network."""
        state = self.net.state_dict()
        self.net.load_state_dict({name: tensor.to(FILE_DTYPE).to(tensor.dtype) for name, tensor in state.items()})
        self.net.eval()

    def save(self, path: str | Path) -> Path:
        """Write float16 weights and, as metadata, the format, architecture, vocabularies, reference and report."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # float16 halves the file; the network is evaluated in float32 after loading.
        state = self.net.state_dict()
        tensors = {name: tensor.detach().to(FILE_DTYPE).contiguous() for name, tensor in state.items()}
        # One metadata key: safetensors writes several keys in no fixed order, and the file must be reproducible.
        saga = {
            "format": FORMAT,
            "architecture": asdict(self.architecture),
            "vocab": self.vocab,
            "reference": self.reference,
            "training": self.training,
        }
        metadata = {"saga": json.dumps(saga, ensure_ascii=False, sort_keys=True)}
        save_file(tensors, str(path), metadata=metadata)
        share_like_other_files(path)
        return path

    @classmethod
    def from_file(cls, path: str | Path) -> AcceptabilityClassifier:
        """Load a file written by `save`.

        Raises:
            `ScorerConfigError`: when the file is missing or not an acceptability model.
        """
        path = Path(str(path))
        if not path.is_file():
            raise ScorerConfigError(
                f"acceptability model {path}: no such file", hint="build one with `saga scorer train-acceptability`"
            )
        with safe_open(str(path), framework="pt") as handle:
            saga = json.loads((handle.metadata() or {}).get("saga", "{}"))
        if saga.get("format") != FORMAT:
            raise ScorerConfigError(f"{path} is not a {FORMAT} file (format {saga.get('format')!r})")
        classifier = cls(
            saga["vocab"],
            AcceptabilityArchitecture(**saga["architecture"]),
            reference=saga["reference"],
            training=saga["training"],
        )
        state = {name: tensor.to(torch.float32) for name, tensor in load_file(str(path)).items()}
        classifier.net.load_state_dict(state)
        classifier.net.eval()
        return classifier


@lru_cache(maxsize=4)
def load_classifier(path: str | None = None) -> AcceptabilityClassifier:
    """The classifier in `path` (default: the bundled one), loaded once per process.

    Args:
        path (`str`, *optional*): a file written by `AcceptabilityClassifier.save`.
    """
    return AcceptabilityClassifier.from_file(path or BUNDLED_CLASSIFIER)
