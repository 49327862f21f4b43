"""Builder test inputs: small article sets (JSONL, `wikimedia/wikipedia` schema) and a prompts stage root."""

import json

import pytest

ARTICLES = [
    {
        "id": "a1",
        "url": "https://no.wikipedia.org/wiki/Bergen",
        "title": "Bergen",
        "text": "Bergen\nBergen er en by på Vestlandet i Norge. Byen ble grunnlagt i 1070. Den har mange fjell rundt "
        "seg og regner ofte.\n== Historie ==\nBergen var en viktig handelsby i middelalderen{{refn}}. Tyske "
        "kjøpmenn bodde på Bryggen i flere hundre år.\n* Et listepunkt\nBergen er en by på Vestlandet i Norge.",
    },
    {
        "id": "a2",
        "url": "",
        "title": "Trondheim",
        "text": "Trondheim\nTrondheim er den tredje største byen i Norge. Eg veit ikkje kva som skjer i byen no. "
        "Nidarosdomen ligger midt i byen og er et kjent byggverk. Kort.",
    },
    {"id": "a3", "url": "", "title": "Tom", "text": "   "},
    {
        "id": "a4",
        "url": "",
        "title": "Oslo",
        "text": "Oslo\nOslo er hovedstaden i Norge og har over en halv million innbyggere. Byen ligger innerst i "
        "Oslofjorden. The city is the capital of Norway and has many inhabitants.",
    },
]


@pytest.fixture
def articles_file(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def prompts_root(tmp_path_factory):
    """A stage root holding `sentences` and `prompts` built from 80 articles of the bundled Wikipedia sample.

    Built with `build()` directly: the `prompts` stage's validation needs an SFT corpus these tests do not need.
    """
    from saga.builders.build import build
    from saga.builders.dataset_inputs import input_fingerprint
    from saga.builders.prompts import Prompts
    from saga.builders.sentences import Sentences, SentencesConfig

    root = tmp_path_factory.mktemp("generation")
    config = {"max_articles": 80}
    source = SentencesConfig(name="default", **config).wiki_source.fingerprint()
    build(Sentences, root / "sentences", config, {"articles": source}, cache_dir=root / ".cache")
    prompts_config = {"input_dir": str(root / "sentences")}
    build(Prompts, root / "prompts", prompts_config, {"input": input_fingerprint(root / "sentences")}, root / ".cache")
    return root
