"""`saga score` and `saga scorer`: score texts for Bokmål grammar (JSON lines), evaluate and describe the scorer."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from saga.builders.scoring import COMPONENT_NAME, GrammarScorer, GrammarScorerConfig, ScoreCache, ScoreFormula
from saga.builders.scoring.acceptability import BUNDLED_CLASSIFIER
from saga.builders.scoring.capitals import BUNDLED_CAPITALS
from saga.builders.scoring.formula import TUNED_ACCEPTABILITY_WEIGHT
from saga.builders.scoring.inputs import iter_jsonl, iter_lines, iter_parquet_column
from saga.builders.scoring.lexicon import BUNDLED_GENDERS
from saga.builders.scoring.sequence_model import BUNDLED_MODEL, TagNgramModel, docbin_sequences
from saga.builders.scoring.training.acceptability_data import source_sentences
from saga.builders.scoring.training.acceptability_training import AcceptabilityTrainingConfig, train_acceptability
from saga.builders.scoring.training.capital_counts import count_capitals, write_capitals
from saga.builders.scoring.training.evaluation import (
    evaluate_heldout,
    evaluate_inflections,
    format_table,
    rows_as_dicts,
)
from saga.builders.scoring.training.gender_counts import (
    count_genders,
    decide_genders,
    treebank_sentences,
    write_genders,
)
from saga.builders.scoring.training.nocola import evaluate_nocola, format_reports, reports_as_dicts
from saga.cli.config_flags import add_config_arguments, config_arguments
from saga.cli.main import COMMANDS
from saga.cli.output import add_json_option, emit
from saga.errors import InputDataError
from saga.tables import markdown_table
from saga.versions import file_sha256

SCORE_EXAMPLES = """examples:
  echo "Den store bilen står i garasjen." | saga score
  saga score sentences.txt > scores.jsonl
  echo '{"prompt": "Skriv en kort tekst om Oslo.", "text": "Her er en kort tekst om Oslo."}' | saga score --jsonl -
  saga score --parquet build/candidates.parquet --column text --n-process 2 --cache build/scores.sqlite
  saga score - --batch-size 256 < completions.txt

One JSON object per input line (or row), in input order: score in [-1, 1], parse_success, violations (rule,
start, end token, message, weight), the formula terms, and reason (why a text was not parsed, else null).
With --jsonl each input line is an object with "text" and an optional "prompt": a completion is then scored
against the prompt it answers (copying or restating it costs score).
"""

SCORER_EXAMPLES = """examples:
  saga scorer eval                         # AUROC / pairwise accuracy on the bundled held-out UD sentences
  saga scorer eval --nocola ../shared/data/nocola_dev/NoCoLa_class_dev.txt   # real learner errors too
  saga scorer eval --seed 1 --json
  saga scorer eval --heldout my_sentences.conllu --n-process 2
  saga scorer eval --acceptability-weight 0  # the rules and the n-gram term alone
  saga scorer info                         # fingerprint, formula and rule weights
  saga scorer train-lm --corpus build/nlp/corpus --out assets/scorer/tag_ngram_v1.json
  saga scorer train-acceptability --data ../shared/data
"""

BUILD_GENDERS_EXAMPLES = """examples:
  saga scorer build-genders --data ../shared/data     # rewrites assets/scorer/genders_v1.json
  saga scorer build-genders --data ../shared/data --out build/genders.json

Counts the gender of every common noun lemma and strong singular adjective form in NDT's gold annotation (never the
held-out test documents), and which adjective forms are mostly adverbials; the lexicon reads a noun's gender from
Ordbank and lets these counts veto homographs.
Same treebank → same bytes.
"""

BUILD_CAPITALS_EXAMPLES = """examples:
  saga scorer build-capitals --data ../shared/data     # rewrites assets/scorer/capitals_v1.json
  saga scorer build-capitals --data ../shared/data --out build/capitals.json

