#!/usr/bin/env python
"""Compare two report trees built by ``run_all.py``, ignoring what differs between any two builds.

A refactoring must not change what a reader sees. Build the reports before and after, then::

    python bench/compare_reports.py BEFORE_DIR AFTER_DIR

Every ``.html`` and ``.json`` file is compared after removing what a rebuild changes by itself:
the commit built from, build times (ISO timestamps and "byggd 7 december 2026 kl. 05.50"), the random cell id papermill gives
the injected-parameters cell, the random 32-hex ids folium gives map elements, the digests of report
JSON files (they hold build times) and the xlsx downloads' zip bytes (compared by normalised content).
Build both trees into folders with the same name (e.g. ``/tmp/before/reports`` and ``/tmp/after/reports``):
the summary names its reports folder. Exit status 1 and
the first differing lines when anything else differs.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import io
import re
import sys
import zipfile
from pathlib import Path

_VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?"), "<TIME>"),
    (re.compile(r"\d{1,2} \w+ \d{4} kl\. \d\d[.:]\d\d"), "<TIME>"),
    # the commit the reports were built from (a refactoring is a new commit by definition)
    (re.compile(r"(\"git_commit\": \"|<code>)[0-9a-f]{7,40}\+?"), r"\1<COMMIT>"),
    # the digest of a report's key-figure JSON (which holds its build time), listed in the summary's sources
    (re.compile(r"(\.json</th><td>[^<]*</td><td><TIME></td><td>)[0-9a-f]{12}"), r"\1<DIGEST>"),
    (re.compile(r"cell-id=[0-9a-f]{8}\b"), "cell-id=<ID>"),
    (re.compile(r"[0-9a-f]{32}"), "<UUID>"),
]


_DATA_URI = re.compile(r"data:application/[\w.+-]+;base64,([A-Za-z0-9+/=]+)")


def _zip_digest(match: re.Match) -> str:
    """An embedded zip (an xlsx download) as a digest of its normalised members, else unchanged."""
    raw = base64.b64decode(match.group(1))
    if not raw.startswith(b"PK"):
        return match.group(0)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        members = [(n, normalise(zf.read(n).decode("utf-8", "replace"))) for n in sorted(zf.namelist())]
    return "data:zip;" + hashlib.sha256(repr(members).encode()).hexdigest()[:16]


def normalise(text: str) -> str:
    """Text with build times and random ids replaced by placeholders.

    Examples
    --------
    >>> normalise('"generated": "2026-12-07T04:50:13+00:00", id="map_47743edb3b70fccee36a70efdfea03b6"')
    '"generated": "<TIME>", id="map_<UUID>"'
    """
    text = _DATA_URI.sub(_zip_digest, text)
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def compare(before: Path, after: Path) -> list[str]:
    """Messages for every file that is missing on one side or differs after :func:`normalise`."""
    problems = []
    names = {p.relative_to(before) for p in before.rglob("*") if p.suffix in {".html", ".json"}}
    names_after = {p.relative_to(after) for p in after.rglob("*") if p.suffix in {".html", ".json"}}
    for name in sorted(names ^ names_after):
        problems.append(f"only in {'before' if name in names else 'after'}: {name}")
    for name in sorted(names & names_after):
        a = normalise((before / name).read_text(encoding="utf-8"))
        b = normalise((after / name).read_text(encoding="utf-8"))
        if a != b:
            diff = difflib.unified_diff(
                a.replace(">", ">\n").splitlines(), b.replace(">", ">\n").splitlines(), lineterm="", n=0
            )
            lines = [line[:300] for line in list(diff)[2:12]]
            problems.append(f"differs: {name}\n" + "\n".join(lines))
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    before, after = (Path(a) for a in argv)
    problems = compare(before, after)
    count = sum(1 for p in before.rglob("*") if p.suffix in {".html", ".json"})
    for p in problems:
        print(p)
    print(f"{count} files compared, {len(problems)} differ" if problems else f"{count} files compared: identical")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
