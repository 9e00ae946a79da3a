"""Soft hyphens in long Swedish words, for table columns of prose on a narrow page.

Swedish compounds are long ("Stadsbyggnadsförvaltningen", 26 letters). A browser sizes a table's column
at least as wide as its longest word, so a table of prose in many columns (the åtgärdsplan: Ansvarig,
Operativa mål …) grows wider than the page and hides its last columns behind a scroll bar. CSS
``hyphens: auto`` would fix that, but Chromium on Linux has no Swedish hyphenation dictionary offline.
:func:`soft_hyphens` writes the break points into the text itself as soft hyphens (U+00AD, invisible
unless the line breaks there; screen readers and the browser's search ignore them), from the Swedish
patterns of Pyphen (LibreOffice's hyphenation dictionaries; a dependency of WeasyPrint already).
Only the page gets them: downloads keep the words as written.
"""

from __future__ import annotations

import functools
import re

#: Words with at least this many letters get soft hyphens (a shorter one fits any column: 9 letters are ≈ 75 px).
LONG_WORD = 9
SOFT_HYPHEN = "\u00ad"
_LETTERS = re.compile(r"[^\W\d_]+")


@functools.cache
def _swedish():
    import pyphen

    return pyphen.Pyphen(lang="sv_SE")


def soft_hyphens(text: str, min_letters: int = LONG_WORD) -> str:
    """``text`` with a soft hyphen (U+00AD) at each Swedish break point of every word of ``min_letters``
    letters or more; shorter words, digits and punctuation are left as they are.

    Examples
    --------
    >>> soft_hyphens("Stadsbyggnadsförvaltningen och polisen").replace(SOFT_HYPHEN, "-")
    'Stads-bygg-nads-för-valt-ning-en och polisen'
    >>> soft_hyphens("Trygghetssamordnare, 2026–2027").replace(SOFT_HYPHEN, "-")
    'Trygg-hets-sam-ord-na-re, 2026–2027'
    >>> soft_hyphens("Högst 20 händelser per år").replace(SOFT_HYPHEN, "-")
    'Högst 20 hän-del-ser per år'
    >>> soft_hyphens("Polisen, varje år 2026") == "Polisen, varje år 2026"  # short words stay whole
    True
    """
    if not text or len(text) < min_letters:
        return text
    return _LETTERS.sub(lambda m: _swedish().inserted(m.group(0), hyphen=SOFT_HYPHEN)
                        if len(m.group(0)) >= min_letters else m.group(0), text)


def without_soft_hyphens(text: str) -> str:
    """``text`` without soft hyphens (for formats that show them, and for comparing text).

    Examples
    --------
    >>> without_soft_hyphens(soft_hyphens("Fastighetsförvaltningen")) == "Fastighetsförvaltningen"
    True
    """
    return text.replace(SOFT_HYPHEN, "")


__all__ = ["LONG_WORD", "SOFT_HYPHEN", "soft_hyphens", "without_soft_hyphens"]
