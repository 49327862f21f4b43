"""The scorer end to end with the bundled pipeline: hand-written Norwegian sentences, degenerate text, bad input,
batching and determinism (several processes: `test_pool.py`)."""

import logging

import pytest

from saga.builders import nlp as nlp_loader
from saga.builders.scoring import GrammarScorer, GrammarScorerConfig, ScoreFormula, ScorerConfigError
from saga.builders.scoring.acceptability import AcceptabilityClassifier, load_classifier
from saga.builders.scoring.formula import TUNED_ACCEPTABILITY_WEIGHT
from saga.builders.scoring.scorer import unread_components

CORRECT = [
    "Den store bilen står i garasjen.",
    "Huset er stort.",
    "Vi kjøpte et nytt hus i fjor.",
    "Barna leker i hagen, og foreldrene drikker kaffe.",
    "Jeg liker å lese bøker om norsk historie.",
    "Oslo er hovedstaden i Norge og har over en halv million innbyggere.",
]

# (sentence with one error, the same sentence corrected, the rule that must name the error)
ERRORS = [
    ("Et bil står i garasjen.", "En bil står i garasjen.", "np_gender_agreement"),
    ("Vi kjøpte et stor hus i fjor.", "Vi kjøpte et stort hus i fjor.", "np_gender_agreement"),
    ("Det står to bil i garasjen.", "Det står to biler i garasjen.", "np_number_agreement"),
    ("Den stor bilen står i garasjen.", "Den store bilen står i garasjen.", "np_definiteness"),
    # The adjective's form, not its tag, shows weak and strong inflection (the tagger agrees with the phrase).
    ("Det er et uutforskete område.", "Det er et uutforsket område.", "np_definiteness"),
    ("Farlige inneluft preger hverdagen.", "Farlig inneluft preger hverdagen.", "np_definiteness"),
    ("Vi så de lang periodene.", "Vi så de lange periodene.", "np_definiteness"),
    ("Det var lang perioder med regn.", "Det var lange perioder med regn.", "np_number_agreement"),
    ("Huset er stor.", "Huset er stort.", "predicative_agreement"),
    ("Husene er stort.", "Husene er store.", "predicative_agreement"),
    ("Jeg er veldig sosialt.", "Jeg er veldig sosial.", "predicative_agreement"),
    ("Det er lure å satse på det.", "Det er lurt å satse på det.", "predicative_agreement"),
    ("Det er fin å bo her.", "Det er fint å bo her.", "predicative_agreement"),
    ("Det var vond å oppleve.", "Det var vondt å oppleve.", "predicative_agreement"),
    # An indefinite noun's gender comes from the lexicon: the tagger reads it off the adjective under test.
    ("Vi kjøpte god verktøy i går.", "Vi kjøpte godt verktøy i går.", "np_gender_agreement"),
    ("Hun orker ikke en nytt operasjon.", "Hun orker ikke en ny operasjon.", "np_gender_agreement"),
    ("Hun skal få et nye hjerte.", "Hun skal få et nytt hjerte.", "np_definiteness"),
    # A measure noun the parser made a modifier of the next noun still agrees with its determiner.
    ("Hun drakk en glass vann.", "Hun drakk et glass vann.", "np_gender_agreement"),
    ("I dag han spiser fisk.", "I dag spiser han fisk.", "v2_word_order"),
    ("Staten også slutter å selge kvoter.", "Også staten slutter å selge kvoter.", "v2_word_order"),
    ("Spiste han fisken.", "Han spiste fisken.", "verb_first_declarative"),
    ("Han gikk hjem fordi han kom ikke.", "Han gikk hjem fordi han ikke kom.", "subordinate_adverb_order"),
    ("Huset stort.", "Huset er stort.", "missing_finite_verb"),
    ("Vi kjøpte en ny sykel i går.", "Vi kjøpte en ny sykkel i går.", "misspelling"),
    ("Vi kjøpte en ny xqzbil i går.", "Vi kjøpte en ny bil i går.", "unknown_word"),
    # Split into known parts ("ra" + "port"), but one edit from a far more common word.
    ("Han skrev en raport om saken.", "Han skrev en rapport om saken.", "misspelling"),
    ("Jeg har mange venn i byen.", "Jeg har mange venner i byen.", "plural_quantifier_number"),
    ("Min bilen står i garasjen.", "Min bil står i garasjen.", "possessive_definiteness"),
    ("Vi reiser på Mandag.", "Vi reiser på mandag.", "capital_inside_sentence"),
    ("Han kommer fra norge.", "Han kommer fra Norge.", "lowercase_name"),
    ("Når det regner blir vi våte.", "Når det regner, blir vi våte.", "comma_after_fronted_clause"),
    ("Den er dyr men god.", "Den er dyr, men god.", "comma_before_men"),
    ("Jeg vet ikke hvorfor er han sint.", "Jeg vet ikke hvorfor han er sint.", "embedded_question_order"),
    ("Jeg liker å spiser is.", "Jeg liker å spise is.", "infinitive_marker_form"),
    ("Jeg kan å svømme.", "Jeg kan svømme.", "modal_infinitive"),
    ("Han har spiser middag.", "Han har spist middag.", "perfect_participle"),
    ("Meg liker fisk.", "Jeg liker fisk.", "pronoun_case"),
    ("Han spiste fisk og og drakk vann.", "Han spiste fisk og drakk vann.", "repeated_word"),
    ("han kom hjem.", "Han kom hjem.", "sentence_capitalisation"),
    ("Han kom hjem", "Han kom hjem.", "closing_punctuation"),
    ("Han bor i Oslo (ved fjorden.", "Han bor i Oslo (ved fjorden).", "unbalanced_delimiters"),
    ("Eg veit ikkje kva du meiner.", "Jeg vet ikke hva du mener.", "non_bokmal_language"),
]

