"""Rule-based sentence starts before the parser: one sentence stays one sentence."""

import spacy

from saga.builders import nlp as nlp_loader
from saga.builders.scoring.segmentation import COMPONENT_NAME, add_sentence_starts, sentence_offsets


def test_offsets_follow_the_corpus_splitter():
    text = "Han døde i 1962. Dette er bl.a. omtalt i boka.\nNy linje her."
    assert sentence_offsets(text) == [0, 17, 47]
    assert sentence_offsets("") == []


def test_scorer_keeps_a_sentence_whole(scorer):
    # The parser alone splits after "20. mai" and leaves "1816." as a verbless sentence.
    result = scorer.score("Fiskeriet gjorde at Bodø ble tildelt bystatus den 20. mai 1816.")
    assert result.n_sentences == 1 and result.parse_success
    assert scorer.score("Han kom hjem. Han spiste middag.").n_sentences == 2


def test_sentence_starts_go_before_the_parser_or_first():
    parsed = add_sentence_starts(nlp_loader.load.__wrapped__("nb_saga_sm"))
    assert parsed.pipe_names.index(COMPONENT_NAME) == parsed.pipe_names.index("parser") - 1
    assert add_sentence_starts(spacy.blank("nb")).pipe_names == [COMPONENT_NAME]
