"""MATTR and repeated n-gram share."""

import pytest

from saga.builders.scoring.diversity import mattr, repeated_ngram_share


def test_mattr_window_and_short_texts():
    assert mattr(["bil", "bil", "hus", "hus"], window=2) == pytest.approx(2 / 3)
    assert mattr(["en", "to", "tre"], window=50) == 1.0
    assert mattr([], window=50) == 0.0
    with pytest.raises(ValueError, match="window must be >= 1"):
        mattr(["a"], window=0)


def test_repeated_ngram_share():
    assert repeated_ngram_share(["huset", "er", "stort", "huset", "er", "stort"]) == 0.5
    assert repeated_ngram_share(["den", "store", "bilen", "står", "i", "garasjen"]) == 0.0
    assert repeated_ngram_share(["a", "b"], n=3) == 0.0
    with pytest.raises(ValueError, match="n must be >= 1"):
        repeated_ngram_share(["a"], n=0)