DEGENERATE = [
    "",
    "Hus",
    "Bil, hus, båt, katt og hund.",
    "bil bil bil bil bil",
    "Huset er stort. Huset er stort.",
    "Huset er stort. Huset er stort. Huset er stort. Huset er stort.",
    "Han sa at han sa at han sa at han sa at han kom.",
    "The cat sat on the mat and looked at the dog.",
    "I do not know what you mean.",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_sentences_score_high(scorer, text):
    result = scorer.score(text)
    assert result.score >= 0.9, result.violations
    assert result.parse_success and result.reason is None


@pytest.mark.parametrize(("wrong", "right", "rule_id"), ERRORS, ids=[e[2] + ":" + e[0] for e in ERRORS])
def test_each_error_lowers_the_score_and_names_its_rule(scorer, wrong, right, rule_id):
    bad, good = scorer.score(wrong), scorer.score(right)
    assert rule_id in [v.rule_id for v in bad.violations]
    assert rule_id not in [v.rule_id for v in good.violations]
    assert bad.score < good.score


# Correct phrases the form-based adjective checks must leave alone: a plural that looks singular, "egen" after a
# possessive, a superlative or a genitive before a weak form, an adverb after a pronoun subject.
AGREEMENT_LOOKALIKES = [
    "Store hus koster mye.",
    "Min egen bil er rød.",
    "Hun vant prisen for beste kvinnelige hovedrolle.",
    "Han ble utnevnt av landets midlertidige president.",
    "Han er sterkt imot forslaget.",
    "Det er viktig å komme tidlig.",
    # Indefinite nouns the tagger gave the wrong gender (scorer 1.5.0 flagged them), an idiom before a noun, and
    # a homograph used in both genders.
    "Kardinalene samles til et konklave.",
    "Det er enorm lidenskap her.",
    "Han er en ledende byråkrat.",
    "Selskapet dyrker blant annet mais og hvete.",
    "Et kurs er nyttig.",
    "Han tok en ny kurs mot land.",
    # A noun parsed as a modifier of the next noun: the determiner agrees with that one.
    "Regjeringen vil etablere et fullskala renseanlegg.",
]


# Correct sentences (most from the CC0 news sample) that scorer 1.8.4 flagged: a focus particle or the subject's
# own PP before the finite verb, which the parser attaches to the verb, and words outside Ordbank's list that are
# regular Bokmål (a bound first part, a consonant written once for three).
WORD_ORDER_AND_SPELLING_LOOKALIKES = [
    "Også klippfiskeksporten økte.",
    "Heller ikke denne teorien har fått støtte.",
    "Ambulansepersonell på stedet vurderte skadene som alvorlige.",
    "Regjeringen la fram nye nettjenester i dag.",
    "Hovedmeldingen var klar.",
]


@pytest.mark.parametrize("text", WORD_ORDER_AND_SPELLING_LOOKALIKES)
def test_word_order_and_spelling_rules_leave_correct_lookalikes_alone(scorer, text):
    assert not {"v2_word_order", "unknown_word"} & {v.rule_id for v in scorer.score(text).violations}


@pytest.mark.parametrize("text", AGREEMENT_LOOKALIKES)
def test_agreement_rules_leave_correct_lookalikes_alone(scorer, text):
    rules = {"np_definiteness", "np_number_agreement", "np_gender_agreement", "predicative_agreement"}
    assert not rules & {v.rule_id for v in scorer.score(text).violations}


def test_double_definiteness_still_checks_the_adjective(scorer):
    # "den store verden" is a fixed single-definite phrase; a strong "stor" there is wrong in any style.
    def messages(text):
        return [v.message for v in scorer.score(text).violations if v.rule_id == "np_definiteness"]

    assert messages("De blir ledd av i den store verden.") == []
    assert messages("De blir ledd av i den stor verden.") == [
        "the adjective 'stor' needs its weak (-e) form in the definite phrase"
    ]
    wrong = messages("Vi så den stor bil.")
    assert len(wrong) == 2 and "double definiteness" in wrong[0] and "'stor'" in wrong[1]


def test_violation_spans_point_at_the_error(scorer):
    [violation] = scorer.score("Vi kjøpte et stor hus i fjor.").violations
    assert (violation.start, violation.end) == (3, 5)  # "stor hus"
    assert violation.weight == 0.5 and "'stor'" in violation.message


@pytest.mark.parametrize("text", DEGENERATE)
def test_degenerate_text_scores_at_most_zero(scorer, text):
    assert scorer.score(text).score <= 0.0


def test_parse_success_needs_verb_and_subject(scorer):
    assert not scorer.score("Huset stort.").parse_success
    assert not scorer.score("Spiste fisk i går.").parse_success
    assert scorer.score("Gå hjem!").parse_success


@pytest.mark.parametrize(
    ("value", "reason"), [("", "empty"), ("  \n\t", "empty"), (None, "not_a_string"), (42, "not_a_string")]
)
def test_bad_input_gets_minus_one_with_a_reason(scorer, value, reason):
    result = scorer.score(value)
    assert (result.score, result.parse_success, result.reason, result.violations) == (-1.0, False, reason, [])


def test_too_long_text_is_rejected_before_spacy(scorer):
    assert scorer.score("Huset er stort. " * 6_251).reason == "too_long"  # 100,016 characters
    short_limit = GrammarScorer(GrammarScorerConfig(max_chars=20))
    assert short_limit.score("Den store bilen står i garasjen.").reason == "too_long"
    assert short_limit.score("Huset er stort.").reason is None


def test_batch_keeps_input_order_and_matches_single_scores(scorer):
    texts = ["Huset stort.", None, "Den store bilen står i garasjen.", "", "I går han spiste fisk."] * 3
    batch = list(scorer.score_batch(texts, batch_size=2, chunk_size=4))
    assert [r.to_dict() for r in batch] == [scorer.score(t).to_dict() for t in texts]


def test_scores_are_deterministic(scorer):
    text = "Barna leker i hagen, men i går han spiste et stor eple."
    assert scorer.score(text).to_dict() == scorer.score(text).to_dict()


def test_batch_arguments_are_validated(scorer):
    with pytest.raises(ValueError, match="batch_size, n_process and chunk_size must be >= 1"):
        list(scorer.score_batch(["Hei."], batch_size=0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"no_such_rule": 1.0}}, "does not have: \\['no_such_rule'\\]"),
        ({"weights": {"unknown_word": -0.1}}, "must be >= 0"),
        ({"rules": "saga.rules.v0"}, "no rule set registered as 'saga.rules.v0'"),
        ({"max_chars": 0}, "max_chars must be >= 1"),
    ],
)
def test_config_validation(kwargs, message):
    with pytest.raises(ScorerConfigError, match=message):
        GrammarScorerConfig(**kwargs)


