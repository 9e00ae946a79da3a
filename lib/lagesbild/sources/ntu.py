"""Brå's Nationella trygghetsundersökningen (NTU) per kommun: loading, themes, kommun against län and riket.

NTU is Brå's yearly survey of about 200 000 people aged 16–84 (official statistics). Brå's
*kommunindikatorer* publish some of its results per kommun, län and riket: the share (in %) who were
victims of a crime, feel unsafe, worry about crime or see problems where they live, each with its
95 % confidence interval, and the number of respondents. The bundled file
(``data/raw/ntu/bra_kommunindikatorer_dalarna_ntu.csv``, see ``data/raw/README.md``) holds the 15
kommuner of Dalarnas län, the län (``20``) and riket (``00``): **no other kommun**.

The raw file is long: one row per region, year, indicator and *unit*, where the unit is the share
(``Andel (%) …``) or one end of its interval (``KI (95 %) undre gräns`` / ``KI (95 %) övre gräns``);
the respondents are their own indicator (``Antal svarande i NTU.``, unit empty). :func:`load_ntu`
turns it into one row per region, year and indicator (:data:`NTU_SCHEMA`), which
:mod:`lagesbild.sources.processed` stores as the kind ``ntu``.

The report shows the indicators in four themes (:data:`THEMES`): utsatthet för brott, otrygghet, oro
för brott and problem i bostadsområdet. The two questions on behaviour ("avstått från någon aktivitet"
and "valt en annan väg …", both "på grund av oro för att utsättas för brott") are counted as oro för
brott, since that is what the questions ask about.

Years
-----
Questions on victimisation ask about the *previous calendar year*: NTU 2025 asks about 2024
(Brå; NCK's description of NTU 2022: "Referensperioden för utsatthet för brott är föregående
kalenderår"). The file's years follow that: victimisation runs 2016–2024 while every other indicator
and the respondents run 2017–2025. So ``year`` is the year the figure is about and ``survey_year``
the year of the survey (``year + 1`` for victimisation, else ``year``); the respondents are joined on
``survey_year``. The respondents are everyone who answered NTU in the region that year; the base of a
single question can be smaller (cykelstöld is a share of households owning a bicycle, oro för stöld av
bil of households owning a car).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.sources import schemas
from lagesbild.sources.public import rename_aliases, split_code_name
from lagesbild.sources.readers import read_table, to_number

RIKET = "00"

#: The four themes of the report, in report order: key → Swedish heading.
THEMES: dict[str, str] = {
    "utsatthet": "Utsatthet för brott",
    "otrygghet": "Otrygghet",
    "oro": "Oro för brott",
    "problem": "Problem i bostadsområdet",
}

#: The indicator that holds the number of respondents (per region and survey year).
RESPONDENTS = "Antal svarande i NTU."

#: Brå's indicator names (as in the kommunindikatorer) → (theme, short Swedish label), in report order.
INDICATORS: dict[str, tuple[str, str]] = {
    "Självrapporterad utsatthet för misshandel": ("utsatthet", "Misshandel"),
    "Självrapporterad utsatthet för sexualbrott": ("utsatthet", "Sexualbrott"),
    "Självrapporterad utsatthet för rån": ("utsatthet", "Rån"),
    "Självrapporterad utsatthet för försäljningsbedrägeri": ("utsatthet", "Försäljningsbedrägeri"),
    "Självrapporterad utsatthet för kortbedrägeri": ("utsatthet", "Kortbedrägeri"),
    "Självrapporterad utsatthet för cykelstöld bland cykelägare": ("utsatthet", "Cykelstöld (hushåll med cykel)"),
    "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet":
        ("otrygghet", "Otrygg ute sent på kvällen i bostadsområdet"),
    "Oro för att utsättas för misshandel": ("oro", "Oro för misshandel"),
    "Oro för att utsättas för våldtäkt/sexuella angrepp": ("oro", "Oro för våldtäkt eller sexuella angrepp"),
    "Oro för att utsättas för bostadsinbrott enligt NTU. Andel (%) i befolkningen (16–84 år) som oroar sig "
    "ganska/mycket ofta.": ("oro", "Oro för bostadsinbrott"),
    "Oro för att utsättas för stöld av/skadegörelse på bil (bland hushåll som ägde bil)":
        ("oro", "Oro för stöld av eller skadegörelse på bil (hushåll med bil)"),
    "Avstått från någon aktivitet på grund av oro för att utsättas för brott":
        ("oro", "Avstått från en aktivitet av oro för brott"),
    "Valt en annan väg eller ett annat färdsätt på grund av oro för att utsättas för brott":
        ("oro", "Valt annan väg eller annat färdsätt av oro för brott"),
    "Problem med skadegörelse i det egna bostadsområdet": ("problem", "Skadegörelse"),
    "Problem med klotter i det egna bostadsområdet": ("problem", "Klotter"),
    "Problem med öppen narkotikahandel i det egna bostadsområdet": ("problem", "Öppen narkotikahandel"),
    "Problem med fortkörning i det egna bostadsområdet": ("problem", "Fortkörning"),
    "Problem med övrig störande körning i det egna bostadsområdet": ("problem", "Övrig störande körning"),
    "Problem med personer påverkade av alkohol eller droger i det egna bostadsområdet":
        ("problem", "Personer påverkade av alkohol eller droger"),
    "Problem med gäng som uppehåller sig i det egna bostadsområdet": ("problem", "Gäng som uppehåller sig i området"),
}

#: An indicator not in :data:`INDICATORS` (Brå adds and renames) gets its theme from how its name begins.
THEME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("självrapporterad utsatthet", "utsatthet"), ("utsatthet", "utsatthet"), ("otrygg", "otrygghet"),
    ("oro för", "oro"), ("avstått", "oro"), ("valt en annan väg", "oro"), ("problem med", "problem"),
)

#: Column aliases of a raw NTU file (lower case; first match wins).
NTU_ALIASES: dict[str, list[str]] = {
    "region_code": ["region_code", "regionkod", "kommunkod", "kommun_kod", "kod"],
    "region_name": ["region_name", "region", "kommun", "kommunnamn", "geografi"],
    "year": ["year", "år", "ar", "period"],
    "indicator": ["indicator", "indikator", "variabel", "fråga", "fraga"],
    "unit": ["unit", "enhet", "mått", "matt"],
    "value": ["value", "värde", "varde"],
}

NTU_COLUMNS: tuple[str, ...] = ("region_code", "region_name", "year", "survey_year", "theme", "indicator", "label",
                                "unit", "share", "ci_low", "ci_high", "respondents")

#: The tidy NTU frame: one row per region, year and indicator.
NTU_SCHEMA = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(r"^(\d{2}|\d{4})$")),
        "region_name": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "survey_year": pa.Column(int, pa.Check.in_range(2000, 2101)),
        "theme": pa.Column(str, pa.Check.isin(["", *THEMES])),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str),
        "share": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "ci_low": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "ci_high": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "respondents": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    unique=["region_code", "year", "indicator"], strict=True, ordered=True, name="ntu",
)

_LOW = re.compile(r"^ki\b.*\b(?:undre|nedre)\b")
_HIGH = re.compile(r"^ki\b.*\bövre\b")
_FIX_UNIT = ("the unit must be the share ('Andel (%) …') or one end of its interval ('KI (95 %) undre gräns' / "
             "'KI (95 %) övre gräns'); the respondents row ('Antal svarande i NTU.') has no unit")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2013", "-")).strip().casefold()


_BY_NORM = {_norm(k): (k, *v) for k, v in INDICATORS.items()}


def indicator_info(indicator: str) -> tuple[str, str]:
    """The theme key and the short Swedish label of an NTU indicator (theme ``""`` if none fits).

    Examples
    --------
    >>> indicator_info("Problem med klotter i det egna bostadsområdet")
    ('problem', 'Klotter')
    >>> indicator_info("Självrapporterad utsatthet för hot")
    ('utsatthet', 'Självrapporterad utsatthet för hot')
    >>> indicator_info("Förtroende för polisen")
    ('', 'Förtroende för polisen')
    """
    known = _BY_NORM.get(_norm(indicator))
    if known is not None:
        return known[1], known[2]
    key = _norm(indicator)
    theme = next((t for prefix, t in THEME_PREFIXES if key.startswith(prefix)), "")
    return theme, str(indicator).strip()


def _codes(df: pd.DataFrame, kommuner: pd.DataFrame | None, file: str) -> tuple[pd.Series, pd.Series]:
    code, name = split_code_name(df["region_name"])
    if "region_code" in df.columns:
        given = df["region_code"].astype(str).str.strip()
        code = given.where(given != "", code)
    lookup = {"hela landet": RIKET, "riket": RIKET, "sverige": RIKET}
    if kommuner is not None:
        lookup.update({n.casefold(): c for n, c in zip(kommuner["kommun"], kommuner["kommun_kod"], strict=True)})
        lans = kommuner.drop_duplicates("lan_kod")
        lookup.update({n.casefold(): c for n, c in zip(lans["lan"], lans["lan_kod"], strict=True)})
    code = code.where(code.notna(), name.str.strip().str.casefold().map(lookup))
    if code.isna().any():
        row = code.index[code.isna().to_numpy()][0]
        raise InputError(file, f"cannot tell which region {plain(name[row])} is",
                         "add a region_code column with SCB codes ('00' riket, '20' a län, '2080' a kommun)",
                         row=int(row), column="region_name")
    code = code.astype(str)
    code = code.where(code.str.len() != 3, code.str.zfill(4)).where(code.str.len() != 1, code.str.zfill(2))
    if kommuner is not None:
        known = {RIKET, *kommuner["lan_kod"].astype(str), *kommuner["kommun_kod"].astype(str)}
        unknown = ~code.isin(known) & code.str.fullmatch(r"\d{2}|\d{4}")
        if unknown.any():
            row = code.index[unknown.to_numpy()][0]
            raise InputError(file, f"{plain(code[row])} is not the code of Sweden (00), a län or a kommun",
                             "correct the code (SCB's codes, with leading zeros) or delete the row",
                             row=int(row), column="region_code")
    return code, name.astype(str)


def _one_per_key(part: pd.DataFrame, key: list[str], what: str, file: str) -> None:
    dup = part.duplicated(key, keep=False)
    if dup.any():
        first = part[dup].sort_index()
        same = first[(first[key] == first.iloc[0][key]).all(axis=1)]
        a, b = int(same.index[0]), int(same.index[1])
        raise InputError(file, f"rows {a} and {b} are both the {what} of {plain(same.iloc[0]['indicator'])} for region "
                         f"{same.iloc[0]['region_code']} in {same.iloc[0]['year']}",
                         "keep one of the rows (remove the outdated one)", row=b, column="value")


def load_ntu(path: str | Path, kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load an NTU file of Brå's kommunindikatorer into one row per region, year and indicator.

    Parameters
    ----------
    path : str or Path
        CSV or Excel, long: ``region_code`` (or a region name / PxWeb label ``2080 Falun``),
        ``region_name``, ``year``, ``indicator``, ``unit``, ``value`` (aliases in :data:`NTU_ALIASES`).
        The unit of a share starts with ``Andel``; its interval is in rows with the units
        ``KI (95 %) undre gräns`` and ``KI (95 %) övre gräns``; the respondents are the indicator
        ``Antal svarande i NTU.`` (any unit). ``..`` or an empty cell is a missing value.
    kommuner : pandas.DataFrame, optional
        The kommun table, to resolve names to codes and to check every code.

    Returns
    -------
    pandas.DataFrame
        :data:`NTU_SCHEMA`: ``region_code, region_name, year`` (the year the figure is about),
        ``survey_year`` (``year + 1`` for victimisation, see the module docstring), ``theme``
        (a key of :data:`THEMES`, ``""`` if none fits), ``indicator`` (Brå's name), ``label``
        (short Swedish), ``unit`` (Brå's text of the share), ``share``, ``ci_low``, ``ci_high``
        (in %), ``respondents`` (NaN when the file has none). Sorted by region, theme, indicator
        (in :data:`INDICATORS` order) and year.

    Raises
    ------
    InputError
        A missing column, a region that cannot be identified, an unknown unit, a value that is not a
        number or outside 0–100, a respondent count that is not whole, an interval row without its
        share or without the other end, a share outside its interval, two rows for the same thing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ntu.csv"
    >>> _ = p.write_text("region_code,region_name,year,indicator,unit,value\\n"
    ...     "2080,Falun,2024,Oro för att utsättas för misshandel,Andel (%) som oroar sig,5.0\\n"
    ...     "2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) undre gräns,3.0\\n"
    ...     "2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) övre gräns,7.0\\n"
    ...     "2080,Falun,2024,Antal svarande i NTU.,,427\\n", encoding="utf-8")
    >>> load_ntu(p)[["theme", "label", "share", "ci_low", "ci_high", "respondents"]].values.tolist()
    [['oro', 'Oro för misshandel', 5.0, 3.0, 7.0, 427.0]]
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = rename_aliases(raw, NTU_ALIASES)
    if "unit" not in df.columns:
        df["unit"] = ""
    for col in ("region_name", "year", "indicator", "value"):
        if col not in df.columns:
            names = ", ".join(repr(a) for a in NTU_ALIASES[col][:4])
            raise InputError(file, f"no column for {plain(col)}",
                             f"add a column named one of {names} (found: {', '.join(map(str, raw.columns))}); "
                             "see data/raw/README.md", row=1)
    code, name = _codes(df, kommuner, file)
    year = to_number(df["year"].astype(str).str[:4], file=file, column="year", integer=True, allow_missing=False)
    indicator = df["indicator"].astype(str).str.strip()
    if (indicator == "").any():
        row = indicator.index[(indicator == "").to_numpy()][0]
        raise InputError(file, "the indicator is empty", "every row needs the NTU indicator's name",
                         row=int(row), column="indicator")
    unit = df["unit"].astype(str).str.strip()
    low = unit.str.casefold()
    is_resp = indicator.map(_norm).str.startswith("antal svarande")
    kind = pd.Series(np.select([is_resp, low.str.contains(_LOW), low.str.contains(_HIGH), low.str.startswith("andel")],
                               ["respondents", "ci_low", "ci_high", "share"], default=""), index=df.index)
    if (kind == "").any():
        row = kind.index[(kind == "").to_numpy()][0]
        raise InputError(file, f"unknown unit {plain(unit[row])}", _FIX_UNIT, row=int(row), column="unit")
    value = to_number(df["value"], file=file, column="value", minimum=0)
    long = pd.DataFrame({"region_code": code, "region_name": name, "year": year.astype(int), "indicator": indicator,
                         "unit": unit, "kind": kind, "value": value}, index=df.index)

    resp = long[long["kind"] == "respondents"]
    _one_per_key(resp, ["region_code", "year"], "respondent count", file)
    to_number(resp["value"].map(lambda v: "" if np.isnan(v) else repr(v)), file=file, column="value", integer=True)
    pct = long[long["kind"] != "respondents"]
    over = pct["value"] > 100
    if over.any():
        row = int(pct.index[over.to_numpy()][0])
        raise InputError(file, f"{pct.loc[row, 'value']:g} is not a share in % (above 100)",
                         "write shares and their intervals in percent (0–100)", row=row, column="value")
    key = ["region_code", "year", "indicator"]
    for what in ("share", "ci_low", "ci_high"):
        _one_per_key(pct[pct["kind"] == what], key, {"share": "share", "ci_low": "lower limit",
                                                     "ci_high": "upper limit"}[what], file)
    shares = pct[pct["kind"] == "share"].reset_index()
    tidy = shares[["row", *key, "region_name", "unit"]].rename(columns={"row": "_row"})
    tidy["share"] = shares["value"].to_numpy()
    for end in ("ci_low", "ci_high"):
        rows = pct[pct["kind"] == end].reset_index()
        orphan = ~rows.set_index(key).index.isin(shares.set_index(key).index)
        if orphan.any():
            r = rows[orphan].iloc[0]
            raise InputError(file, f"an interval row for {plain(r['indicator'])} ({r['region_code']}, {r['year']}) has no "
                             "share row", "add the share row (unit 'Andel (%) …') or delete the interval row",
                             row=int(r["row"]), column="unit")
        tidy = tidy.merge(rows[[*key, "value", "row"]].rename(columns={"value": end, "row": f"_{end}_row"}),
                          on=key, how="left")
    one_end = tidy["ci_low"].isna() != tidy["ci_high"].isna()
    if one_end.any():
        r = tidy[one_end].iloc[0]
        present = "_ci_low_row" if not np.isnan(r["ci_low"]) else "_ci_high_row"
        raise InputError(file, f"the interval of {plain(r['indicator'])} ({r['region_code']}, {r['year']}) has only one end",
                         "give both 'KI (95 %) undre gräns' and 'KI (95 %) övre gräns', or neither",
                         row=int(r[present]), column="value")
    outside = (tidy["share"] < tidy["ci_low"] - 1e-9) | (tidy["share"] > tidy["ci_high"] + 1e-9)
    if outside.any():
        r = tidy[outside].iloc[0]
        raise InputError(file, f"the share {r['share']:g} is outside its interval {r['ci_low']:g}–{r['ci_high']:g}",
                         "check that the interval rows belong to this indicator, region and year",
                         row=int(r["_row"]), column="value")
    info = tidy["indicator"].map(indicator_info)
    tidy["theme"] = info.str[0].astype(str)
    tidy["label"] = info.str[1].astype(str)
    tidy["survey_year"] = (tidy["year"] + (tidy["theme"] == "utsatthet")).astype(int)
    counts = resp.rename(columns={"year": "survey_year", "value": "respondents"})[
        ["region_code", "survey_year", "respondents"]]
    tidy = tidy.merge(counts, on=["region_code", "survey_year"], how="left")
    order = {k: i for i, k in enumerate(INDICATORS)}
    theme_order = {k: i for i, k in enumerate(THEMES)}
    tidy = tidy.assign(_t=tidy["theme"].map(theme_order).fillna(len(THEMES)),
                       _i=tidy["indicator"].map(lambda s: order.get(_BY_NORM.get(_norm(s), (s,))[0], len(order))))
    tidy = tidy.sort_values(["region_code", "_t", "_i", "indicator", "year"], kind="stable")
    tidy = tidy.set_index("_row")
    tidy.index.name = "row"
    out = tidy[list(NTU_COLUMNS)].astype({"share": float, "ci_low": float, "ci_high": float, "respondents": float})
    for col in ("region_code", "region_name", "theme", "indicator", "label", "unit"):
        out[col] = out[col].astype(str)
    out = schemas.validate(out, NTU_SCHEMA, file)
    out.attrs["file"] = file
    return out.reset_index(drop=True)


def empty_ntu() -> pd.DataFrame:
    """An NTU frame without rows (the data folder has no NTU file).

    Examples
    --------
    >>> list(empty_ntu().columns) == list(NTU_COLUMNS), len(empty_ntu())
    (True, 0)
    """
    dtypes = {"year": "int64", "survey_year": "int64", "share": float, "ci_low": float, "ci_high": float,
              "respondents": float}
    return pd.DataFrame({c: pd.Series([], dtype=dtypes.get(c, str)) for c in NTU_COLUMNS})


@dataclass(frozen=True)
class NtuComparison:
    """NTU for one kommun, its län and riket (:func:`comparison`).

    ``frame`` has the columns of :data:`NTU_SCHEMA` plus ``level`` ("kommun", "län", "riket"); it
    is empty when the kommun is not in the data, and ``reason`` then says why in Swedish (``""``
    otherwise).
    """

    kommun: str
    lan_kod: str
    frame: pd.DataFrame
    reason: str = ""

    @property
    def available(self) -> bool:
        """Whether the data has NTU results for the kommun."""
        return not self.frame.empty


def comparison(ntu: pd.DataFrame, kommun: str, lan_kod: str) -> NtuComparison:
    """The kommun's NTU results with its län's and riket's, every year.

    Parameters
    ----------
    ntu : pandas.DataFrame
        :data:`NTU_SCHEMA` (``processed.load(...).ntu``).
    kommun : str
        Four-digit kommun code.
    lan_kod : str
        Its two-digit län code.

    Returns
    -------
    NtuComparison
        ``frame`` sorted by level, theme, indicator and year. A kommun without rows gets an empty
        frame and a ``reason`` naming the kommuner that the data do have (only Dalarna's are bundled).

    Examples
    --------
    >>> ntu = pd.DataFrame({"region_code": ["2080", "20", "00"], "region_name": ["Falun", "Dalarnas län", "Hela landet"],
    ...     "year": 2024, "survey_year": 2024, "theme": "oro", "indicator": "Oro för att utsättas för misshandel",
    ...     "label": "Oro för misshandel", "unit": "Andel (%)", "share": [5.0, 6.0, 7.0],
    ...     "ci_low": [3.0, 5.0, 6.8], "ci_high": [7.0, 7.0, 7.2], "respondents": [427.0, 1969.0, 64751.0]})
    >>> comparison(ntu, "2080", "20").frame["level"].tolist()
    ['kommun', 'län', 'riket']
    >>> c = comparison(ntu, "1283", "12")
    >>> c.available, c.reason
    (False, 'NTU-resultat per kommun finns i underlaget bara för 1 kommun (Falun); kommun 1283 ingår inte.')
    """
    kommun, lan_kod = str(kommun), str(lan_kod)
    mine = ntu[ntu["region_code"] == kommun]
    if mine.empty:
        kommuner = ntu.loc[ntu["region_code"].str.len() == 4, "region_name"].drop_duplicates().sort_values().tolist()
        if not kommuner:
            reason = "Underlaget har inga NTU-resultat per kommun (ingen NTU-fil i data/raw/ntu/ eller data/local/ntu/)."
        else:
            shown = ", ".join(kommuner[:5]) + (" m.fl." if len(kommuner) > 5 else "")
            noun = "kommun" if len(kommuner) == 1 else "kommuner"
            reason = (f"NTU-resultat per kommun finns i underlaget bara för {len(kommuner)} {noun} ({shown}); "
                      f"kommun {kommun} ingår inte.")
        empty = empty_ntu().assign(level=pd.Series([], dtype=str))
        return NtuComparison(kommun, lan_kod, empty, reason)
    level = {kommun: "kommun", lan_kod: "län", RIKET: "riket"}
    out = ntu[ntu["region_code"].isin(level)].copy()
    out["level"] = out["region_code"].map(level).astype(str)
    rank = {"kommun": 0, "län": 1, "riket": 2}
    out = out.assign(_l=out["level"].map(rank)).sort_values("_l", kind="stable").drop(columns="_l")
    return NtuComparison(kommun, lan_kod, out.reset_index(drop=True))


def latest(comp: NtuComparison | pd.DataFrame) -> pd.DataFrame:
    """Per indicator the kommun's latest year with a share, beside the län's and riket's of that year.

    Parameters
    ----------
    comp : NtuComparison or pandas.DataFrame
        From :func:`comparison` (or its ``frame``).

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in report order (theme, then :data:`INDICATORS` order): ``theme``,
        ``theme_label`` (:data:`THEMES`), ``indicator``, ``label``, ``year``, ``survey_year``, and for
        the kommun ``share, ci_low, ci_high, respondents``, for the län the same with the suffix
        ``_lan`` and for riket ``_riket`` (NaN where that region has no value that year). Empty when
        the kommun has no NTU results.

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["kommun", "kommun", "län"], "region_code": ["2080", "2080", "20"],
    ...     "year": [2023, 2024, 2024], "survey_year": [2023, 2024, 2024], "theme": "oro",
    ...     "indicator": "Oro för att utsättas för misshandel", "label": "Oro för misshandel",
    ...     "share": [7.0, 5.0, 6.0], "ci_low": [5.0, 3.0, 5.0], "ci_high": [9.0, 7.0, 7.0],
    ...     "respondents": [447.0, 427.0, 1969.0]})
    >>> r = latest(f).iloc[0]
    >>> int(r["year"]), float(r["share"]), float(r["share_lan"]), float(r["share_riket"])
    (2024, 5.0, 6.0, nan)
    """
    frame = comp.frame if isinstance(comp, NtuComparison) else comp
    values = ["share", "ci_low", "ci_high", "respondents"]
    cols = ["theme", "theme_label", "indicator", "label", "year", "survey_year", *values,
            *(f"{v}_{s}" for s in ("lan", "riket") for v in values)]
    k = frame[(frame["level"] == "kommun") & frame["share"].notna()]
    if k.empty:
        return pd.DataFrame({c: pd.Series([], dtype=float if c not in ("theme", "theme_label", "indicator", "label")
                                          else str) for c in cols})
    last = k.sort_values("year").groupby("indicator", sort=False).tail(1)
    out = last[["theme", "indicator", "label", "year", "survey_year", *values]].copy()
    for level, suffix in (("län", "lan"), ("riket", "riket")):
        other = frame[frame["level"] == level][["indicator", "year", *values]]
        other = other.rename(columns={v: f"{v}_{suffix}" for v in values})
        out = out.merge(other, on=["indicator", "year"], how="left")
    out["theme_label"] = out["theme"].map(THEMES).fillna("Övrigt").astype(str)
    order = {k: i for i, k in enumerate(INDICATORS)}
    theme_order = {k: i for i, k in enumerate(THEMES)}
    out = out.assign(_t=out["theme"].map(theme_order).fillna(len(THEMES)),
                     _i=out["indicator"].map(lambda s: order.get(_BY_NORM.get(_norm(s), (s,))[0], len(order))))
    out = out.sort_values(["_t", "_i", "indicator"], kind="stable").reset_index(drop=True)
    for v in values:
        for s in ("lan", "riket"):
            out[f"{v}_{s}"] = out[f"{v}_{s}"].astype(float)
    return out[cols].astype({"year": int, "survey_year": int})


__all__ = ["INDICATORS", "NTU_ALIASES", "NTU_COLUMNS", "NTU_SCHEMA", "RESPONDENTS", "RIKET", "THEMES",
           "THEME_PREFIXES", "NtuComparison", "comparison", "empty_ntu", "indicator_info", "latest", "load_ntu"]
