"""Brå's crime categories: the two sets the suite bundles, other names for them, and focus areas.

The bundled data holds two sets of categories that are **different measures** and must never be
joined into one series:

* **SOL** — Brå's statistics database (statistik.bra.se, SOL) for all 290 kommuner, 2015–2025: six
  categories defined by Brå's crime codes (:data:`SOL`).
* **Kommunindikatorer** — Brå's kommunindikatorer for Dalarna's 15 kommuner, their län and riket,
  2017–2024: fifteen narrower categories (:data:`KOMMUNINDIKATORER`). "Bostadsinbrott" is not SOL's
  inbrottsstöld i bostad (11462, about twice as large in Dalarna) and "Narkotikabrott" is not SOL's
  narcotics *and* weapons offences (it is about 0,9 of it).

Only the total, *Totalt antal anmälda brott* (SOL 5036), is the same measure in both (the counts agree
exactly for every Dalarna kommun and year), so it has one name and is one series.

A category in a user's own export or in Kolada that is neither is kept under its own name (set
"övrigt"). :func:`canonical_name` maps the Kolada titles of Brå's measures to the suite's names and
:func:`split_unit` reads the unit out of a title such as ``"…, antal/100 000 inv"``.

A kommun's *focus areas* (its YAML) match categories in both sets (:func:`match_focus`): directly when a
category's name begins with the focus area, and by theme in the SOL set, where the narrower
kommunindikatorer have a broader SOL category ("Våld i offentlig miljö" → *Brott mot person*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The one category both sets share (the same measure, one series).
TOTAL = "Totalt antal anmälda brott"

SOL_SET = "sol"
KI_SET = "kommunindikatorer"
OTHER_SET = "övrigt"
#: The sets in report order.
SETS = (SOL_SET, KI_SET, OTHER_SET)


@dataclass(frozen=True)
class Theme:
    """A group of categories about the same kind of crime, and the words a focus area may use for it.

    ``keywords`` are regular expressions searched in the casefolded text (Swedish compounds put the
    word last, "cykelstöld", "personrån", "dödshot", so most are substrings; lookarounds keep "rån" out of
    "från", "hot" out of "hotell" and "mord" out of "mordbrand", which is arson).
    """

    key: str
    label: str
    keywords: tuple[str, ...]


#: Themes, each with the (lower-case) words that make a focus area belong to it.
THEMES: dict[str, Theme] = {t.key: t for t in (
    Theme("total", "alla anmälda brott", ("totalt", "alla brott", "anmälda brott")),
    Theme("person", "våld och andra brott mot person", ("våld", "misshandel", r"hot(?!ell)", "brott mot person",
                                                         "sexualbrott", "ofredande", r"\bmord(?!brand)", "dråp",
                                                         "nära relation")),
    Theme("stold", "stöld och rån", ("stöld", "tillgrepp", r"(?<!f)rån(?!de)", "bilbrott", "snatteri")),
    Theme("inbrott", "bostadsinbrott", ("bostadsinbrott", "inbrott")),
    Theme("skadegorelse", "skadegörelse", ("skadegörelse", "klotter", "vandalisering", "anlagd brand")),
    Theme("narkotika", "narkotika och vapen", ("narkotika", "droger", "vapen")),
    Theme("trafik", "trafikbrott", ("trafik", "rattfylleri", "olovlig körning")),
)}


@dataclass(frozen=True)
class Category:
    """One bundled category.

    Attributes
    ----------
    name : str
        The name in the data (and in the reports).
    set : str
        :data:`SOL_SET` or :data:`KI_SET`.
    theme : str
        A key of :data:`THEMES`.
    code : str
        Brå's SOL crime code(s) ("" for a kommunindikator).
    description : str
        Swedish, one line: what the category counts.
    """

    name: str
    set: str
    theme: str
    code: str = ""
    description: str = ""


#: Brå's SOL categories, bundled for all 290 kommuner 2015–2025, in report order.
SOL: tuple[Category, ...] = (
    Category(TOTAL, SOL_SET, "total", "5036", "alla brott som anmälts och registrerats i kommunen"),
    Category("Brott mot person (3–7 kap. BrB)", SOL_SET, "person", "11086",
             "våld, hot, sexualbrott och andra brott mot person enligt brottsbalkens 3–7 kapitel"),
    Category("Stöld och rån m.m. (8 kap. BrB)", SOL_SET, "stold", "11095",
             "stöld, rån och andra tillgreppsbrott enligt brottsbalkens 8 kapitel"),
    Category("Inbrottsstöld i bostad", SOL_SET, "inbrott", "11462",
             "inbrottsstöld i villa, radhus och lägenhet (bredare än kommunindikatorn Bostadsinbrott)"),
    Category("Skadegörelsebrott (12 kap. BrB)", SOL_SET, "skadegorelse", "11099",
             "skadegörelse, klotter och andra brott enligt brottsbalkens 12 kapitel"),
    Category("Narkotikabrott + vapenlagsbrott", SOL_SET, "narkotika", "11650+11708",
             "brott mot narkotikastrafflagen och vapenlagen tillsammans"),
)

#: Brå's kommunindikatorer, bundled for Dalarna's kommuner, län and riket 2017–2024 (the total is SOL's).
KOMMUNINDIKATORER: tuple[Category, ...] = tuple(Category(name, KI_SET, theme) for name, theme in (
    ("Stöld och tillgreppsbrott, totalt", "stold"),
    ("Bostadsinbrott", "inbrott"),
    ("Bilbrott", "stold"),
    ("Skadegörelsebrott", "skadegorelse"),
    ("Narkotikabrott", "narkotika"),
    ("Trafikbrott, totalt", "trafik"),
    ("Rån mot privatperson, unga", "stold"),
    ("Våld i offentlig miljö mot vuxna", "person"),
    ("Våld i nära relationer, mot kvinnor", "person"),
    ("Våld i nära relationer, mot män", "person"),
    ("Våld i offentlig miljö mot barn och unga, flickor", "person"),
    ("Våld i offentlig miljö mot barn och unga, pojkar", "person"),
    ("Våld i inomhusmiljö mot barn och unga, flickor", "person"),
    ("Våld i inomhusmiljö mot barn och unga, pojkar", "person"),
))

_BY_NAME: dict[str, Category] = {c.name: c for c in (*SOL, *KOMMUNINDIKATORER)}
SOL_NAMES: tuple[str, ...] = tuple(c.name for c in SOL)

#: Kolada's titles of Brå's measures (a pattern on the casefolded title, without its unit) → the suite's
#: name. A Kolada KPI of the same measure as a bundled category gets its name, so that its rows join that
#: series (and, where they differ, replace the bundled values, which the report then names).
KOLADA_TITLES: tuple[tuple[str, str], ...] = (
    (r"^anmälda brott totalt$", TOTAL),
    (r"^anmälda våldsbrott$", "Våldsbrott"),
    (r"^anmälda stöld(- och tillgreppsbrott)?.*$", "Stöld och tillgreppsbrott, totalt"),
    (r"^anmälda skadegörelsebrott.*$", "Skadegörelsebrott"),
    (r"^anmälda brott om skadegörelse.*$", "Skadegörelsebrott"),
    (r"^anmälda narkotikabrott.*$", "Narkotikabrott"),
    (r"^anmälda bostadsinbrott.*$", "Bostadsinbrott"),
)

# a unit written into a title: "…, antal/100 000 inv", "… per 100 000 invånare", "(antal)"
_RATE_IN_TITLE = re.compile(r"[,;(\s]*\b(?:antal\s*)?(?:/|per)\s*100[\s\u00a0\u202f]?000\s*(?:inv(?:ånare)?\.?)?\)?\s*$",
                            re.IGNORECASE)
_COUNT_IN_TITLE = re.compile(r"[,;(\s]+\(?antal\)?\s*$", re.IGNORECASE)


def split_unit(title: str) -> tuple[str, str | None]:
    """A category title without the unit written into it, and that unit ("rate", "count" or None).

    Kolada's titles carry their unit ("Anmälda brott totalt, antal/100 000 inv"); so do many
    spreadsheet headings ("Skadegörelse per 100 000 invånare").

    Examples
    --------
    >>> split_unit("Anmälda brott totalt, antal/100 000 inv")
    ('Anmälda brott totalt', 'rate')
    >>> split_unit("Skadegörelse per 100 000 invånare")
    ('Skadegörelse', 'rate')
    >>> split_unit("Cykelstöld, antal")
    ('Cykelstöld', 'count')
    >>> split_unit("Bilbrott")
    ('Bilbrott', None)
    """
    text = str(title).strip()
    for pattern, unit in ((_RATE_IN_TITLE, "rate"), (_COUNT_IN_TITLE, "count")):
        stripped = pattern.sub("", text)
        if stripped != text and stripped.strip():
            return stripped.strip(), unit
    return text, None


def canonical_name(title: str) -> str:
    """The suite's name for a category title: Kolada's titles of Brå's measures map to their names.

    The unit is expected to be split off already (:func:`split_unit`). Any other title is kept as it is.

    Examples
    --------
    >>> canonical_name("Anmälda brott totalt")
    'Totalt antal anmälda brott'
    >>> canonical_name("Anmälda narkotikabrott")
    'Narkotikabrott'
    >>> canonical_name("Cykelstöld")
    'Cykelstöld'
    """
    key = str(title).strip().casefold()
    for pattern, name in KOLADA_TITLES:
        if re.search(pattern, key):
            return name
    return str(title).strip()


def category_set(name: str) -> str:
    """Which set a category belongs to: :data:`SOL_SET` (the total too), :data:`KI_SET` or :data:`OTHER_SET`.

    Examples
    --------
    >>> category_set(TOTAL), category_set("Bostadsinbrott"), category_set("Cykelstöld")
    ('sol', 'kommunindikatorer', 'övrigt')
    """
    category = _BY_NAME.get(str(name))
    return category.set if category is not None else OTHER_SET


def category(name: str) -> Category | None:
    """The bundled category of that name (None for any other).

    Examples
    --------
    >>> category("Inbrottsstöld i bostad").code
    '11462'
    """
    return _BY_NAME.get(str(name))


def themes_of(text: str) -> list[str]:
    """The themes whose words a text (a focus area or a category's name) uses.

    Examples
    --------
    >>> themes_of("Våld i offentlig miljö"), themes_of("Klotter"), themes_of("Brott från bil")
    (['person'], ['skadegorelse'], [])
    """
    low = str(text).casefold()
    return [t.key for t in THEMES.values() if any(re.search(word, low) for word in t.keywords)]


def theme_of(name: str) -> str | None:
    """The theme of a category: the bundled one's, else the only theme its name points to.

    Examples
    --------
    >>> theme_of("Bilbrott"), theme_of("Anmälda våldsbrott"), theme_of("Bedrägeri")
    ('stold', 'person', None)
    """
    bundled = _BY_NAME.get(str(name))
    if bundled is not None:
        return bundled.theme
    found = themes_of(name)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class FocusMatch:
    """The categories one focus area matches.

    Attributes
    ----------
    focus : str
        The focus area as the kommun wrote it.
    direct : list of str
        Categories whose name begins with the focus area (in any set).
    broader : list of str
        SOL categories of the same theme, where no SOL category matched directly: broader measures
        that contain what the focus area is about (a report says they are broader).
    """

    focus: str
    direct: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        """Direct matches first, then the broader ones."""
        return list(dict.fromkeys(self.direct + self.broader))


def match_focus(indicators: list[str], focus_areas: list[str]) -> dict[str, FocusMatch]:
    """The categories each focus area matches, in both sets.

    A category matches directly when its name begins with the focus area (case-insensitive), so
    "Våld i offentlig miljö" matches the three kommunindikatorer of violence in public places and
    "Narkotikabrott" matches both "Narkotikabrott" and SOL's "Narkotikabrott + vapenlagsbrott". When no
    SOL category matched directly, the SOL categories of the focus area's theme (:func:`themes_of`) match
    as *broader*: every kommun has them, so every focus area can be followed in every kommun.

    Parameters
    ----------
    indicators : list of str
        The categories present.
    focus_areas : list of str

    Returns
    -------
    dict
        Focus area → :class:`FocusMatch` (empty lists when it matches nothing: say so in the report).

    Examples
    --------
    >>> m = match_focus([TOTAL, "Brott mot person (3–7 kap. BrB)", "Våld i offentlig miljö mot vuxna"],
    ...                 ["Våld i offentlig miljö", "Bedrägeri"])
    >>> m["Våld i offentlig miljö"].direct, m["Våld i offentlig miljö"].broader
    (['Våld i offentlig miljö mot vuxna'], ['Brott mot person (3–7 kap. BrB)'])
    >>> m["Bedrägeri"].all
    []
    """
    out = {}
    for focus in focus_areas:
        low = str(focus).strip().casefold()
        direct = [i for i in indicators if low and str(i).casefold().startswith(low)]
        broader = []
        if not any(category_set(i) == SOL_SET and i != TOTAL for i in direct):
            themes = set(themes_of(focus)) - {"total"}
            broader = [i for i in indicators if category_set(i) == SOL_SET and theme_of(i) in themes and i not in direct]
        out[focus] = FocusMatch(str(focus), direct, broader)
    return out


def set_order(indicators: list[str]) -> list[str]:
    """Categories in report order: SOL's in their own order, then the kommunindikatorer, then the others.

    Examples
    --------
    >>> set_order(["Cykelstöld", "Bilbrott", "Inbrottsstöld i bostad", TOTAL])
    ['Totalt antal anmälda brott', 'Inbrottsstöld i bostad', 'Bilbrott', 'Cykelstöld']
    """
    rank = {c.name: i for i, c in enumerate((*SOL, *KOMMUNINDIKATORER))}
    return sorted(dict.fromkeys(indicators), key=lambda i: (rank.get(i, len(rank)), str(i)))
