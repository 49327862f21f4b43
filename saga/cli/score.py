"""`saga score` and `saga scorer`: score texts for Bokmål grammar (JSON lines), evaluate and describe the scorer."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from builders.scoring import COMPONENT_NAME, GrammarScorer, GrammarScorerConfig, ScoreCache, ScoreFormula
from builders.scoring.acceptability import BUNDLED_CLASSIFIER
from builders.scoring.acceptability_training import AcceptabilityTrainingConfig, train_acceptability
from builders.scoring.evaluation import evaluate_heldout, evaluate_inflections, format_table, rows_as_dicts
from builders.scoring.genders import count_genders, decide_genders, treebank_sentences, write_genders
from builders.scoring.inputs import iter_lines, iter_parquet_column
from builders.scoring.lexicon import BUNDLED_GENDERS
from builders.scoring.sequence_model import BUNDLED_MODEL, TagNgramModel, docbin_sequences
from saga.errors import InputDataError
from saga.versions import file_sha256

SCORE_EXAMPLES = """examples:
  echo "Den store bilen står i garasjen." | saga score
  saga score sentences.txt > scores.jsonl
  saga score --parquet build/candidates.parquet --column text --n-process 2 --cache build/scores.sqlite
  saga score - --batch-size 256 < completions.txt

