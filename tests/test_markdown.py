"""Tests of lagesbild.render.markdown: the kommun's Markdown as safe HTML (subset, headings, links, escaping)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from lagesbild.inputs.folders import read_metadata_defaults
from lagesbild.render import markdown as md
from lagesbild.summary.texts import OwnTexts


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


#: Attacks and the text each must still show to the reader (escaped, not executed).
XSS = [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("Text <img src=x onerror=alert(1)> här", "<img src=x onerror=alert(1)>"),
    ('<div onmouseover="alert(1)">x</div>', '<div onmouseover="alert(1)">'),
    ("<!-- dold kommentar -->", "<!-- dold kommentar -->"),
    ('<iframe src="https://evil.example"></iframe>', '<iframe src="https://evil.example"></iframe>'),
    ('<a href="javascript:alert(1)">klick</a>', '<a href="javascript:alert(1)">'),
    ("<svg/onload=alert(1)>", "<svg/onload=alert(1)>"),
    ("<style>body{display:none}</style>", "<style>body{display:none}</style>"),
    ("<scr<script>ipt>alert(1)</script>", "<scr<script>ipt>alert(1)</script>"),
]
BAD_LINKS = ["[klick](javascript:alert(1))", "[klick](JAVASCRIPT:alert(1))", "[klick](&#106;avascript:alert(1))",
             "[klick](<java script:alert(1)>)", "[klick](vbscript:msgbox(1))", "[klick](data:text/html;base64,PHNjcmlwdD4=)",
             "[klick](file:///etc/passwd)", "[klick][r]\n\n[r]: javascript:alert(1)", "<javascript:alert(1)>",
             "[klick](java&#x09;script:alert(1))", "[klick](\u200bjavascript:alert(1))"]


def _assert_safe(markup: str) -> _Tags:
    parsed = _Tags(markup)
    for tag, attrs in parsed.tags:
        assert tag not in {"script", "iframe", "img", "style", "svg", "object", "embed", "form", "div"} or (
            tag == "div" and attrs.get("class", "").startswith(("lb-table-wrap", "lb-own-text"))), (tag, markup)
        assert not any(name.startswith("on") or name == "style" for name in attrs), (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.lower().startswith(("http://", "https://", "mailto:", "#")) or ":" not in href, href
    assert not parsed.comments
    return parsed


class TestEscaping:
    @pytest.mark.parametrize(("source", "shown"), XSS)
    def test_raw_html_is_shown_escaped_never_executed(self, source, shown):
        parsed = _assert_safe(md.markdown_html(source))
        assert shown in "".join(parsed.text)  # the reader sees what the analyst typed

    @pytest.mark.parametrize("source", BAD_LINKS)
    def test_other_schemes_never_become_links(self, source):
        parsed = _assert_safe(md.markdown_html(source))
        assert not [t for t, _ in parsed.tags if t == "a"], source

    def test_link_title_cannot_break_out_of_its_attribute(self):
        parsed = _assert_safe(md.markdown_html('[a](https://x.se "t\\" onmouseover=\\"alert(1)")'))
        assert parsed.tags == [("p", {}), ("a", {"href": "https://x.se", "title": 't" onmouseover="alert(1)'})]

    def test_escaping_inside_tables_headings_lists_and_code(self):
        source = ("# <b>Rubrik</b>\n\n- <i>punkt</i>\n\n| <th>a</th> | b |\n|---|---|\n| <td>1</td> | 2 |\n\n"
                  "`<script>`\n\n    <script>alert(1)</script>\n")
        parsed = _assert_safe(md.markdown_html(source))
        assert {t for t, _ in parsed.tags} <= {"h3", "ul", "li", "div", "table", "thead", "tbody", "tr", "th", "td",
                                               "p", "code", "pre"}
        assert "<b>Rubrik</b>" in "".join(parsed.text)

    def test_the_label_is_escaped_in_the_box(self):
        out = md.own_text_html("x", 'Kommunens "egen" <text>')
        assert 'aria-label="Kommunens &quot;egen&quot; &lt;text&gt;"' in out and "<text>" not in out


class TestSubset:
    def test_headings_nest_under_the_section(self):
        out = md.markdown_html("# Ett\n\n## Två\n\n### Tre\n\n#### Fyra\n\nEtt\n===")
        assert out == "<h3>Ett</h3>\n<h4>Två</h4>\n<h5>Tre</h5>\n<h6>Fyra</h6>\n<h3>Ett</h3>"
        assert md.markdown_html("# Plan", top=4) == "<h4>Plan</h4>"
        assert md.markdown_html("###### Sex", top=4) == "<h6>Sex</h6>"  # never beyond h6

    @pytest.mark.parametrize("top", [1, 2, 7])
    def test_never_h1_or_h2(self, top):
        with pytest.raises(ValueError, match="top must be 3–6"):
            md.markdown_html("# x", top=top)

    def test_paragraphs_lists_emphasis(self):
        out = md.markdown_html("Ett *två* **tre**.\n\nNytt stycke.\n\n- a\n- b\n\n1. c\n2. d")
        assert out == ("<p>Ett <em>två</em> <strong>tre</strong>.</p>\n<p>Nytt stycke.</p>\n"
                       "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>c</li>\n<li>d</li>\n</ol>")

    def test_allowed_links(self):
        out = md.markdown_html("[Brå](https://bra.se/a?b=1&c=2) [mejl](mailto:a@b.se) [rapport](crime_trends.html) "
                               "[här](#top) [http](http://example.se)")
        hrefs = [a["href"] for t, a in _Tags(out).tags if t == "a"]
        assert hrefs == ["https://bra.se/a?b=1&c=2", "mailto:a@b.se", "crime_trends.html", "#top", "http://example.se"]

    def test_table_has_column_headings_and_a_labelled_region(self):
        out = md.markdown_html("| Källa | Antal |\n|:--|--:|\n| Polisen | 3 |\n\n| x |\n|---|\n| y |", label="analys.md")
        parsed = _Tags(out)
        assert [a for t, a in parsed.tags if t == "th"] == [{"scope": "col"}, {"scope": "col", "class": "lb-num"},
                                                            {"scope": "col"}]
        regions = [a["aria-label"] for t, a in parsed.tags if a.get("role") == "region"]
        assert regions == ["Tabell 1 i analys.md", "Tabell 2 i analys.md"]  # distinct names

    def test_images_are_never_fetched_but_described(self):
        out = md.markdown_html("![Karta *över* centrum](https://evil.example/x.png) ![](lokal.png)")
        assert out == ('<p><span class="lb-own-image">[Bild: Karta över centrum]</span> '
                       '<span class="lb-own-image">[Bild utan beskrivning]</span></p>')

    def test_not_markdown_text(self):
        with pytest.raises(TypeError):
            md.markdown_html(None)


class TestOwnText:
    def test_nothing_when_the_kommun_wrote_nothing(self):
        assert OwnTexts().show("sammanfattning") == ""

    def test_box_with_visible_label_and_region_name(self):
        out = OwnTexts(texts={"analys": "# Orsaker\n\nText."}).show("analys")
        assert out == ('<div class="lb-own-text" role="region" aria-label="Kommunens egen text (analys.md)">'
                       '<p class="lb-own-label">Kommunens egen text (analys.md)</p>\n<h3>Orsaker</h3>\n<p>Text.</p></div>')

    def test_example_text_box(self):
        own = OwnTexts(texts={"atgardsplan": "# Plan"}, metadata={**read_metadata_defaults(), "exempeldata": True})
        out = own.show("atgardsplan", top=4)
        assert out.startswith('<div class="lb-own-text lb-own-text-example" role="region" '
                              'aria-label="EXEMPELTEXT, inte kommunens egen (atgardsplan.md)">')
        assert "<h4>Plan</h4>" in out

    def test_tables_in_a_box_are_named_after_the_file(self):
        out = OwnTexts(texts={"analys": "| a |\n|---|\n| 1 |"}).show("analys")
        assert 'role="region" aria-label="Tabell 1 i analys.md"' in out

    def test_own_text_shows_nothing_for_a_blank_text(self):
        assert md.own_text("\n  \n", "Kommunens egen text (analys.md)") == ""
        assert md.own_text("x", "Kommunens egen text (analys.md)", example=True).startswith(
            '<div class="lb-own-text lb-own-text-example"')

    def test_empty_label_is_refused(self):
        with pytest.raises(ValueError):
            md.own_text_html("x", " ")
