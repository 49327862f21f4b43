"""How well the scorer separates real learners' sentences judged acceptable from those judged not: NoCoLA.

NoCoLA (Jentoft and Samuel, 2023, "NoCoLA: The Norwegian Corpus of Linguistic Acceptability", NoDaLiDa) takes
sentences written by learners of Norwegian (the ASK corpus) and labels each acceptable or not, the unacceptable
ones with an ASK error code: F wrong form, W wrong word, ORT spelling, M missing word, R redundant word, PUNCM
missing punctuation, O word order, CAP capitalisation, and more. Unlike the corruptions of
`saga.builders.scoring.training.minimal_pairs`, nobody made these errors to fit the scorer.

The class file format: a line `Ungrammatical:`, then one `sentence<TAB>CODE` per line; a line `Grammatical:`, then
one sentence per line. saga ships no NoCoLA data (its authors state no licence for redistribution); point
`saga scorer eval --nocola FILE` at a copy. It is for evaluation only: nothing in saga trains or tunes on it.

Reported per scorer: AUROC (acceptable sentences as positives); AUROC on a length-matched sample, where each
unacceptable sentence is paired with an acceptable one of the same word count (drawn with a fixed seed), so that
"shorter scores higher" earns nothing; AUROC per error code (acceptable sentences against those of one code); the
share of acceptable sentences scored below 0 and at or above the SFT threshold 0.65; and what sentence length alone
reaches (shorter = better), the baseline a scorer must beat.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from saga.builders.scoring.scorer import GrammarScorer
from saga.builders.scoring.training.evaluation import auroc
from saga.errors import InputDataError
from saga.tables import markdown_table

HEADERS = {"Ungrammatical:": False, "Grammatical:": True}
# The SFT corpus threshold: an acceptable sentence below it is lost to SFT.
SFT_THRESHOLD = 0.65
# Codes with fewer unacceptable sentences get no row of their own (their AUROC would be noise).
MIN_CODE_SENTENCES = 20
LENGTH_SEED = 0


@dataclass(frozen=True)
class JudgedSentence:
    """One NoCoLA sentence.

    Args:
        text (`str`): the sentence.
        acceptable (`bool`): judged acceptable.
        code (`str`, *optional*): the ASK error code of an unacceptable sentence.
    """

    text: str
    acceptable: bool
    code: str | None = None

    @property
    def words(self) -> int:
        """Its word count (whitespace-separated), the unit the length-matched sample matches on."""
        return len(self.text.split())


@dataclass(frozen=True)
class NocolaReport:
    """What one scorer reaches on a NoCoLA file.

    Args:
        label (`str`): which scorer (e.g. `"default"`, `"κ = 0"`).
        acceptable (`int`): acceptable sentences.
        unacceptable (`int`): unacceptable sentences.
        auroc (`float`): AUROC of the score, acceptable sentences as positives.
        length_matched_auroc (`float`): AUROC on the length-matched sample.
        matched_pairs (`int`): pairs in that sample (unacceptable sentences with no acceptable one of their length
            are left out).
        length_auroc (`float`): AUROC of sentence length alone (shorter = better).
        below_zero (`float`): share of acceptable sentences scored < 0.
        at_sft_threshold (`float`): share of acceptable sentences scored ≥ 0.65.
        by_code (`dict[str, tuple[int, float]]`): error code → (sentences, AUROC against the acceptable ones).
        rule_hits (`dict[str, tuple[float, float]]`): rule id → (share of acceptable, share of unacceptable sentences
            it flags), for the rules that flag any.
    """

    label: str
    acceptable: int
    unacceptable: int
    auroc: float
    length_matched_auroc: float
    matched_pairs: int
    length_auroc: float
    below_zero: float
    at_sft_threshold: float
    by_code: dict[str, tuple[int, float]]
    rule_hits: dict[str, tuple[float, float]] = field(default_factory=dict)


def read_nocola(path: str | Path) -> list[JudgedSentence]:
    """The sentences of a NoCoLA class file, in file order.

    Args:
        path (`str` or `Path`): the file (`Ungrammatical:` / `Grammatical:` sections).

    Raises:
        `InputDataError`: naming the file and line of the first line that does not fit the format.
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"{path}: no such file", hint="pass a NoCoLA class file (e.g. NoCoLa_class_dev.txt)")
    sentences, acceptable = [], None
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.strip() in HEADERS:
                acceptable = HEADERS[line.strip()]
                continue
            if not line.strip():
                continue
            if acceptable is None:
                raise InputDataError(
                    f"{path}, line {number}: a sentence before any 'Ungrammatical:'/'Grammatical:' line"
                )
            if acceptable:
                sentences.append(JudgedSentence(line.strip(), True))
                continue
            text, tab, code = line.rpartition("\t")
            if not tab or not text.strip() or not code.strip():
                raise InputDataError(f"{path}, line {number}: expected 'sentence<TAB>ERRORCODE', got {line[:60]!r}")
            sentences.append(JudgedSentence(text.strip(), False, code.strip()))
    if not any(s.acceptable for s in sentences) or all(s.acceptable for s in sentences):
        raise InputDataError(f"{path}: needs both acceptable and unacceptable sentences")
    return sentences


def length_matched_pairs(sentences: list[JudgedSentence], seed: int = LENGTH_SEED) -> list[tuple[int, int]]:
    """(unacceptable index, acceptable index) pairs: each unacceptable sentence with an acceptable one of the same
    word count, drawn with `seed`; unacceptable sentences whose length no acceptable one has are left out.

    Args:
        sentences (`list[JudgedSentence]`): from `read_nocola`.
        seed (`int`, *optional*, defaults to 0): the draw's seed.
    """
    by_length: dict[int, list[int]] = defaultdict(list)
    for index, sentence in enumerate(sentences):
        if sentence.acceptable:
            by_length[sentence.words].append(index)
    rng = random.Random(seed)
    return [
        (index, rng.choice(by_length[sentence.words]))
        for index, sentence in enumerate(sentences)
        if not sentence.acceptable and by_length[sentence.words]
    ]


