"""Formats for the council: every report as PDF, the lägesbild also as Word, made from the published HTML.

``run_all.py --format html pdf docx`` (default ``html``) writes, beside ``OUT/<kommun>/<report>.html``:

* ``<report>.pdf`` for every report (:mod:`lagesbild.render.pdf`: A4, title page, page numbers, the
  lägesbild with a table of contents; maps as static pictures);
* ``lagesbild.docx`` for the lägesbild (:mod:`lagesbild.render.word`).

Both are made from the page as published, never by running the notebook again: :func:`render` makes one
in memory, and :func:`lagesbild.run.formats.build` writes those that are missing or outdated after a
report's HTML is written or found up to date. The maps' static pictures are drawn while a report runs, so
a report whose page has interactive maps but no pictures is run again when PDF is asked for
(:func:`lacks_print_maps`, used by :func:`lagesbild.run.fresh.up_to_date`).

A format file is up to date when its record (``_build/<report>.<format>.json``) names the page it was
made from (its SHA-256), the library and the decision status; a new page of the report removes the
report's older format files (:func:`remove_stale`), so a PDF never describes an older page than the HTML
beside it. Every file is written atomically (a temporary file, then a rename), under the kommun folder's
lock; a failure leaves no file and is that report's failure only.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

#: The formats run_all.py can write; html is always written.
FORMATS = ("html", "pdf", "docx")
#: Reports that also get a Word document (the one an analyst edits and delivers).
DOCX_REPORTS = ("lagesbild",)
#: Subtitle on the title page of the reports the lägesbild is built from.
UNDERLAG_TEXT = "Underlagsrapport till lägesbilden"

_STOCKHOLM = ZoneInfo("Europe/Stockholm")
_RECORDS = "_build"  # the folder of build records (lagesbild.run.fresh.RECORDS)


class FormatError(ValueError):
    """An unknown format on the command line."""


def check_formats(values) -> tuple[str, ...]:
    """The formats asked for, checked, in :data:`FORMATS` order, always with html.

    Raises
    ------
    FormatError
        A format that is not one of :data:`FORMATS`.

    Examples
    --------
    >>> check_formats(["docx", "pdf"]), check_formats(None)
    (('html', 'pdf', 'docx'), ('html',))
    >>> check_formats(["odt"])
    Traceback (most recent call last):
    ...
    lagesbild.publish.formats.FormatError: unknown format 'odt'; available: html, pdf, docx
    """
    asked = {str(v).lower() for v in values or ()}
    unknown = sorted(asked - set(FORMATS))
    if unknown:
        raise FormatError(f"unknown format {unknown[0]!r}; available: {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f == "html" or f in asked)


def extra_formats(report: str, formats) -> tuple[str, ...]:
    """The files besides the HTML that ``formats`` asks for this report.

    Examples
    --------
    >>> extra_formats("lagesbild", ("html", "pdf", "docx")), extra_formats("wastewater", ("html", "pdf", "docx"))
    (('pdf', 'docx'), ('pdf',))
    """
    return tuple(f for f in formats if f == "pdf" or (f == "docx" and report in DOCX_REPORTS))


def lacks_print_maps(page: str) -> bool:
    """Whether a published page has an interactive map without its static picture (built without PDF in mind).

    Examples
    --------
    >>> lacks_print_maps('<figure class="lb-map"><iframe></iframe><p class="lb-print-note">…</p></figure>')
    True
    >>> lacks_print_maps('<figure class="lb-map"><iframe></iframe><img class="lb-map-static"></figure>'), lacks_print_maps("<p>")
    (False, False)
    """
    return page.count('<figure class="lb-map"') > page.count('<img class="lb-map-static"')


def files(out: Path, report: str, fmt: str) -> tuple[Path, Path]:
    """A format's file beside the report's page and its record (what it was made from)."""
    return out / f"{report}.{fmt}", out / _RECORDS / f"{report}.{fmt}.json"


def remove_stale(out: Path, report: str) -> None:
    """Remove a report's PDF and Word files and their records (its page was just replaced).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = (out / "lagesbild.pdf").write_bytes(b"%PDF")
    >>> remove_stale(out, "lagesbild"); list(out.iterdir())
    []
    """
    for fmt in FORMATS[1:]:
        for p in files(out, report, fmt):
            p.unlink(missing_ok=True)


def _front(meta: dict, decision: dict | None, report: str):
    """The title, the PDF's title page and the Word document's lines under its title (kommun, status, date)."""
    from lagesbild.core import fmt
    from lagesbild.render import pdf

    title = meta.get("key_figures", {}).get("title") or report
    generated = meta.get("generated")
    built = datetime.fromisoformat(generated).astimezone(_STOCKHOLM).date() if generated else None
    chosen = pdf.Decision.from_dict(decision) if report in DOCX_REPORTS else None  # the council decides the lägesbild
    subtitle = "" if report in DOCX_REPORTS else UNDERLAG_TEXT
    front = pdf.title_page(meta.get("name", ""), title, built, chosen, subtitle)
    lines = [meta.get("name", "")] + (chosen.lines() if chosen else []) + (
        [f"{pdf.BUILT_TEXT} {fmt.day(built)}"] if built else [])
    return title, front, [line for line in lines if line]


def render(page: str, meta: dict, fmt: str, decision: dict | None = None) -> bytes:
    """One format of a report, in memory, from its published page and key-figure JSON.

    Examples
    --------
    >>> meta = {"name": "Falun", "report": "lagesbild", "key_figures": {"title": "Lägesbild för Falun"}}
    >>> render("<html lang='sv'><body><h1>Lägesbild</h1><p>Åtgärd</p></body></html>", meta, "docx")[:2]
    b'PK'
    """
    from lagesbild.render import pdf, word

    report = meta.get("report", "")
    title, front, lines = _front(meta, decision, report)
    if fmt == "pdf":
        footer = f"{title}" if meta.get("name", "") in title else f"{title} – {meta.get('name', '')}"
        return pdf.pdf_bytes(page, front, toc=report in DOCX_REPORTS, title=title, footer=footer)
    if fmt == "docx":
        return word.docx_bytes(page, title=title, front=lines)
    raise FormatError(f"render: no converter for {fmt!r}")


def built_formats(out: str | Path, report: str) -> dict[str, str]:
    """The format files beside a report's page that are up to date with it, as ``{format: file name}``.

    Examples
    --------
    >>> import tempfile
    >>> built_formats(tempfile.mkdtemp(), "lagesbild")
    {}
    """
    out = Path(out)
    found = {}
    for fmt in FORMATS[1:]:
        path, record = files(out, report, fmt)
        if path.is_file() and record.is_file():
            found[fmt] = path.name
    return found
