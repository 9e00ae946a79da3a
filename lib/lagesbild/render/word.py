"""A published report page as a Word document (.docx), converted from its HTML.

For the analyst who must deliver Word: :func:`docx_bytes` reads the page the report published (no second
copy of the report's logic; whatever the page holds, the analyst's own text included, lands in the
document) and writes it with python-docx:

* ``h1`` → the document's Title style, ``h2``/``h3``/``h4`` → Word's Heading 1–3 (the navigation pane and a
  Word table of contents see them);
* ``p`` → paragraphs with bold, italics, code, line breaks and links (real hyperlinks);
* ``ul``/``ol`` → List Bullet / List Number (nested lists one level in: "List Bullet 2" …);
* ``table`` → a Word table (Table Grid) with its caption above it; the header rows (``thead``, or a first
  row of ``th`` only) are bold and marked to repeat on every page;
* ``img`` (``data:`` PNG/JPEG) → a picture whose alt text (Word's "descr") is the image's ``alt``;
  ``figcaption`` → a Caption paragraph. A map's iframe is left out: its static picture
  (:mod:`lagesbild.render.staticmap`) stands in when the report was built with one, else its print note;
* callouts (``div.lb-callout``) → Intense Quote paragraphs, with their label in bold; a region with a
  visible label (``role="region"`` whose first paragraph repeats its ``aria-label``: the kommun's own text)
  → that label as a bold Intense Quote paragraph, then its content as above;
* what is for the screen only is left out: scripts, styles, iframes, download links
  (``.lb-download``), nbconvert's "¶" anchor links and anything ``hidden``/``aria-hidden``.

The HTML is parsed with the standard library's :class:`html.parser.HTMLParser` into a small tree
(:func:`parse`); unknown elements are walked through, so their text is kept.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lagesbild.render.hyphens import without_soft_hyphens

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP_TAGS = {"script", "style", "iframe", "head", "title", "noscript", "template", "button", "svg", "nav"}
_SKIP_CLASSES = {"lb-download", "anchor-link", "jp-InputPrompt", "jp-OutputPrompt"}
_HEADING_LEVEL = {"h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
_BLOCKS = {"p", "ul", "ol", "table", "figure", "img", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section",
           "article", "main", "blockquote", "pre", "figcaption", "caption", "dl", "aside", "header", "footer"}


@dataclass
class Node:
    """An element of the parsed page (text is a child ``str``)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str) -> list[Node]:
        """Every descendant element with this tag, in document order."""
        out = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    out.append(child)
                out += child.find_all(tag)
        return out


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):  # close up to the matching open element (lenient, as browsers)
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):  # the page's soft hyphens are for narrow browser columns; Word hyphenates itself
        self.stack[-1].children.append(without_soft_hyphens(data))


def parse(page: str) -> Node:
    """The page as a tree of :class:`Node` (its ``<body>`` when it has one).

    Examples
    --------
    >>> body = parse("<html><body><p>Hej <b>då</b></p></body></html>")
    >>> body.tag, body.children[0].tag, body.children[0].children
    ('body', 'p', ['Hej ', Node(tag='b', attrs={}, children=['då'])])
    """
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    bodies = builder.root.find_all("body")
    return bodies[0] if bodies else builder.root


def _skipped(node: Node) -> bool:
    return (node.tag in _SKIP_TAGS or bool(node.classes & _SKIP_CLASSES) or "hidden" in node.attrs
            or node.attrs.get("aria-hidden") == "true")


def _text(node) -> str:
    """All visible text of a node, whitespace collapsed."""
    if isinstance(node, str):
        return node
    if _skipped(node):
        return ""
    if node.tag == "br":
        return "\n"
    return "".join(_text(c) for c in node.children)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _visible_label(node: Node) -> Node | None:
    """The first paragraph of a labelled region when it is the region's visible label (same text as its
    ``aria-label``), else None."""
    label = _clean(node.attrs.get("aria-label", ""))
    first = next((c for c in node.children if isinstance(c, Node) or str(c).strip()), None)
    if label and isinstance(first, Node) and first.tag == "p" and _clean(_text(first)) == label:
        return first
    return None


