"""Leftover wiki markup is removed, and every dropped line is counted under its reason."""

from builders.text.cleaning import has_markup, normalise, paragraphs, strip_markup

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