One JSON object per input line (or row), in input order: score in [-1, 1], parse_success, violations (rule,
start, end token, message, weight), the formula terms, and reason (why a text was not parsed, else null).
"""

SCORER_EXAMPLES = """examples:
  saga scorer eval                         # AUROC / pairwise accuracy on the bundled held-out UD sentences
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
        help="score texts for Bokmål grammar (one JSON object per line)",
        description="Score each text of FILE (one per line; '-' or nothing for stdin) or of a Parquet column.",
        epilog=SCORE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="text file, one text per line")
    score.add_argument("--parquet", type=Path, metavar="FILE", help="read texts from this Parquet file instead")
    score.add_argument("--column", metavar="C", help="the Parquet column holding the texts (with --parquet)")
    _add_scorer_arguments(score)
    score.add_argument("--cache", type=Path, metavar="PATH", help="persistent score cache (SQLite file)")
    score.set_defaults(func=run_score)

    scorer = subparsers.add_parser(
        "scorer",
        help="evaluate or describe the grammar scorer",
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
    evaluate.add_argument("--seed", type=int, default=0, help="corruption seed")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    _add_scorer_arguments(evaluate)
    evaluate.set_defaults(func=run_eval)
    info = sub.add_parser(
        "info",
        help="print the scorer fingerprint, formula and rule weights",
        epilog=SCORER_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    info.add_argument("--pipeline", default="nb_saga_sm", help="spaCy pipeline: bundled name, package or folder")
    info.set_defaults(func=run_info)
    build_genders = sub.add_parser(
        "build-genders",
        help="count noun and adjective genders in the Norwegian Dependency Treebank for the agreement rules",
        epilog=BUILD_GENDERS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build_genders.add_argument(
        "--data",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder with ndt_nob/ (the repository's ../shared/data)",
    )
    build_genders.add_argument(
        "--out", type=Path, default=Path(str(BUNDLED_GENDERS)), metavar="FILE", help="table JSON"
    )
    build_genders.set_defaults(func=run_build_genders)
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


def _add_scorer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pipeline", default="nb_saga_sm", help="spaCy pipeline: bundled name, package or folder")
    parser.add_argument("--sequence-model", metavar="FILE", help="tag n-gram model (default: the bundled one)")
    parser.add_argument(
        "--acceptability-model", metavar="FILE", help="acceptability classifier (default: the bundled one)"
    )
    parser.add_argument(
        "--acceptability-weight",
        type=float,
        metavar="K",
        help=f"weight κ of the classifier's term (default {ScoreFormula.acceptability_weight}; 0 skips it)",
    )
    parser.add_argument("--batch-size", type=int, default=64, help="texts per nlp.pipe batch and cache commit")
    parser.add_argument("--n-process", type=int, default=1, help="parser worker processes")


def _scorer_config(args: argparse.Namespace) -> GrammarScorerConfig:
    formula = ScoreFormula()
    if args.acceptability_weight is not None:
        try:
            formula = replace(formula, acceptability_weight=args.acceptability_weight)
        except ValueError as err:  # ScoreFormula checks its own ranges
            raise InputDataError(f"--acceptability-weight: {err}") from err
    return GrammarScorerConfig(
        args.pipeline,
        formula=formula,
        sequence_model=args.sequence_model,
        acceptability_model=args.acceptability_model,
    )


def run_score(args: argparse.Namespace) -> int:
    if args.parquet is not None and args.column is None:
        raise InputDataError("--parquet needs --column naming the text column")
    if args.column is not None and args.parquet is None:
        raise InputDataError("--column only applies with --parquet FILE")
    if args.parquet is not None and args.file != "-":
        raise InputDataError(f"give either FILE ({args.file}) or --parquet ({args.parquet}), not both")
    for path in (Path(args.file) if args.file != "-" else None, args.parquet):
        if path is not None and not path.is_file():
            raise InputDataError(f"{path}: no such file", hint="pass a text file, '-' for stdin, or --parquet FILE")
    cache = ScoreCache(args.cache) if args.cache else None
    scorer = GrammarScorer(_scorer_config(args), cache=cache)
    print(f"scorer: {scorer.fingerprint}", file=sys.stderr)
    try:
        if args.parquet is not None:
            _write_results(scorer, iter_parquet_column(args.parquet, args.column), args)
        elif args.file == "-":
            _write_results(scorer, iter_lines(sys.stdin.buffer, "<stdin>"), args)
        else:
            with open(args.file, "rb") as stream:
                _write_results(scorer, iter_lines(stream, args.file), args)
    finally:
        if cache is not None:
            cache.close()
    return 0


def _write_results(scorer: GrammarScorer, texts, args: argparse.Namespace) -> None:
    for result in scorer.score_batch(texts, batch_size=args.batch_size, n_process=args.n_process):
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")


def run_eval(args: argparse.Namespace) -> int:
    with GrammarScorer(_scorer_config(args)) as scorer:
        rows = evaluate_heldout(scorer, args.heldout, args.seed, args.batch_size, args.n_process)
        inflections = evaluate_inflections(scorer, args.heldout, args.seed, args.batch_size, args.n_process)
    if args.json:
        report = {"fingerprint": scorer.fingerprint, "seed": args.seed, "rows": rows_as_dicts(rows)}
        print(json.dumps(report | {"inflection_rows": rows_as_dicts(inflections)}))
    else:
        print(f"scorer: {scorer.fingerprint}  seed: {args.seed}\n")
        print("ScaLA minimal pairs (the corruption types the acceptability classifier is trained on):\n")
        print(format_table(rows))
        print("\nInflection minimal pairs (no part of the scorer is trained on them):\n")
        print(format_table(inflections) if inflections else "none: the file has no lemmas and FEATS to re-inflect")
    return 0


def run_info(args: argparse.Namespace) -> int:
    config = GrammarScorerConfig(pipeline=args.pipeline)
    scorer = GrammarScorer(config)
    rule_set = config.rule_set()
    print(f"fingerprint: {scorer.fingerprint}")
    print(f"formula: {json.dumps(config.component_config() | {'rules': config.rules})}")
    print("| rule | weight | checks |")
    print("|---|---:|---|")
    for rule_id, rule in rule_set.rules.items():
        summary = " ".join((rule.__doc__ or "").split("\n\n")[0].split())
        print(f"| {rule_id} | {rule_set.weights[rule_id]} | {summary} |")
    component = scorer.nlp.get_pipe(COMPONENT_NAME)
    model, classifier = component.sequence_model, component.acceptability
    print(
        f"\nimprobability term: weight {config.formula.sequence_weight}, span {config.formula.sequence_span}; "
        f"order-{model.order} tag n-gram model, reference SLOR {model.reference}, spread {model.spread}"
    )
    training = classifier.training
    print(
        f"unacceptability term: weight {config.formula.acceptability_weight}; BiLSTM acceptability classifier, "
        f"reference P {classifier.reference}, {training.get('train_examples')} training examples, "
        f"dev AUROC {training.get('best_dev_auroc')}, trained on parses of {training.get('pipeline')}"
    )
    return 0


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