class _Writer:
    """Walks the tree and writes the document."""

    def __init__(self, document) -> None:
        self.doc = document

    # ---- inline ------------------------------------------------------------------------------
    def inline(self, paragraph, node, bold=False, italic=False, code=False) -> None:
        for child in node.children if isinstance(node, Node) else [node]:
            if isinstance(child, str):
                text = re.sub(r"\s+", " ", child)
                if text:
                    run = paragraph.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
                    if code:
                        run.font.name = "Consolas"
                continue
            if _skipped(child):
                continue
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag in ("strong", "b"):
                self.inline(paragraph, child, True, italic, code)
            elif child.tag in ("em", "i"):
                self.inline(paragraph, child, bold, True, code)
            elif child.tag == "code":
                self.inline(paragraph, child, bold, italic, True)
            elif child.tag == "a" and child.attrs.get("href"):
                self.hyperlink(paragraph, child.attrs["href"], _clean(_text(child)) or child.attrs["href"])
            elif child.tag == "img":
                self.picture(child, paragraph)
            else:
                self.inline(paragraph, child, bold, italic, code)

    def hyperlink(self, paragraph, href: str, text: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if href.startswith("#") or href.startswith("data:"):
            paragraph.add_run(text)  # a link inside the page or to embedded data: the text only
            return
        rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        props.append(style)
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.append(underline)
        color = OxmlElement("w:color")
        color.set(qn("w:val"), "0563C1")
        props.append(color)
        run.append(props)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        link.append(run)
        paragraph._p.append(link)

    def picture(self, img: Node, paragraph=None) -> None:
        from docx.shared import Inches

        src = img.attrs.get("src", "")
        match = re.match(r"data:image/(png|jpeg|jpg|gif);base64,(.*)", src, re.DOTALL)
        if not match:
            return  # only embedded images (a published page has no others)
        data = io.BytesIO(base64.b64decode(match.group(2)))
        run = (paragraph or self.doc.add_paragraph()).add_run()
        shape = run.add_picture(data)
        max_width = Inches(6.3)
        if shape.width > max_width:
            shape.height = int(shape.height * max_width / shape.width)
            shape.width = max_width
        alt = img.attrs.get("alt", "")
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt[:100])

    # ---- blocks ------------------------------------------------------------------------------
    def block(self, node) -> None:
        if isinstance(node, str):
            if node.strip():
                self.doc.add_paragraph(_clean(node))
            return
        if _skipped(node):
            return
        tag = node.tag
        if tag == "h1":
            self.doc.add_heading(_clean(_text(node)), level=0)
        elif tag in _HEADING_LEVEL:
            self.doc.add_heading(_clean(_text(node)), level=_HEADING_LEVEL[tag])
        elif tag == "p":
            if _clean(_text(node)) or node.find_all("img"):
                paragraph = self.doc.add_paragraph()
                self.inline(paragraph, node)
        elif tag in ("ul", "ol"):
            self.listing(node, 1)
        elif tag == "table":
            self.table(node)
        elif tag == "img":
            self.picture(node)
        elif tag == "figure":
            self.figure(node)
        elif tag in ("figcaption", "caption"):
            self.caption(node)
        elif tag == "div" and "lb-callout" in node.classes:
            paragraph = self.doc.add_paragraph(style="Intense Quote")
            self.inline(paragraph, node)
        elif node.attrs.get("role") == "region" and _visible_label(node):
            self.region(node)
        elif tag == "blockquote":
            paragraph = self.doc.add_paragraph(style="Quote")
            self.inline(paragraph, node)
        elif tag == "pre":
            paragraph = self.doc.add_paragraph()
            self.inline(paragraph, node, code=True)
        else:
            self.container(node)

    def container(self, node: Node) -> None:
        """Walk an element that is not a block of its own; loose inline content becomes a paragraph."""
        loose: list = []

        def flush() -> None:
            if loose and _clean("".join(_text(n) for n in loose)):
                paragraph = self.doc.add_paragraph()
                self.inline(paragraph, Node("span", children=list(loose)))
            loose.clear()

        for child in node.children:
            if isinstance(child, Node) and (child.tag in _BLOCKS or child.tag in _HEADING_LEVEL or child.tag == "li"):
                flush()
                self.block(child)
            else:
                loose.append(child)
        flush()

    def region(self, node: Node) -> None:
        """A labelled region (e.g. the kommun's own text): its label as an Intense Quote paragraph, then its content.

        Only a region whose first paragraph says what its ``aria-label`` says (:func:`_visible_label`); other
        regions (a scrollable table's wrapper) are walked through as any container.
        """
        label = _visible_label(node)
        rest = list(node.children)
        rest.remove(label)
        self.doc.add_paragraph(style="Intense Quote").add_run(_clean(_text(label))).bold = True
        self.container(Node(node.tag, {}, rest))

    def caption(self, node: Node) -> None:
        paragraph = self.doc.add_paragraph(style="Caption")
        self.inline(paragraph, node)

    def figure(self, node: Node) -> None:
        statics = [n for n in node.find_all("img") if "lb-map-static" in n.classes]
        is_map = "lb-map" in node.classes
        for child in node.children:
            if not isinstance(child, Node) or _skipped(child):
                continue
            if child.tag == "figcaption":
                self.caption(child)
            elif is_map and child.tag == "p" and "lb-print-note" in child.classes:
                if not statics:
                    self.block(child)  # no picture of the map: say so, as the printed page does
            else:
                self.block(child)

    def listing(self, node: Node, depth: int) -> None:
        base = "List Number" if node.tag == "ol" else "List Bullet"
        style = base if depth == 1 else f"{base} {min(depth, 3)}"
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li":
                continue
            paragraph = self.doc.add_paragraph(style=style)
            nested = []
            for child in item.children:
                if isinstance(child, Node) and child.tag in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child, Node) and child.tag == "p":
                    self.inline(paragraph, child)
                else:
                    self.inline(paragraph, child)
            for sub in nested:
                self.listing(sub, depth + 1)

    def table(self, node: Node) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for caption in node.find_all("caption"):
            self.caption(caption)
        rows: list[tuple[Node, bool]] = []

        def collect(element: Node, in_head: bool) -> None:
            for child in element.children:
                if not isinstance(child, Node):
                    continue
                if child.tag == "tr":
                    rows.append((child, in_head))
                elif child.tag in ("thead", "tbody", "tfoot"):
                    collect(child, child.tag == "thead")

        collect(node, False)
        cells = [[c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")] for tr, _ in rows]
        if not rows or not any(cells):
            return
        if not any(head for _, head in rows) and cells[0] and all(c.tag == "th" for c in cells[0]):
            rows[0] = (rows[0][0], True)  # a first row of th only is the header
        width = max(sum(max(1, int(c.attrs.get("colspan", "1") or 1)) for c in row) for row in cells)
        from docx.table import _Cell

        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        trs = [row._tr for row in table.rows]
        for r, ((_, head), row) in enumerate(zip(rows, cells, strict=True)):
            col = 0
            for cell_node in row:
                span = max(1, int(cell_node.attrs.get("colspan", "1") or 1))
                if span > 1 and col + span <= width:  # merging goes through the table's grid (slower, rare)
                    cell = table.cell(r, col).merge(table.cell(r, col + span - 1))
                    trs = [row._tr for row in table.rows]
                elif any(int(c.attrs.get("colspan", "1") or 1) > 1 for c in row):
                    cell = table.cell(r, col)
                else:  # the row's own cells: table.cell() rebuilds the whole grid on every call
                    cell = _Cell(trs[r].tc_lst[col], table)
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, cell_node, bold=head or cell_node.tag == "th")
                if "lb-num" in cell_node.classes:
                    paragraph.alignment = 2  # right
                col += span
            if head:
                props = table.rows[r]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                props.append(repeat)


def _insert_front(document, lines: list[str]) -> None:
    """Put ``lines`` (Subtitle style) right after the document's title, or first when it has none."""
    if not lines:
        return
    paragraphs = document.paragraphs
    anchor = next((p for p in paragraphs if p.style.name == "Title"), None)
    added = [document.add_paragraph(line, style="Subtitle") for line in lines]  # at the end, then moved
    for paragraph in reversed(added):
        if anchor is not None:
            anchor._p.addnext(paragraph._p)
        elif paragraphs:
            paragraphs[0]._p.addprevious(paragraph._p)


def docx_bytes(page: str, *, title: str = "", front: list[str] = (), language: str = "sv-SE") -> bytes:
    """The report page as a Word document.

    Parameters
    ----------
    page : str
        The published HTML (or any fragment of it).
    title : str
        The document's title (its properties); the page's ``h1`` is its first heading anyway.
    front : list of str
        Lines written right under the title (e.g. the kommun, the decision status, the date).
    language : str
        The document's language (proofing), default Swedish.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import docx, io
    >>> out = docx_bytes("<h1>Rubrik</h1><h2>Del</h2><p>Text <a href='https://bra.se'>Brå</a></p>")
    >>> d = docx.Document(io.BytesIO(out))
    >>> [(p.style.name, p.text) for p in d.paragraphs]
    [('Title', 'Rubrik'), ('Heading 1', 'Del'), ('Normal', 'Text Brå')]
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.core_properties.language = language
    styles = document.styles
    rpr = styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    rpr.append(lang)
    _Writer(document).container(parse(page))
    _insert_front(document, list(front))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