Counts how often each word is capitalised inside a sentence, alone, and how often it is written in lower case, in
the sentences the acceptability classifier trains on (NDT train, UD dev and trainable UD test, the CC0 news
sentences, the bundled Wikipedia sample; never the held-out sentences). The capitalisation rules read it.
Same sentences → same bytes.
"""

TRAIN_ACCEPTABILITY_EXAMPLES = """examples:
  saga scorer train-acceptability --data ../shared/data --n-process 2
  saga scorer train-acceptability --data ../shared/data --out build/acceptability.safetensors --epochs 3
  saga scorer train-acceptability --data ../shared/data --out build/h64.safetensors --hidden 64 --epochs 8
  saga scorer train-acceptability --data ../shared/data --out build/s64.safetensors --hidden 64 --epochs 8 \
      --teacher assets/scorer/acceptability_v1.safetensors --teacher-weight 1  # distil the bundled network
  saga scorer eval                         # AUROC with the bundled (or a rebuilt) classifier

Parses correct Bokmål sentences (NDT train, UD dev and trainable UD test, the CC0 news sentences, the bundled
Wikipedia sample; never the held-out sentences) and two rounds of one deletion and one swap of each, trains the
BiLSTM acceptability classifier behind the formula's unacceptability term (a sentence label plus, weighted by
--token-loss-weight, a label on each token at the corruption) and writes it as one safetensors file.
The parsed examples are kept in --work-dir per pipeline, sources, example code and rounds. Same data + settings +
seed should give the same weights on CPU (about 25 minutes on 2 cores; add -v for each epoch's dev AUROC); one
earlier full run did not (see builders/scoring/README.md), so compare the sha256.
"""

TRAIN_LM_EXAMPLES = """examples:
  saga nlp train --data ../shared/data     # writes build/nlp/corpus/tagger-train.spacy (gold UPOS + FEATS)
  saga scorer train-lm --corpus build/nlp/corpus --out assets/scorer/tag_ngram_v1.json
  saga scorer train-lm --corpus build/nlp/corpus --out build/tag_ngram_o3.json --order 3
  saga scorer eval                         # AUROC with the bundled (or a rebuilt) model

Trains the tag n-gram model behind the formula's improbability term on the treebank sentences the pipeline trains
on (never the held-out ones) and calibrates its reference by cross-fitting. Same corpus → same bytes.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    score = subparsers.add_parser(
        "score",
        help=COMMANDS["score"][1],
        description="Score each text of FILE (one per line; '-' or nothing for stdin) or of a Parquet column.",
        epilog=SCORE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="text file, one text per line")
    score.add_argument(
        "--jsonl", action="store_true", help="FILE holds JSON objects with 'text' and an optional 'prompt'"
    )
    score.add_argument("--parquet", type=Path, metavar="FILE", help="read texts from this Parquet file instead")
    score.add_argument("--column", metavar="C", help="the Parquet column holding the texts (with --parquet)")
    _add_scorer_arguments(score)
    score.add_argument("--cache", type=Path, metavar="PATH", help="persistent score cache (SQLite file)")
    score.set_defaults(func=run_score)

    scorer = subparsers.add_parser(
        "scorer",
        help=COMMANDS["scorer"][1],
        epilog=SCORER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = scorer.add_subparsers(dest="scorer_command", metavar="SUBCOMMAND", required=True)
    evaluate = sub.add_parser(
        "eval",
        help="AUROC and pairwise accuracy on ScaLA-style minimal pairs from held-out UD sentences",
        epilog=SCORER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("--heldout", type=Path, metavar="FILE", help="CoNLL-U file (default: bundled held-out)")
    evaluate.add_argument(
        "--nocola",
        type=Path,
        metavar="FILE",
        help="a NoCoLA class file (real learner sentences judged acceptable or not): AUROC, length-matched AUROC, "
        "AUROC per error code, share of acceptable sentences < 0 and >= 0.65, with and without the classifier",
    )
    evaluate.add_argument("--seed", type=int, default=0, help="corruption seed")
    add_json_option(evaluate)
    _add_scorer_arguments(evaluate)
    evaluate.set_defaults(func=run_eval)
    info = sub.add_parser(
        "info",
        help="print the scorer fingerprint, formula and rule weights",
        epilog=SCORER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("--pipeline", default="nb_saga_sm", help="spaCy pipeline: bundled name, package or folder")
    add_json_option(info)
    info.set_defaults(func=run_info)
    _add_table_command(
        sub,
        "build-genders",
        "count noun and adjective genders in the Norwegian Dependency Treebank for the agreement rules",
        BUILD_GENDERS_EXAMPLES,
        "folder with ndt_nob/ (the repository's ../shared/data)",
        Path(str(BUNDLED_GENDERS)),
    ).set_defaults(func=run_build_genders)
    _add_table_command(
        sub,
        "build-capitals",
        "count which words edited Bokmål capitalises inside a sentence, for the capitalisation rules",
        BUILD_CAPITALS_EXAMPLES,
        "folder with ndt_nob/, ud_nb/, news_nb/ (the repository's ../shared/data)",
        Path(str(BUNDLED_CAPITALS)),
    ).set_defaults(func=run_build_capitals)
    train_lm = sub.add_parser(
        "train-lm",
        help="train the tag n-gram model of the improbability term from training DocBins",
        epilog=TRAIN_LM_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train_lm.add_argument(
        "--corpus", type=Path, required=True, metavar="DIR", help="folder with tagger-train.spacy (saga nlp train)"
    )
    train_lm.add_argument("--out", type=Path, default=Path(str(BUNDLED_MODEL)), metavar="FILE", help="model JSON")
    train_lm.add_argument("--order", type=int, default=4, help="n-gram order (default 4)")
    train_lm.set_defaults(func=run_train_lm)
    train_acceptability = sub.add_parser(
        "train-acceptability",
        help="train the acceptability classifier of the acceptability term on corrupted treebank sentences",
        epilog=TRAIN_ACCEPTABILITY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train_acceptability.add_argument(
        "--data", type=Path, required=True, metavar="DIR", help="folder with ndt_nob/, ud_nb/, news_nb/"
    )
    train_acceptability.add_argument(
        "--out", type=Path, default=Path(str(BUNDLED_CLASSIFIER)), metavar="FILE", help="safetensors file to write"
    )
    train_acceptability.add_argument(
        "--work-dir", type=Path, default=Path("build/acceptability"), metavar="DIR", help="parsed examples cache"
    )
    train_acceptability.add_argument("--pipeline", default="nb_saga_sm", help="spaCy pipeline the scorer parses with")
    train_acceptability.add_argument(
        "--wiki", type=Path, metavar="FILE", help="Wikipedia articles as JSONL (default: the bundled sample)"
    )
    train_acceptability.add_argument("--epochs", type=int, default=AcceptabilityTrainingConfig.epochs)
    train_acceptability.add_argument("--seed", type=int, default=AcceptabilityTrainingConfig.seed)
    train_acceptability.add_argument(
        "--hidden", type=int, default=AcceptabilityTrainingConfig.hidden, help="BiLSTM size per direction"
    )
    train_acceptability.add_argument(
        "--layers", type=int, default=AcceptabilityTrainingConfig.layers, help="stacked BiLSTM layers"
    )
    train_acceptability.add_argument(
        "--threads", type=int, default=AcceptabilityTrainingConfig.threads, help="torch threads (part of the result)"
    )
    train_acceptability.add_argument(
        "--token-loss-weight",
        type=float,
        default=AcceptabilityTrainingConfig.token_loss_weight,
        help="weight of the auxiliary loss on where the corruption is (0: sentence labels only)",
    )
    train_acceptability.add_argument(
        "--teacher", metavar="FILE", help="a classifier file whose P(corrupted) the network also learns (distillation)"
    )
    train_acceptability.add_argument(
        "--teacher-weight",
        type=float,
        default=AcceptabilityTrainingConfig.teacher_weight,
        help="share of the sentence loss on the teacher's P(corrupted) instead of the label (with --teacher)",
    )
    train_acceptability.add_argument("--n-process", type=int, default=1, help="parsing processes")
    train_acceptability.set_defaults(func=run_train_acceptability)


def _add_table_command(
    sub: argparse._SubParsersAction, name: str, help_text: str, epilog: str, data_help: str, out: Path
) -> argparse.ArgumentParser:
    """A `saga scorer build-*` command: counts a table from `--data` into `--out` (default: the bundled file)."""
    parser = sub.add_parser(name, help=help_text, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, metavar="DIR", help=data_help)
    parser.add_argument("--out", type=Path, default=out, metavar="FILE", help="table JSON")
    return parser


def _add_scorer_arguments(parser: argparse.ArgumentParser) -> None:
    scorer = parser.add_argument_group("scorer (GrammarScorerConfig, ScoreFormula)")
    add_config_arguments(scorer, GrammarScorerConfig)
    add_config_arguments(scorer, ScoreFormula, only=("acceptability_weight",))
    parser.add_argument("--batch-size", type=int, default=64, help="texts per nlp.pipe batch and cache commit")
    parser.add_argument("--n-process", type=int, default=1, help="parser worker processes")


def _scorer_config(args: argparse.Namespace) -> GrammarScorerConfig:
    try:  # each config checks its own ranges
        formula = ScoreFormula(**config_arguments(args, ScoreFormula))
        return GrammarScorerConfig(**config_arguments(args, GrammarScorerConfig), formula=formula)
    except ValueError as err:
        raise InputDataError(f"invalid scorer settings: {err}") from err


def run_score(args: argparse.Namespace) -> int:
    if args.parquet is not None and args.column is None:
        raise InputDataError("--parquet needs --column naming the text column")
    if args.column is not None and args.parquet is None:
        raise InputDataError("--column only applies with --parquet FILE")
    if args.parquet is not None and args.file != "-":
        raise InputDataError(f"give either FILE ({args.file}) or --parquet ({args.parquet}), not both")
    if args.parquet is not None and args.jsonl:
        raise InputDataError("--jsonl reads FILE or stdin; it does not apply with --parquet")
    for path in (Path(args.file) if args.file != "-" else None, args.parquet):
        if path is not None and path.is_dir():
            raise InputDataError(f"{path} is a folder, not a file", hint="pass a text file, '-' or --parquet FILE")
        if path is not None and not path.is_file():
            raise InputDataError(f"{path}: no such file", hint="pass a text file, '-' for stdin, or --parquet FILE")
    cache = ScoreCache(args.cache) if args.cache else None
    scorer = GrammarScorer(_scorer_config(args), cache=cache)
    print(f"scorer: {scorer.fingerprint}", file=sys.stderr)
    try:
        if args.parquet is not None:
            _write_results(scorer, ((text, None) for text in iter_parquet_column(args.parquet, args.column)), args)
        elif args.file == "-":
            _write_results(scorer, _read(sys.stdin.buffer, "<stdin>", args.jsonl), args)
        else:
            with open(args.file, "rb") as stream:
                _write_results(scorer, _read(stream, args.file, args.jsonl), args)
    finally:
        if cache is not None:
            cache.close()
    return 0


def _read(stream, name: str, jsonl: bool) -> Iterator[tuple[object, str | None]]:
    """(text, prompt) pairs from JSON lines, or (line, None) from plain lines."""
    return iter_jsonl(stream, name) if jsonl else ((line, None) for line in iter_lines(stream, name))


def _write_results(
    scorer: GrammarScorer, items: Iterator[tuple[object, str | None]], args: argparse.Namespace
) -> None:
    """Score and write every input line; a line that cannot be read (not UTF-8, not JSON) stops the input there,
    and its error is raised only after every line before it was scored and written."""
    stopped: list[InputDataError] = []
    texts, prompts = _unzip(_until_error(items, stopped))
    for result in scorer.score_batch(texts, batch_size=args.batch_size, n_process=args.n_process, prompts=prompts):
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if stopped:
        raise stopped[0]


def _until_error(items: Iterator, stopped: list[InputDataError]) -> Iterator:
    """The items up to the first unreadable one, whose error is kept in `stopped`."""
    try:
        yield from items
    except InputDataError as err:
        stopped.append(err)


def _unzip(items: Iterator[tuple[object, str | None]]) -> tuple[Iterator[object], Iterator[str | None]]:
    """Two streams over one stream of pairs; the scorer reads them in step, so `tee` holds at most a chunk."""
    first, second = itertools.tee(items)
    return (text for text, _ in first), (prompt for _, prompt in second)


def run_eval(args: argparse.Namespace) -> int:
    nocola = []
    with GrammarScorer(_scorer_config(args)) as scorer:
        if args.nocola is not None:
            nocola = _evaluate_nocola(scorer, args)
        rows = evaluate_heldout(scorer, args.heldout, args.seed, args.batch_size, args.n_process)
        inflections = evaluate_inflections(scorer, args.heldout, args.seed, args.batch_size, args.n_process)
    report = {"fingerprint": scorer.fingerprint, "seed": args.seed, "rows": rows_as_dicts(rows)}
    report |= {"inflection_rows": rows_as_dicts(inflections)}
    report |= {"nocola": reports_as_dicts(nocola)} if nocola else {}

    def text(_: dict) -> str:
        lines = [f"scorer: {scorer.fingerprint}  seed: {args.seed}\n"]
        if nocola:
            lines.append(f"NoCoLA ({args.nocola.name}; Jentoft and Samuel, 2023): real learner sentences\n")
            lines.append(format_reports(nocola) + "\n")
        lines.append("ScaLA minimal pairs (the corruption types the acceptability classifier is trained on):\n")
        lines.append(format_table(rows))
        lines.append("\nInflection minimal pairs (no part of the scorer is trained on them):\n")
        lines.append(
            format_table(inflections) if inflections else "none: the file has no lemmas and FEATS to re-inflect"
        )
        return "\n".join(lines)

    emit(args, report, text)
    return 0


def _evaluate_nocola(scorer: GrammarScorer, args: argparse.Namespace) -> list:
    """NoCoLA reports of `scorer` and of the same scorer with the classifier switched the other way (κ = 0 when it
    is on, the weight it was calibrated for when it is off)."""
    formula = scorer.config.formula
    other = 0.0 if formula.acceptability_weight else TUNED_ACCEPTABILITY_WEIGHT
    config = replace(scorer.config, formula=replace(formula, acceptability_weight=other))
    with GrammarScorer(config) as compared:
        return evaluate_nocola(
            {f"default (κ = {formula.acceptability_weight:g})": scorer, f"κ = {other:g}": compared},
            args.nocola,
            args.batch_size,
            args.n_process,
        )


def run_info(args: argparse.Namespace) -> int:
    config = GrammarScorerConfig(pipeline=args.pipeline)
    scorer = GrammarScorer(config)
    rule_set = config.rule_set()
    component = scorer.nlp.get_pipe(COMPONENT_NAME)
    model, classifier = component.sequence_model, component.acceptability
    training = classifier.training
    info = {
        "fingerprint": scorer.fingerprint,
        "formula": config.component_config() | {"rules": config.rules},
        "rules": [
            {
                "rule": rule_id,
                "weight": rule_set.weights[rule_id],
                "checks": " ".join((rule.__doc__ or "").split("\n\n")[0].split()),
            }
            for rule_id, rule in rule_set.rules.items()
        ],
        "improbability": {
            "weight": config.formula.sequence_weight,
            "span": config.formula.sequence_span,
            "order": model.order,
            "reference": model.reference,
            "spread": model.spread,
        },
        "unacceptability": {
            "weight": config.formula.acceptability_weight,
            "reference": classifier.reference,
            "train_examples": training.get("train_examples"),
            "best_dev_auroc": training.get("best_dev_auroc"),
            "pipeline": training.get("pipeline"),
        },
    }
    emit(args, info, _info_text)
    return 0


def _info_text(info: dict) -> str:
    rules = [[rule["rule"], rule["weight"], rule["checks"]] for rule in info["rules"]]
    sequence, acceptability = info["improbability"], info["unacceptability"]
    return "\n".join(
        [
            f"fingerprint: {info['fingerprint']}",
            f"formula: {json.dumps(info['formula'])}",
            markdown_table(["rule", "weight", "checks"], rules, align="lrl"),
            f"\nimprobability term: weight {sequence['weight']}, span {sequence['span']}; order-{sequence['order']} "
            f"tag n-gram model, reference SLOR {sequence['reference']}, spread {sequence['spread']}",
            f"unacceptability term: weight {acceptability['weight']}; BiLSTM acceptability classifier, reference P "
            f"{acceptability['reference']}, {acceptability['train_examples']} training examples, dev AUROC "
            f"{acceptability['best_dev_auroc']}, trained on parses of {acceptability['pipeline']}",
        ]
    )


def run_build_genders(args: argparse.Namespace) -> int:
    counts = count_genders(treebank_sentences(args.data))
    table = decide_genders(counts)
    path = write_genders(table, args.out)
    nouns = table["nouns"]
    print(
        json.dumps(
            {
                "out": str(path),
                "noun_lemmas": len(nouns),
                "without_gender": sum(gender is None for gender in nouns.values()),
                "adjective_forms": len(counts.adjectives),
                "neuter_adjectives": len(table["neuter_adjectives"]),
                "adverbial_adjectives": len(table["adverbial_adjectives"]),
                "sha256": file_sha256(path),
            }
        )
    )
    return 0


def run_build_capitals(args: argparse.Namespace) -> int:
    sentences, drops = source_sentences(args.data)
    counts = count_capitals(sentence.text for sentence in sentences)
    path = write_capitals(counts, args.out)
    summary = {"out": str(path), "sentences": len(sentences), "dropped": drops["dropped"], "words": len(counts)}
    print(json.dumps(summary | {"sha256": file_sha256(path)}))
    return 0


def run_train_lm(args: argparse.Namespace) -> int:
    if args.order < 1:
        raise InputDataError(f"--order must be >= 1, got {args.order}")
    sequences = docbin_sequences([args.corpus / "tagger-train.spacy"])
    model = TagNgramModel.fit(sequences, args.order)
    path = model.to_json(args.out)
    print(
        json.dumps(
            {
                "out": str(path),
                "sentences": len(sequences),
                "order": model.order,
                "ngrams": {n: len(grams) for n, grams in model.counts.items()},
                "reference": model.reference,
                "spread": model.spread,
                "sha256": file_sha256(path),
            }
        )
    )
    return 0


# The `AcceptabilityTrainingConfig` fields that `saga scorer train-acceptability` sets from flags of the same name.
TRAINING_FLAGS = ("epochs", "seed", "hidden", "layers", "threads", "token_loss_weight", "teacher", "teacher_weight")


def run_train_acceptability(args: argparse.Namespace) -> int:
    config = AcceptabilityTrainingConfig(**{name: getattr(args, name) for name in TRAINING_FLAGS})
    report = train_acceptability(args.data, args.out, config, args.work_dir, args.pipeline, args.n_process, args.wiki)
    summary = {key: report[key] for key in ("train_examples", "dev_examples", "best_dev_auroc", "reference")}
    print(json.dumps({"out": str(args.out), **summary, "sha256": file_sha256(args.out)}))
    return 0