def report(
    label: str, sentences: list[JudgedSentence], scores: list[float], rules: list[set[str]] | None = None
) -> NocolaReport:
    """The `NocolaReport` of one scorer's `scores` (one per sentence, in order).

    Args:
        label (`str`): the scorer's label.
        sentences (`list[JudgedSentence]`): from `read_nocola`.
        scores (`list[float]`): the scores.
        rules (`list[set[str]]`, *optional*): the rule ids that flag each sentence, for `rule_hits`.
    """
    good = [score for score, s in zip(scores, sentences, strict=True) if s.acceptable]
    bad = [score for score, s in zip(scores, sentences, strict=True) if not s.acceptable]
    pairs = length_matched_pairs(sentences)
    codes: dict[str, list[float]] = defaultdict(list)
    for score, sentence in zip(scores, sentences, strict=True):
        if not sentence.acceptable:
            codes[sentence.code].append(score)
    lengths = [-s.words for s in sentences]
    return NocolaReport(
        label=label,
        acceptable=len(good),
        unacceptable=len(bad),
        auroc=auroc(good, bad),
        length_matched_auroc=auroc([scores[j] for _, j in pairs], [scores[i] for i, _ in pairs]),
        matched_pairs=len(pairs),
        length_auroc=auroc(
            [x for x, s in zip(lengths, sentences, strict=True) if s.acceptable],
            [x for x, s in zip(lengths, sentences, strict=True) if not s.acceptable],
        ),
        below_zero=sum(score < 0 for score in good) / len(good),
        at_sft_threshold=sum(score >= SFT_THRESHOLD for score in good) / len(good),
        by_code={
            code: (len(values), auroc(good, values))
            for code, values in sorted(codes.items(), key=lambda item: (-len(item[1]), item[0]))
            if len(values) >= MIN_CODE_SENTENCES
        },
        rule_hits=_rule_hits(sentences, rules) if rules is not None else {},
    )


def _rule_hits(sentences: list[JudgedSentence], rules: list[set[str]]) -> dict[str, tuple[float, float]]:
    """Rule id → (share of acceptable, share of unacceptable sentences it flags), most unacceptable first."""
    good = sum(s.acceptable for s in sentences)
    bad = len(sentences) - good
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sentence, fired in zip(sentences, rules, strict=True):
        for rule_id in fired:
            counts[rule_id][0 if sentence.acceptable else 1] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1][1], item[0]))
    return {rule_id: (hits[0] / good, hits[1] / bad) for rule_id, hits in ranked}


def evaluate_nocola(
    scorers: dict[str, GrammarScorer], path: str | Path, batch_size: int = 64, n_process: int = 1
) -> list[NocolaReport]:
    """Score every sentence of a NoCoLA file with each scorer and report.

    Args:
        scorers (`dict[str, GrammarScorer]`): label → scorer.
        path (`str` or `Path`): the NoCoLA class file.
        batch_size (`int`, *optional*, defaults to 64): `nlp.pipe` batch size.
        n_process (`int`, *optional*, defaults to 1): worker processes.
    """
    sentences = read_nocola(path)
    texts = [s.text for s in sentences]
    reports = []
    for label, scorer in scorers.items():
        results = list(scorer.score_batch(texts, batch_size, n_process))
        fired = [{v.rule_id for v in result.violations} for result in results]
        reports.append(report(label, sentences, [r.score for r in results], fired))
    return reports


def format_reports(reports: list[NocolaReport]) -> str:
    """Two Markdown tables: the headline measures per scorer, then AUROC per error code."""
    labels = [r.label for r in reports]
    measures = [
        ("AUROC", lambda r: f"{r.auroc:.3f}"),
        ("AUROC, length-matched", lambda r: f"{r.length_matched_auroc:.3f}"),
        ("acceptable scored < 0", lambda r: f"{r.below_zero:.1%}"),
        (f"acceptable scored ≥ {SFT_THRESHOLD}", lambda r: f"{r.at_sft_threshold:.1%}"),
    ]
    align = "l" + "r" * len(reports)
    lines = [
        markdown_table(["measure", *labels], [[name] + [cell(r) for r in reports] for name, cell in measures], align)
    ]
    first = reports[0]
    lines.append(
        f"\n{first.acceptable} acceptable, {first.unacceptable} unacceptable sentences; {first.matched_pairs} "
        f"length-matched pairs; sentence length alone (shorter = better): AUROC {first.length_auroc:.3f}.\n"
    )
    by_code = [
        [code, count] + [f"{r.by_code[code][1]:.3f}" for r in reports] for code, (count, _) in first.by_code.items()
    ]
    lines.append(markdown_table(["error code", "sentences", *labels], by_code, "l" + align))
    if first.rule_hits:
        lines += [f"\nRules of {first.label}: the share of sentences each flags\n"]
        hits = [[rule, f"{good:.1%}", f"{bad:.1%}"] for rule, (good, bad) in first.rule_hits.items()]
        lines.append(markdown_table(["rule", "acceptable", "unacceptable"], hits, "lrr"))
    return "\n".join(lines)


def reports_as_dicts(reports: list[NocolaReport]) -> list[dict]:
    """The reports as plain dicts (for `--json`)."""
    return [asdict(r) for r in reports]