# Corruptions no rule sees (the parser finds a plausible analysis), taken by the improbability and
# unacceptability terms alone.
UNSEEN_BY_RULES = [
    ("Vi kjøpte en ny bil i fjor.", "Vi kjøpte en bil ny i fjor."),
    ("Hun har bodd i Oslo i mange år.", "Hun har i bodd Oslo i mange år."),
    ("Regjeringen la fram budsjettet på tirsdag.", "Regjeringen fram la budsjettet på tirsdag."),
]


@pytest.mark.parametrize(("right", "wrong"), UNSEEN_BY_RULES)
def test_improbable_tag_sequence_lowers_the_score_without_a_rule(scorer, right, wrong):
    good, bad = scorer.score(right), scorer.score(wrong)
    assert good.violations == [] and bad.violations == []
    assert bad.improbability > good.improbability
    assert bad.score < good.score


@pytest.mark.parametrize(("right", "wrong"), UNSEEN_BY_RULES)
def test_the_classifier_when_switched_on_rates_unseen_errors_less_acceptable(classified, right, wrong):
    good, bad = classified.score(right), classified.score(wrong)
    assert bad.unacceptability > good.unacceptability and bad.score < good.score


@pytest.fixture(scope="module")
def classified() -> GrammarScorer:
    """The scorer with the acceptability classifier at the weight it was calibrated for (off by default)."""
    return GrammarScorer(GrammarScorerConfig(formula=ScoreFormula(acceptability_weight=TUNED_ACCEPTABILITY_WEIGHT)))


