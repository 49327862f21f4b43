"""Small article sets written as JSONL in the `wikimedia/wikipedia` schema, for builder tests."""

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
