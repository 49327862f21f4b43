"""Norwegian sentence splitting: years, ordinals, abbreviations, initials and quotes."""

import pytest

from saga.builders.text.splitting import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Han ble henrettet i 1962. Dette er den eneste.", ["Han ble henrettet i 1962.", "Dette er den eneste."]),
        ("Det var 3. plass i fjor.", ["Det var 3. plass i fjor."]),
        ("Han var bl.a. i SS. Hva skjedde?", ["Han var bl.a. i SS.", "Hva skjedde?"]),
        ("Ca. 300 kom. F.eks. Per.", ["Ca. 300 kom.", "F.eks. Per."]),
        ("A. Hansen kom i går.", ["A. Hansen kom i går."]),
        ("Han sa: «Jeg kommer.» Så gikk han.", ["Han sa: «Jeg kommer.»", "Så gikk han."]),
        ("Hei! Er du der? Ja.", ["Hei!", "Er du der?", "Ja."]),
        ("   ", []),
    ],
)
def test_split_sentences(text, expected):
    assert list(split_sentences(text)) == expected
