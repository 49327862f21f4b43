"""The bundled pipeline loads, tags and parses real Norwegian with the expected morphology."""

import pytest

from saga.builders import nlp
from saga.cli.main import main
from saga.errors import PipelineLoadError


@pytest.fixture(scope="module")
def nb():
    return nlp.load("nb_saga_sm")


@pytest.mark.parametrize(
    ("text", "gender"),
    [("Den store bilen står i garasjen.", "Masc"), ("Det store huset ligger ved sjøen.", "Neut")],
)
def test_double_definiteness_noun_phrase(nb, text, gender):
    doc = nb(text)
    det, adj, noun = doc[0], doc[1], doc[2]
    assert (det.pos_, adj.pos_, noun.pos_) == ("DET", "ADJ", "NOUN")
    assert noun.morph.get("Definite") == ["Def"] and adj.morph.get("Definite") == ["Def"]
    assert noun.morph.get("Gender") == [gender]
    assert noun.morph.get("Number") == ["Sing"]
    assert noun.dep_ == "nsubj" and noun.head.pos_ == "VERB"
    assert det.dep_ == "det" and adj.dep_ == "amod" and det.head == noun


def test_verbs_tense_and_parse(nb):
    doc = nb("Hun har lest boka, og nå skriver hun et brev.")
    by_text = {t.text: t for t in doc}
    assert by_text["har"].pos_ == "AUX" and by_text["har"].morph.get("Tense") == ["Pres"]
    assert by_text["lest"].morph.get("VerbForm") == ["Part"]
    assert by_text["lest"].dep_ == "ROOT"  # spaCy names the root relation ROOT
    assert by_text["boka"].dep_ == "obj"
    assert by_text["skriver"].morph.get("VerbForm") == ["Fin"]
    assert by_text["brev"].morph.get("Gender") == ["Neut"]


def test_lemmas_and_sentences(nb):
    doc = nb("Barna lekte i hagen. De var glade.")
    assert [t.lemma_ for t in doc[:2]] == ["barn", "leke"]
    assert len(list(doc.sents)) == 2


def test_predicative_adjective_plural(nb):
    doc = nb("Husene er store.")
    assert doc[2].morph.get("Number") == ["Plur"]
    assert doc[1].dep_ == "cop"


def test_meta_records_heldout_accuracy(nb):
    scores = nb.meta["saga_heldout_accuracy"]
    assert set(scores) >= {"UPOS", "morph", "UAS", "LAS"}
    assert scores["UPOS"] > 90


def test_unknown_name_is_one_clear_error(capsys):
    with pytest.raises(PipelineLoadError, match="unknown spaCy pipeline 'nb_nope'"):
        nlp.load("nb_nope")
    assert main(["nlp", "evaluate", "--pipeline", "nb_nope"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("saga: error: unknown spaCy pipeline 'nb_nope'")
    assert "Traceback" not in err


def test_path_that_is_not_a_pipeline(tmp_path):
    (tmp_path / "notes.txt").write_text("hei")
    with pytest.raises(PipelineLoadError, match="is not a spaCy pipeline folder"):
        nlp.load(str(tmp_path))


def test_pipeline_path_works_in_place_of_name(nb, tmp_path):
    nb.to_disk(tmp_path / "copy")
    other = nlp.load(str(tmp_path / "copy"))
    assert nlp.pipeline_fingerprint(other) == nlp.pipeline_fingerprint(nb)