def test_zero_weights_give_the_rules_only_score():
    formula = ScoreFormula(sequence_weight=0.0, acceptability_weight=0.0)
    rules_only = GrammarScorer(GrammarScorerConfig(formula=formula))
    result = rules_only.score("Vi kjøpte en bil ny i fjor.")
    assert result.improbability > 0 and result.unacceptability == 0.0 and result.score == 1.0


def test_a_classifier_trained_on_another_pipeline_is_named_in_a_warning(tmp_path, caplog):
    bundled = load_classifier()
    other = AcceptabilityClassifier(
        bundled.vocab, bundled.architecture, bundled.net, bundled.reference, {"pipeline": "nb_other-1.0.0-0123"}
    )
    path = other.save(tmp_path / "other.safetensors")
    with_classifier = ScoreFormula(acceptability_weight=TUNED_ACCEPTABILITY_WEIGHT)
    with caplog.at_level(logging.WARNING, logger="saga.builders.scoring.scorer"):
        GrammarScorer(GrammarScorerConfig(acceptability_model=str(path), formula=with_classifier))
    assert "trained on parses of nb_other-1.0.0-0123" in caplog.text
    assert "saga scorer train-acceptability --pipeline nb_saga_sm" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="saga.builders.scoring.scorer"):
        GrammarScorer(GrammarScorerConfig(formula=with_classifier))  # it learned the bundled pipeline's parses
    assert "trained on parses" not in caplog.text


def test_the_scorer_skips_components_whose_output_no_rule_reads(scorer):
    # The lemmatizer is loaded (it is part of the pipeline's fingerprint) but not run: no rule reads lemmas.
    fresh = nlp_loader.load.__wrapped__("nb_saga_sm")
    assert unread_components(fresh) == ["trainable_lemmatizer"]
    assert "trainable_lemmatizer" in scorer.nlp.disabled and "trainable_lemmatizer" not in scorer.nlp.pipe_names
    assert scorer.fingerprint.endswith(nlp_loader.pipeline_fingerprint(fresh))
    doc = scorer.nlp("Han tør ikke å svømme.")
    assert not doc.has_annotation("LEMMA") and doc._.saga_result["violations"] == []
