"""The language rule: Nynorsk, Danish, Swedish and English text is flagged once per sentence; Bokmål is not."""

import pytest

from saga.builders.scoring.rules.language import non_bokmal_language


def words_doc(ud, text: str):
    """A flat one-sentence doc (the rule reads only the words)."""
    rows = [f"{w} {w} X _ {1 if i else 0} {'dep' if i else 'root'}" for i, w in enumerate(text.split())]
    return ud("\n".join(rows))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Eg veit ikkje kva du meiner .", "Nynorsk"),
        ("Jag vet inte vad du menar .", "Swedish"),
        ("Vi skal købe en ny bil til næste år .", "Danish"),
        ("I do not know what you mean and this is the end .", "English"),
    ],
)
def test_foreign_text_is_flagged(ud, text, language):
    [violation] = non_bokmal_language(words_doc(ud, text))
    assert violation.message.startswith(f"the text reads as {language}")


def test_bokmal_is_not_flagged(ud):
    assert list(non_bokmal_language(words_doc(ud, "Den store bilen står i garasjen ."))) == []
