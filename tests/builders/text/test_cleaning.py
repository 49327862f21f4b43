"""Leftover wiki markup is removed, and every dropped line is counted under its reason."""

from saga.builders.text.cleaning import has_markup, normalise, paragraphs, strip_markup

ARTICLE = """Oslo
Oslo er {{lang|no|{{nested}}}}hovedstaden i [[Norge]] og har [[kommune|kommunestatus]].<ref name="a">SSB</ref>
== Historie ==
Byen ble grunnlagt rundt år 1000{{citation needed}}. Den heter “Oslo”.
* Et listepunkt
Referanser
{| class=wikitable
| a || b
|}
"""


def test_paragraphs_drop_title_headings_lists_with_reasons():
    kept, dropped = paragraphs(ARTICLE, "Oslo")
    assert kept == [
        "Oslo er hovedstaden i Norge og har kommunestatus.",
        "Byen ble grunnlagt rundt år 1000. Den heter «Oslo».",
    ]
    assert dropped == {"title": 1, "heading": 2, "list_item": 1, "empty": 2}


def test_strip_markup_links_urls_tags():
    assert strip_markup("Se [https://x.no nettsiden] og <b>fet</b> [[Fil:a.jpg|thumb]]tekst www.x.no") == (
        "Se nettsiden og fet tekst "
    )


def test_normalise_spaces_and_quotes():
    assert normalise("Han  sa „hei“ , og\u00a0gikk .") == "Han sa «hei», og gikk."
    assert normalise("Hun sa “ja” .") == "Hun sa «ja»."


def test_has_markup():
    assert has_markup("Dette {{er}} rart")
    assert not has_markup("Dette er helt vanlig.")


def test_strip_markup_bold_comments_magic_words_and_entities():
    line = "'''Oslo''' &nbsp; <!-- kilde mangler --> __NOTOC__ er Norges hovedstad &amp; største by."
    assert normalise(strip_markup(line)) == "Oslo er Norges hovedstad & største by."


def test_control_characters_and_leftover_markup_make_a_sentence_unusable():
    assert has_markup("Dette har" + chr(0) + " en NUL i seg.")
    assert has_markup("Dette er ''''fet tekst.") and has_markup("Dette har &shy; i seg.")
    assert not has_markup("Han sa «ja» og gikk.\tDet var alt.")
