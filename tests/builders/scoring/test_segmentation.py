"""Rule-based sentence starts before the parser: one sentence stays one sentence."""

from builders.scoring.segmentation import sentence_offsets


def test_offsets_follow_the_corpus_splitter():
    text = "Han døde i 1962. Dette er bl.a. omtalt i boka.\nNy linje her."
    assert sentence_offsets(text) == [0, 17, 47]
    assert sentence_offsets("") == []


def test_scorer_keeps_a_sentence_whole(scorer):
    # The parser alone splits after "20. mai" and leaves "1816." as a verbless sentence.
    result = scorer.score("Fiskeriet gjorde at Bodø ble tildelt bystatus den 20. mai 1816.")
    assert result.n_sentences == 1 and result.parse_success
    assert scorer.score("Han kom hjem. Han spiste middag.").n_sentences == 2
