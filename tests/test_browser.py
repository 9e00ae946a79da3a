"""Open reports in headless Chromium with the network blocked: they must work offline.

Uses Python playwright driving Debian's Chromium (``/usr/bin/chromium``); playwright never
downloads a browser. Without Chromium the tests are skipped, except in CI (``CI`` set), where
they fail: CI installs ``chromium`` with apt.

:func:`check_report_offline` is the reusable check; point it at any built report::

    from tests.test_browser import check_report_offline   # or copy the import path you use
    check_report_offline("reports/1283/crime_trends.html")
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: URL schemes a report may use; anything else (http, https, ws, ftp …) is the network.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def require_chromium() -> Path:
    """Path of Debian's Chromium; skip the test without it, or fail when running in CI."""
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it")
    pytest.skip(reason)


def check_report_offline(html_path, *, min_maps: int = 1, timeout_ms: int = 15_000) -> None:
    """Open an HTML report in headless Chromium with all network access blocked and check it.

    Every request that is not ``file:``, ``data:``, ``about:`` or ``blob:`` is recorded and
    aborted. Then asserts:

    * no network request was attempted and no request failed (e.g. a missing local file);
    * no JavaScript error was thrown (page or frame);
    * ``<html lang="sv">`` and a non-empty ``<title>``;
    * no code and no prompts are shown (no code-cell input areas, no ``In [ ]:``; markdown text is content);
    * every image has loaded and has alt text;
    * at least ``min_maps`` map iframes; each has a title, a Leaflet container, and SVG
      ``<path>`` elements (the polygons) drawn inside it.

    Parameters
    ----------
    html_path : str or Path
        The report file.
    min_maps : int
        Maps the report must have (0 for a report without maps).
    timeout_ms : int
        How long to wait for each map to draw.

    Raises
    ------
    AssertionError
        Describing everything that was wrong.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    url = Path(html_path).resolve().as_uri()
    attempted: list[str] = []
    failed: list[str] = []
    errors: list[str] = []

    def route(route_, request):
        if request.url.startswith(LOCAL_SCHEMES):
            route_.continue_()
        else:
            attempted.append(request.url)
            route_.abort("blockedbyclient")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            context.route("**/*", route)
            page = context.new_page()
            page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
            page.on("pageerror", lambda e: errors.append(f"JavaScript error: {e}"))
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.goto(url, wait_until="load")

            problems: list[str] = []
            lang = page.evaluate("document.documentElement.lang")
            if lang != "sv":
                problems.append(f'<html lang="{lang}">, expected "sv"')
            if not page.title().strip():
                problems.append("empty <title>")
            code = page.evaluate(
                "document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt:not(:empty)').length"
            )
            if code:
                problems.append(f"{code} input areas or prompts are shown")
            images = page.evaluate("""Array.from(document.images).map(i => ({
                src: i.src.slice(0, 60), ok: i.complete && i.naturalWidth > 0, alt: i.getAttribute('alt')}))""")
            for image in images:
                if not image["ok"]:
                    problems.append(f"image did not load: {image['src']}")
                if not (image["alt"] or "").strip():
                    problems.append(f"image without alt text: {image['src']}")

            frames = page.query_selector_all("iframe[srcdoc]")
            maps_seen = 0
            for number, element in enumerate(frames, start=1):
                if not (element.get_attribute("title") or "").strip():
                    problems.append(f"iframe {number} has no title")
                frame = element.content_frame()
                if frame is None:
                    problems.append(f"iframe {number} has no document")
                    continue
                if frame.query_selector(".folium-map") is None:
                    continue  # not a map
                maps_seen += 1
                try:
                    frame.wait_for_selector(".leaflet-container svg path", state="attached", timeout=timeout_ms)
                except PlaywrightTimeout:
                    problems.append(f"map {number}: no polygons drawn within {timeout_ms} ms")
                    continue
                paths = frame.evaluate("document.querySelectorAll('.leaflet-container svg path').length")
                if not paths:
                    problems.append(f"map {number}: the Leaflet container has no SVG paths")
            if maps_seen < min_maps:
                problems.append(f"{maps_seen} map(s) found, expected at least {min_maps}")
            page.wait_for_timeout(200)  # let late requests (fonts, images in CSS) show up
        finally:
            browser.close()

    problems += [f"network request attempted: {u}" for u in attempted]
    problems += [f"request failed: {f}" for f in failed if not any(f.startswith(u) for u in attempted)]
    problems += errors
    assert not problems, f"{html_path} does not work offline:\n  " + "\n  ".join(problems)


@pytest.mark.browser
@pytest.mark.slow
def test_fixture_report_works_offline(fixture_report):
    require_chromium()
    check_report_offline(fixture_report.html_path)


@pytest.mark.browser
def test_check_catches_a_page_that_needs_the_network(tmp_path):
    """The check itself must notice a CDN script (blocked, so no traffic leaves the machine)."""
    require_chromium()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="sv"><head><title>x</title>'
                    '<script src="https://cdn.example.invalid/leaflet.js"></script></head><body></body></html>',
                    encoding="utf-8")
    with pytest.raises(AssertionError, match="network request attempted: https://cdn.example.invalid/leaflet.js"):
        check_report_offline(page, min_maps=0)


@pytest.mark.browser
def test_check_catches_missing_language_and_map(tmp_path):
    require_chromium()
    page = tmp_path / "en.html"
    page.write_text("<!DOCTYPE html><html lang='en'><head><title>x</title></head><body><p>hi</p></body></html>",
                    encoding="utf-8")
    with pytest.raises(AssertionError) as info:
        check_report_offline(page)
    assert 'lang="en"' in str(info.value) and "0 map(s) found" in str(info.value)


def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_chromium()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("kommun", ["2080", "1283"])
def test_built_crime_trends_report_works_offline(built_reports, kommun):
    """A real report built by run_all.py: map drawn, no request leaves the machine, no errors."""
    out, proc = built_reports
    assert proc.returncode == 0, proc.stderr
    check_report_offline(out / kommun / "crime_trends.html")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "maps"), [("1283", 2), ("2080", 0)])
def test_built_place_report_works_offline(built_reports, kommun, maps):
    """The place report: both maps (places, grid) drawn offline with example data; none without place data."""
    out, proc = built_reports
    assert proc.returncode == 0, proc.stderr
    check_report_offline(out / kommun / "place_assessment.html", min_maps=maps)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("kommun", ["1283", "2080"])
def test_built_wastewater_report_works_offline(built_reports, kommun):
    """The wastewater report (charts and tables, no map): nothing requested from the network, no errors."""
    out, proc = built_reports
    assert proc.returncode == 0, proc.stderr
    check_report_offline(out / kommun / "wastewater.html", min_maps=0)
