"""lingua + orthographic markers separate Bokmål from Nynorsk, Swedish, Danish and English."""

from collections import Counter

from saga.builders.text.language import detect

BOKMAL = [
    "Jeg har ikke sett ham i dag, men han kommer i morgen.",
    "De øvrige semittiske språkene benytter vanligvis ordstillingen predikat–subjekt–objekt.",
    "Hovedrollen spilles av Sigourney Weaver, mens sentrale biroller spilles av Michael Biehn.",
    "Han kom til makten etter at en av hans brødre ble henrettet.",
    "Dette henger selvsagt også sammen med andre faktorer i samfunnet.",
    "Kommunen har vedtatt å bygge en ny barnehage i sentrum.",
    "Etter andre verdenskrig startet en stor utbygging av vannkraft.",
    "Hun arbeider som lærer på en skole i Bergen.",
]
NYNORSK = [
    "Eg har ikkje sett han i dag, men han kjem i morgon.",
    "Kva tid skal vi reise heim frå byen?",
    "Ho sa at dei ikkje hadde fått nokon melding om det.",
    "Korleis går det med deg og familien din no?",
    "Det var berre nokre få menneske som kom på møtet i går.",
    "Dette er eit viktig spørsmål for heile landet.",
]
SWEDISH = ["Jag har inte sett honom idag, men han kommer imorgon.", "Hon arbetar som lärare på en skola i Göteborg."]
ENGLISH = ["I have not seen him today, but he is coming tomorrow.", "She works as a teacher at a school in London."]


def test_bokmal_sentences_stay_bokmal():
    assert [code for code, _ in detect(BOKMAL)] == ["nb"] * len(BOKMAL)


def test_nynorsk_swedish_english_are_recognised():
    assert Counter(code for code, _ in detect(NYNORSK)) == {"nn": len(NYNORSK)}
    assert [code for code, _ in detect(SWEDISH)] == ["sv", "sv"]
    assert [code for code, _ in detect(ENGLISH)] == ["en", "en"]


def test_text_without_letters_is_undetermined():
    assert detect(["123 456"]) == [("und", 0.0)]


# Danish sentences whose words lingua alone cannot tell from Bokmål without a marker: the "ej"/"øj" spellings and
# Danish word forms ("næste", "bogen", "noget") confirm them.
DANISH = [
    "Vejret er dejligt i dag.",
    "Han arbejder som lærer på en skole i København.",
    "Bogen handler om en dreng og hans hund.",
    "Vi skal købe en ny bil til næste år.",
    "Der er noget galt med computeren.",
]


def test_danish_is_recognised_by_its_spellings():
    assert [code for code, _ in detect(DANISH)] == ["da"] * len(DANISH)
