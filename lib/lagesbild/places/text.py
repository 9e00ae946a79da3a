"""Text and tables of the place assessment report: what a council reads, with privacy applied.

Every function here turns results of :func:`lagesbild.places.analysis.analyse` (and the loaded
:class:`lagesbild.places.data.PlaceData`) into Swedish text or a display table. Counts from incident
logs and citizen reports go through :func:`lagesbild.core.privacy.mask_small` (never a 1 or a 2), no
free text is ever read, and positions appear only as grid cells of at least three events.

The examples use :func:`example`, the bundled example data analysed once per process.
"""

from __future__ import annotations

import functools

import pandas as pd

from lagesbild.core import fmt, privacy
from lagesbild.places import analysis as place
from lagesbild.places import factors, series
from lagesbild.places.data import FILE_DESCRIPTIONS, TEMPLATES


@functools.cache
def example():
    """The bundled example data and its analysis (cached): ``(data, analysis)``, for examples and tests.

    Examples
    --------
    >>> data, a = example()
    >>> data.example, len(data.places)
    (True, 8)
    """
    from lagesbild.places import data as placedata

    data = placedata.load_place_data(place.EXAMPLE_PLACES, "1283")
    return data, place.analyse(data, permutations=99)


_join = fmt.join


def period_text(a) -> str:
    """The analysis period in words.

    Examples
    --------
    >>> period_text(example()[1])
    'januari 2024–december 2025'
    """
    if a is None or a.period is None:
        return "ingen period"
    return f"{fmt.month(a.period[0])}–{fmt.month(a.period[1])}"


def source_text(data, *kinds: str) -> str:
    """The source line for a section built on some of the place-data tables.

    Examples
    --------
    >>> source_text(example()[0], "handelser", "medborgarrapporter")
    'Händelselogg och Medborgarrapporter (påhittade exempeldata, data/example/places, 15 januari 2026)'
    """
    if data is None:
        return "Ingen platsdata"
    what = _join([FILE_DESCRIPTIONS[k] for k in kinds])
    parts = ["påhittade exempeldata" if data.example else (data.source or "kommunens egna uppgifter")]
    folder = getattr(data, "folder", None)
    if folder is not None:
        from lagesbild.core.paths import PROJ_ROOT

        try:
            parts.append(folder.resolve().relative_to(PROJ_ROOT).as_posix())
        except ValueError:
            parts.append(folder.name)
    dates = sorted({f.get("date") for f in data.files if f.get("date")})
    if dates:
        parts.append(fmt.day(pd.Timestamp(dates[-1])))
    return f"{what} ({', '.join(parts)})"


def factor_table() -> pd.DataFrame:
    """The eight factors and their questions, as a display table.

    Examples
    --------
    >>> t = factor_table()
    >>> len(t), t.iloc[3, 0]
    (8, 'Belysning')
    """
    return pd.DataFrame({"Faktor": [f.name for f in factors.FACTORS],
                         "Bedömaren frågar sig": [f.question for f in factors.FACTORS]})


def scale_table() -> pd.DataFrame:
    """The 1–5 scale with its labels.

    Examples
    --------
    >>> scale_table().to_dict("list")["Poäng"]
    ['1', '2', '3', '4', '5']
    """
    return pd.DataFrame({"Poäng": [str(k) for k in factors.SCALE],
                         "Betyder": [f"{v}{' (svag faktor)' if k <= factors.WEAK_AT_OR_BELOW else ''}"
                                     for k, v in factors.SCALE.items()]})


def template_descriptions() -> list[str]:
    """One line per template file, for a report on a kommun without place data.

    Examples
    --------
    >>> template_descriptions()[0].startswith("platser.csv eller platser.xlsx")
    True
    """
    return [f"{kind}.csv eller {kind}.xlsx – {FILE_DESCRIPTIONS[kind]}: {TEMPLATES[kind].purpose}"
            for kind in TEMPLATES]


def places_in_order(data, a) -> pd.DataFrame:
    """The places in priority order (assessed first, then the rest in register order).

    Examples
    --------
    >>> data, a = example()
    >>> places_in_order(data, a)["plats_id"].iloc[0] == a.priority["plats_id"].iloc[0]
    True
    """
    places = data.places[["plats_id", "namn", "stadsdel"]].reset_index(drop=True)
    order = list(a.priority["plats_id"]) if len(a.priority) else []
    rank = {pid: i for i, pid in enumerate(order)}
    places = places.assign(bedomd=places["plats_id"].isin(rank),
                           _rank=places["plats_id"].map(rank).fillna(len(rank)))
    return places.sort_values(["_rank"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def _factor_list(keys: list[str], scores) -> str:
    parts = [f"{factors.FACTOR_NAMES[k]} ({fmt.number(scores[k], 1)})" for k in keys]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def describe_place(latest_row, changes=None) -> str:
    """Swedish text about one place's latest assessment and its change since the previous one.

    Parameters
    ----------
    latest_row : pandas.Series
        One row of :func:`lagesbild.places.factors.latest_profiles`.
    changes : pandas.DataFrame, optional
        :func:`lagesbild.places.factors.change_since_previous` rows of this place (empty or None: no
        previous round).

    Examples
    --------
    >>> import pandas as pd
    >>> insp = pd.DataFrame({"plats_id": ["P"] * 2, "datum": pd.to_datetime(["2024-04-12", "2025-04-10"]),
    ...     "typ": ["besiktning"] * 2, "roll": ["polis"] * 2, "anteckning": ["", ""],
    ...     **{k: [3.0, 3.0] for k in factors.FACTOR_KEYS}})
    >>> insp.loc[1, "belysning"] = 1.0
    >>> latest = factors.latest_profiles(insp).iloc[0]
    >>> changes = factors.change_since_previous(insp)
    >>> print(describe_place(latest, changes))
    Senast bedömd 10 april 2025 (besiktning, 1 bedömare). Samlad poäng 2,8 av 5. Svag faktor: Belysning (1,0). Sedan föregående bedömning 12 april 2024 har Belysning blivit sämre. Övriga faktorer är oförändrade (mindre än 0,5 poängs skillnad).
    """
    text = [f"Senast bedömd {fmt.day(latest_row['datum'])} ({latest_row['typ']}, "
            f"{int(latest_row['n_bedomare'])} bedömare)."]
    if latest_row["samlad"] == latest_row["samlad"]:  # not NaN
        text.append(f"Samlad poäng {fmt.number(latest_row['samlad'], 1)} av {factors.SCALE_MAX}.")
    else:
        text.append(f"Ingen samlad poäng: färre än {factors.MIN_ASSESSED} av de åtta faktorerna är bedömda.")
    weak = factors.weakest_factors(latest_row, n=None)
    if weak:
        text.append(f"{'Svag faktor' if len(weak) == 1 else 'Svaga faktorer'}: {_factor_list(weak, latest_row)}.")
    else:
        text.append(f"Ingen faktor har {fmt.number(factors.WEAK_AT_OR_BELOW)} poäng eller lägre.")
    if changes is not None and len(changes):
        rows = changes[changes["nyckel"].isin(factors.FACTOR_KEYS)]
        first = rows.iloc[0]
        better = rows.loc[rows["riktning"] == factors.BETTER, "faktor"].tolist()
        worse = rows.loc[rows["riktning"] == factors.WORSE, "faktor"].tolist()

        def join(names: list[str]) -> str:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]

        parts = []
        if better:
            parts.append(f"{join(better)} blivit {'bättre'}")
        if worse:
            parts.append(f"{join(worse)} blivit sämre")
        since = f"Sedan föregående bedömning {fmt.day(first['foregaende_datum'])}"
        unchanged = int((rows["riktning"] == factors.UNCHANGED).sum())
        not_comparable = rows.loc[rows["riktning"] == factors.NOT_COMPARABLE, "faktor"].tolist()
        tolerance = f"(mindre än {fmt.number(factors.CHANGE_TOLERANCE, 1)} poängs skillnad)"
        if parts:
            text.append(f"{since} har {' och '.join(parts)}.")
            if unchanged:
                text.append(f"{'Övriga bedömda faktorer är' if not_comparable else 'Övriga faktorer är'} "
                            f"oförändrade {tolerance}.")
        elif unchanged:
            text.append(f"{since} är {'de faktorer som bedömdes båda gångerna' if not_comparable else 'alla faktorer'} "
                        f"oförändrade {tolerance}.")
        else:
            text.append(f"{since} finns ingen faktor som bedömdes båda gångerna.")
        if not_comparable:
            text.append(f"{join(not_comparable)} går inte att jämföra: {'den' if len(not_comparable) == 1 else 'de'} "
                        "bedömdes bara ena gången.")
        if not bool(first["samma_typ"]):
            text.append(f"Observera att bedömningarna gjordes på olika sätt ({first['foregaende_typ']} och "
                        f"{first['typ']}), så förändringen kan delvis bero på metoden.")
    else:
        text.append("Det finns ingen tidigare bedömning att jämföra med.")
    return " ".join(t for t in text if t)


def describe_register(data, a) -> str:
    """What the place data hold, in one paragraph.

    Examples
    --------
    >>> print(describe_register(*example()))
    Underlaget har 8 platser i 7 stadsdelar. 8 av dem är bedömda, vid 17 bedömningstillfällen mellan 21 mars 2023 och 29 november 2025; 5 platser har bedömts mer än en gång.
    """
    n = len(data.places)
    districts = sorted({s for s in data.places["stadsdel"] if s})
    text = f"Underlaget har {fmt.number(n)} {'plats' if n == 1 else 'platser'}"
    text += f" i {fmt.number(len(districts))} stadsdelar." if len(districts) > 1 else "."
    if len(a.rounds):
        rounds = a.rounds
        repeat = int((rounds.groupby("plats_id").size() > 1).sum())
        text += (f" {fmt.number(len(a.latest))} av dem är bedömda, vid {fmt.number(len(rounds))} bedömningstillfällen "
                 f"mellan {fmt.day(rounds['datum'].min())} och {fmt.day(rounds['datum'].max())}; "
                 f"{fmt.number(repeat)} {'plats har' if repeat == 1 else 'platser har'} bedömts mer än en gång.")
    else:
        text += " Ingen av dem är bedömd ännu (ingen fil med besiktningar eller trygghetsvandringar)."
    return text


def overview_table(data, a) -> pd.DataFrame:
    """One row per place: its number on the map, district, latest assessment, overall score and weak factors.

    Examples
    --------
    >>> t = overview_table(*example())
    >>> list(t.columns)
    ['Nr', 'Plats', 'Stadsdel', 'Senast bedömd', 'Typ', 'Samlad poäng', 'Svaga faktorer']
    """
    latest = a.latest.set_index("plats_id") if len(a.latest) else pd.DataFrame()
    rows = []
    for number, p in enumerate(data.places.itertuples(), start=1):
        if p.plats_id in latest.index:
            r = latest.loc[p.plats_id]
            weak = [factors.FACTOR_NAMES[k] for k in factors.weakest_factors(r, n=None)]
            rows.append([number, p.namn, p.stadsdel, r["datum"].date(), r["typ"], r["samlad"], ", ".join(weak) or "ingen"])
        else:
            rows.append([number, p.namn, p.stadsdel, None, "ej bedömd", None, ""])
    return pd.DataFrame(rows, columns=["Nr", "Plats", "Stadsdel", "Senast bedömd", "Typ", "Samlad poäng",
                                       "Svaga faktorer"])


def places_with_scores(data, a):
    """The places (polygons) with their latest overall score ``samlad`` (NaN when not assessed) and their
    number ``nr`` (as in :func:`overview_table`), for the map.

    Examples
    --------
    >>> g = places_with_scores(*example())
    >>> str(g.crs), "samlad" in g
    ('EPSG:3006', True)
    """
    scores = a.latest.set_index("plats_id")["samlad"] if len(a.latest) else pd.Series(dtype=float)
    out = data.places[["plats_id", "namn", "geometry"]].copy()
    out["samlad"] = out["plats_id"].map(scores).astype(float)
    out["nr"] = [str(i) for i in range(1, len(out) + 1)]
    return out


def _with_reference(text: str, reference, shown) -> str:
    """``text`` followed by what the map's reference layers show (:func:`lagesbild.render.mapref.reference_text`)."""
    if reference is None:
        return text
    from lagesbild.render.mapref import reference_text

    extra = reference_text(reference, shown)
    return f"{text} {extra}" if extra else text


def map_alt_text(data, a, reference=None) -> str:
    """The finding the places map shows, in words; with ``reference``, also its outline and utsatta områden.

    Parameters
    ----------
    data, a
        The place data and its analysis.
    reference : lagesbild.render.mapref.ReferenceLayers, optional
        The map's reference layers: the text then names the utsatta områden it shows (or, for a kommun
        without any, only the kommun outline) and the basemap's host.

    Examples
    --------
    >>> map_alt_text(*example()).startswith("Lägst samlad poäng har")
    True
    >>> from lagesbild.render.mapref import ReferenceLayers
    >>> map_alt_text(*example(), ReferenceLayers(outline=example()[0].places)).endswith("Kartan visar också kommungränsen.")
    True
    """
    g = places_with_scores(data, a).dropna(subset=["samlad"]).sort_values("samlad", kind="stable")
    if g.empty:
        return _with_reference("Ingen plats har en samlad poäng.", reference, data.places)
    low, high = g.iloc[0], g.iloc[-1]
    return _with_reference(
        f"Lägst samlad poäng har {low['namn']} ({fmt.number(low['samlad'], 1)} av {factors.SCALE_MAX}), högst "
        f"{high['namn']} ({fmt.number(high['samlad'], 1)}). Mörkare färg betyder lägre poäng; numren är platsernas "
        "nummer i tabellen ovan.", reference, data.places)


def map_source(data, reference, *kinds: str) -> str:
    """The source line of a map: :func:`source_text` plus the sources of its reference layers.

    A map that shows utsatta områden always credits "Polismyndigheten, utsatta områden 2025"
    (:func:`lagesbild.render.mapref.source_with_reference`).

    Examples
    --------
    >>> from lagesbild.render.mapref import ReferenceLayers
    >>> data = example()[0]
    >>> areas = data.places.iloc[:1].assign(name="Söder", **{"class": "utsatt"})
    >>> map_source(data, ReferenceLayers(outline=None, areas=areas), "platser").endswith(
    ...     "; Polismyndigheten, utsatta områden 2025")
    True
    >>> map_source(data, None, "platser") == source_text(data, "platser")
    True
    """
    from lagesbild.render.mapref import source_with_reference

    return source_with_reference(source_text(data, *kinds), reference)


def profile_alt_text(name: str, profile: pd.DataFrame) -> str:
    """The factor profile chart in words.

    Examples
    --------
    >>> p = pd.DataFrame({"faktor": ["Belysning", "Information"], "poang": [1.5, 4.0], "svag": [True, False]})
    >>> profile_alt_text("Torget", p)
    'Stapeldiagram över de åtta faktorerna för Torget. Lägst: Belysning (1,5). Högst: Information (4,0). Svaga faktorer: Belysning.'
    """
    scored = profile.dropna(subset=["poang"]).sort_values("poang", kind="stable")
    low, high = scored.iloc[0], scored.iloc[-1]
    weak = scored.loc[scored["svag"].astype(bool), "faktor"].tolist()
    return (f"Stapeldiagram över de åtta faktorerna för {name}. Lägst: {low['faktor']} ({fmt.number(low['poang'], 1)}). "
            f"Högst: {high['faktor']} ({fmt.number(high['poang'], 1)}). "
            f"{'Svaga faktorer: ' + ', '.join(weak) + '.' if weak else 'Ingen svag faktor.'}")


def profile_display(profile: pd.DataFrame) -> pd.DataFrame:
    """:func:`lagesbild.places.factors.profile_table` with Swedish headings and "Ja" for weak factors.

    Examples
    --------
    >>> data, a = example()
    >>> list(profile_display(factors.profile_table(a.rounds, "HBG-001")).columns)
    ['Faktor', 'Poäng', 'Betyg', 'Föregående', 'Förändring', 'Svag']
    """
    out = profile.reset_index(drop=True)[["faktor", "poang", "betyg", "foregaende", "forandring", "svag"]].copy()
    out["svag"] = out["svag"].map(lambda v: "Ja" if bool(v) else "")
    return out.rename(columns={"faktor": "Faktor", "poang": "Poäng", "betyg": "Betyg", "foregaende": "Föregående",
                               "forandring": "Förändring", "svag": "Svag"})


def measures_display(factor_keys: list[str]) -> pd.DataFrame:
    """The measures lookup for weak factors, with Swedish headings.

    Examples
    --------
    >>> t = measures_display(["belysning"])
    >>> list(t.columns), bool((t["Faktor"] == "Belysning").all())
    (['Faktor', 'Åtgärd', 'Slag', 'Vad det innebär', 'Vem'], True)
    """
    m = factors.measures_for(factor_keys)
    return m.rename(columns={"faktor": "Faktor", "atgard": "Åtgärd", "typ": "Slag", "beskrivning": "Vad det innebär",
                             "aktorer": "Vem"})[["Faktor", "Åtgärd", "Slag", "Vad det innebär", "Vem"]]


def describe_events(a) -> str:
    """How many events and reports the period has, with the small-count rule applied.

    Examples
    --------
    >>> describe_events(example()[1]).startswith("Under januari 2024–december 2025 finns 600 händelser")
    True
    """
    kinds = a.events["kalla_typ"].value_counts()
    incidents = int(kinds.get(place.INCIDENT_LOG, 0))
    reports = int(kinds.get(place.CITIZEN_REPORT, 0))
    positioned = int(a.events[["x", "y"]].notna().all(axis=1).sum())
    return (f"Under {period_text(a)} finns {privacy.small_total(incidents)} händelser i händelseloggen och "
            f"{privacy.small_total(reports)} medborgarrapporter. Händelser som bara anges med plats räknas till platsen "
            f"och ritas i platsens ruta; {privacy.small_total(positioned)} har en position eller plats och finns på kartan. "
            "Fritext ur loggarna visas aldrig.")


def source_table(a) -> pd.DataFrame:
    """Events per source (polis, kommun, …, medborgare); sources with 1–2 merged into "övriga källor".

    Examples
    --------
    >>> t = source_table(example()[1])
    >>> list(t.columns), bool(t["Antal"].map(lambda v: v in (1, 2)).any())
    (['Källa', 'Antal'], False)
    """
    counts = privacy.mask_with_other(a.events["kalla"].value_counts(), other="övriga källor")
    out = pd.DataFrame({"Källa": counts.index.astype(str), "Antal": privacy.mask_small(counts).to_numpy()})
    privacy.assert_publishable(out["Antal"], "händelser per källa")
    return out


def place_counts_display(a) -> pd.DataFrame:
    """Events and reports per place, masked so that no 1 or 2 can be worked out from the total.

    Examples
    --------
    >>> t = place_counts_display(example()[1])
    >>> list(t.columns), t.loc[t["Plats"] == "Högaborgs torg", "Händelselogg"].item()
    (['Plats', 'Stadsdel', 'Händelselogg', 'Medborgarrapporter', 'Totalt'], 'färre än 3')
    """
    c = a.per_place
    parts = c[["handelser", "medborgarrapporter"]].rename(columns={"handelser": "Händelselogg",
                                                                   "medborgarrapporter": "Medborgarrapporter"})
    masked = privacy.mask_parts(parts, c["totalt"].rename("Totalt"))
    out = pd.concat([pd.DataFrame({"Plats": c["namn"], "Stadsdel": c["stadsdel"]}), masked], axis=1)
    privacy.assert_publishable(out[["Händelselogg", "Medborgarrapporter", "Totalt"]], "händelser per plats")
    return out


def cells_for_map(a):
    """The publishable cells for the grid map: ``antal`` (≥ 3), a label ``ruta`` and ``het`` ("ja"/"nej").

    Examples
    --------
    >>> g = cells_for_map(example()[1])
    >>> bool((g["antal"] >= 3).all()), sorted(set(g["het"]))
    (True, ['ja', 'nej'])
    """
    g = a.cells[["cell_id", "antal", "het_fdr", "geometry"]].copy()
    if len(g) and int(g["antal"].min()) < privacy.MIN_PUBLISHED:
        raise ValueError("cells_for_map: a cell with fewer than 3 events reached the map")
    g["ruta"] = "Ruta " + g["cell_id"].astype(str)
    g["het"] = g["het_fdr"].map(lambda v: "ja" if bool(v) else "nej")
    return g.drop(columns=["het_fdr"])


def grid_alt_text(a, data, reference=None) -> str:
    """The grid map's finding in words; with ``reference``, also its outline and utsatta områden.

    Parameters
    ----------
    a, data
        The analysis and the place data.
    reference : lagesbild.render.mapref.ReferenceLayers, optional
        As for :func:`map_alt_text`.

    Examples
    --------
    >>> grid_alt_text(*reversed(example())).startswith("Karta med")
    True
    """
    cells = a.cells
    top = cells.sort_values("antal", ascending=False, kind="stable").iloc[0]
    near = place.hot_spot_places(cells, data.places)
    return _with_reference(
        f"Karta med {fmt.number(len(cells))} rutor om {fmt.number(a.cell_size)} meter som har minst "
        f"{privacy.MIN_PUBLISHED} händelser; flest i en ruta är {fmt.number(int(top['antal']))}. "
        f"{'Säkerställda hot spots ligger vid ' + _join(near) + '.' if near else 'Inga säkerställda hot spots vid platserna.'}",
        reference, cells)


def describe_hot_spots(a, data) -> str:
    """The hot-spot result (Gi*) and how it was found.

    Examples
    --------
    >>> "Getis-Ord Gi*" in describe_hot_spots(*reversed(example()))
    True
    """
    shown = a.cells
    hot = int(shown["het_fdr"].astype(bool).sum()) if len(shown) else 0
    near = place.hot_spot_places(shown, data.places)
    text = (f"Hot spots beräknas med Getis-Ord Gi*: varje ruta jämförs tillsammans med sina åtta grannrutor med hela "
            f"området. En ruta är en säkerställd hot spot när z-värdet är positivt och p-värdet efter korrektion för "
            f"många samtidiga test (Benjamini–Hochberg) är under {fmt.number(a.alpha, 2)}; p-värdena bygger på "
            f"{fmt.number(a.permutations)} permutationer och normalapproximation. ")
    if hot:
        text += (f"{fmt.number(hot)} av de {fmt.number(len(shown))} rutor som visas är säkerställda hot spots"
                 f"{', vid ' + _join(near) if near else ''}. ")
    else:
        text += "Ingen av rutorna som visas är en säkerställd hot spot. "
    text += (f"Rutor med färre än {privacy.MIN_PUBLISHED} händelser visas inte, inte heller som hot spots; "
             f"sammanlagt {a.suppressed} händelser ligger i sådana rutor.")
    return text


def describe_concentration(a) -> str:
    """Concentration in words: the share of cells with half of the events, top 10 % and 20 %, Gini.

    Examples
    --------
    >>> "Gini" in describe_concentration(example()[1])
    True
    """
    c = a.concentration
    return (f"Händelserna är koncentrerade: hälften av dem finns i {fmt.percent(100 * c['share_cells_50'], 1)} av rutorna. "
            f"De 10 procent av rutorna med flest händelser har {fmt.percent(100 * c['top10'])} av händelserna, de 20 procent "
            f"med flest har {fmt.percent(100 * c['top20'])}. Ginikoefficienten är {fmt.number(c['gini'], 2)} (0 är jämnt "
            f"fördelat, 1 är allt i en ruta). Måtten räknar alla {fmt.number(c['n_cells'])} rutor i området som "
            "omsluter händelserna, också tomma rutor, så de beror på hur stort området är: jämför bara med samma rutnät.")


def lorenz_alt_text(a) -> str:
    """The Lorenz curve in words.

    Examples
    --------
    >>> lorenz_alt_text(example()[1]).startswith("Lorenzkurva")
    True
    """
    c = a.concentration
    return (f"Lorenzkurva som ligger långt från diagonalen: de 10 procent rutor som har flest händelser har "
            f"{fmt.percent(100 * c['top10'])} av dem. Ginikoefficient {fmt.number(c['gini'], 2)}.")


def police_missing_text(name: str, area_names: list[str], coverage) -> str:
    """Why the polisen.se district table is missing.

    Examples
    --------
    >>> police_missing_text("Falun", [], (1, 2)).startswith("Inga stadsdelar")
    True
    """
    if coverage is None:
        return "Polisens händelsearkiv anger inte kommun för några händelser, så de kan inte räknas per stadsdel."
    return (f"Inga stadsdelar är angivna för {name}. Ange stadsdelarnas namn som districts för rapporten "
            "place_assessment i kommunens parameterfil (eller fyll i stadsdel i platsregistret), så räknar rapporten "
            "polisens händelser som nämner dem.")


def police_display(police: pd.DataFrame) -> pd.DataFrame:
    """:func:`lagesbild.sources.districts.district_counts` masked, with Swedish headings.

    Examples
    --------
    >>> c = pd.DataFrame({"stadsdel": ["Söder", "Dalhem"], "handelser": [14, 2], "vanligaste_typer": ["Bråk (3)", ""]})
    >>> police_display(c)["Händelser"].tolist()
    [14, 'färre än 3']
    """
    from lagesbild.sources import districts

    out = districts.publishable_counts(police)
    out["vanligaste_typer"] = out["vanligaste_typer"].replace("", "–")
    return out.rename(columns={"stadsdel": "Stadsdel", "handelser": "Händelser",
                               "vanligaste_typer": "Vanligaste typer (minst 3)"})


def priority_display(data, a) -> pd.DataFrame:
    """The priority list with place names, masked counts and the reasoning.

    Examples
    --------
    >>> t = priority_display(*example())
    >>> list(t.columns)
    ['Rang', 'Plats', 'Samlad poäng', 'Händelser och rapporter', 'Prioritet', 'Skäl']
    """
    names = data.places.set_index("plats_id")["namn"]
    p = a.priority
    out = pd.DataFrame({"Rang": p["rang"].astype(int), "Plats": p["plats_id"].map(names), "Samlad poäng": p["samlad"],
                        "Händelser och rapporter": privacy.mask_small(p["handelser"]),
                        "Prioritet": p["prioritet"], "Skäl": p["skal"]})
    privacy.assert_publishable(out[["Händelser och rapporter"]], "prioriteringslistan")
    return out.reset_index(drop=True)


def summary_points(a, data, police, name: str, area_names: list[str]) -> list[str]:
    """The report's summary: a few Swedish sentences.

    Examples
    --------
    >>> data, a = example()
    >>> points = summary_points(a, data, None, "Helsingborg", [])
    >>> points[0].startswith("Exempeldata:"), any("prioritet" in p for p in points)
    (True, True)
    """
    out = []
    if data is None:
        out.append(f"Det finns inga platsdata för {name}: rapporten kan inte bedöma några platser ännu.")
    else:
        if data.example:
            out.append("Exempeldata: allt om platserna nedan bygger på påhittade uppgifter och visar bara hur rapporten ser ut.")
        if len(a.latest):
            g = a.latest.dropna(subset=["samlad"]).sort_values("samlad", kind="stable")
            if len(g):
                names = data.places.set_index("plats_id")["namn"]
                n = len(a.latest)
                out.append(f"{fmt.number(n)} {'plats är bedömd' if n == 1 else 'platser är bedömda'}. Lägst samlad poäng har "
                           f"{names[g.iloc[0]['plats_id']]} ({fmt.number(g.iloc[0]['samlad'], 1)} av {factors.SCALE_MAX}).")
            weak = pd.Series([k for _, r in a.latest.iterrows() for k in factors.weakest_factors(r, n=None)])
            if len(weak):
                top = weak.value_counts()
                most = [k for k in top.index if top[k] == top.iloc[0]]
                out.append(f"Den vanligaste svaga faktorn är {_join([factors.FACTOR_NAMES[k].lower() for k in most])} "
                           f"({fmt.number(int(top.iloc[0]))} av {fmt.number(len(a.latest))} platser).")
        if a.cells is not None and len(a.cells):
            near = place.hot_spot_places(a.cells, data.places)
            hot = int(a.cells["het_fdr"].astype(bool).sum())
            out.append(f"Händelser och medborgarrapporter {period_text(a)}: {fmt.number(hot)} säkerställda hot spots"
                       f"{' vid ' + _join(near) if near else ''}; hälften av händelserna finns i "
                       f"{fmt.percent(100 * a.concentration['share_cells_50'], 1)} av rutorna.")
        if len(a.priority):
            first = a.priority.iloc[0]
            out.append(f"Högst prioritet får {data.places.set_index('plats_id')['namn'][first['plats_id']]}: {first['skal']}")
    if police is not None and len(police):
        shown = police[police["handelser"] >= privacy.MIN_PUBLISHED].sort_values("handelser", ascending=False, kind="stable")
        if len(shown):
            out.append(f"Polisens händelser som nämner en stadsdel: flest nämner {shown.iloc[0]['stadsdel']} "
                       f"({fmt.number(int(shown.iloc[0]['handelser']))}). Det är en undre gräns.")
        else:
            out.append(f"Polisens sammanfattningar nämner de angivna stadsdelarna färre än {privacy.MIN_PUBLISHED} gånger var.")
    elif not area_names:
        out.append("Inga stadsdelar är angivna, så polisens händelser räknas inte per stadsdel.")
    return out


def caveats(data, a) -> list[str]:
    """What the reader must know about the data, one sentence each.

    Examples
    --------
    >>> any("Fritext" in c for c in caveats(*example()))
    True
    """
    out = []
    if data is not None and data.example:
        out.append("Platserna, bedömningarna, händelserna och medborgarrapporterna är påhittade exempeldata.")
    out += [
        "Bedömningarna är sakkunnigas och deltagares omdömen, inte mätningar. Olika bedömare och metoder "
        "(besiktning eller trygghetsvandring) kan ge olika poäng för samma plats.",
        "Händelseloggar och medborgarrapporter visar vad som rapporterats, inte allt som hänt: fler rapportörer på en "
        "plats ger fler händelser där.",
        f"Positioner publiceras bara som rutor om {fmt.number(a.cell_size if a else 250)} meter med minst "
        f"{privacy.MIN_PUBLISHED} händelser, och inga antal under {privacy.MIN_PUBLISHED} visas. Fritext ur loggarna "
        "publiceras aldrig.",
        "Polisens händelser är pressmeddelanden, inte statistik; de flesta nämner ingen stadsdel.",
        "Kommunens anmälda brott och polisens händelser över tid finns i rapporten om brottsutvecklingen "
        "(crime_trends) för samma kommun; den här rapporten ser på platserna.",
    ]
    return out


def key_figures(title: str, cfg, data, a, police) -> dict:
    """The report's key figures for ``<report>.json`` (no counts below 3, no positions).

    Examples
    --------
    >>> data, a = example()
    >>> class C: kommun, name, lan = "1283", "Helsingborg", "Skåne län"
    >>> k = key_figures("Platsbedömning", C(), data, a, None)
    >>> k["example_data"], k["places"], k["places_assessed"], k["citizen_reports"] > 0, len(k["place_series"])
    (True, 8, 8, True, 8)
    """
    names = data.places.set_index("plats_id")["namn"] if data is not None else pd.Series(dtype=str)
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "place_data": data is not None,
        "example_data": bool(data.example) if data is not None else False,
        "places": int(len(data.places)) if data is not None else 0,
        "places_assessed": int(len(a.latest)) if a is not None else 0,
        "period": [a.period[0].strftime("%Y-%m"), a.period[1].strftime("%Y-%m")] if a is not None and a.period else None,
        "hot_spot_cells": int(a.cells["het_fdr"].astype(bool).sum()) if a is not None and a.cells is not None else None,
        "hot_spot_places": place.hot_spot_places(a.cells, data.places) if a is not None and a.cells is not None else [],
        "priority": [str(names[p]) for p in a.priority["plats_id"]] if a is not None and len(a.priority) else [],
        "gini": round(float(a.concentration["gini"]), 3) if a is not None and a.concentration else None,
        "districts_counted": [] if police is None else police["stadsdel"].tolist(),
        "citizen_reports": _publishable_count(data.citizen_reports if data is not None else None),
        "place_series": series.place_series(data, a),  # for the åtgärdsplan's goals at a place; no count below 3
    }


def _publishable_count(frame) -> int | None:
    """Rows in ``frame`` if at least :data:`lagesbild.core.privacy.MIN_PUBLISHED`, else None (never 1 or 2)."""
    from lagesbild.core.privacy import MIN_PUBLISHED

    n = 0 if frame is None else len(frame)
    return int(n) if n >= MIN_PUBLISHED else None


def provenance_files(files: list[dict], data) -> list[dict]:
    """The processed data files plus the place-data tables, for :func:`lagesbild.render.report.provenance`.

    Examples
    --------
    >>> out = provenance_files([{"name": "events.parquet"}], example()[0])
    >>> len(out), out[1]["name"]
    (5, 'places/platser.csv')
    """
    return list(files) + (list(data.files) if data is not None else [])


def score_text(value) -> str:
    """A score with one decimal, or "ej bedömd".

    Examples
    --------
    >>> score_text(2.75), score_text(float("nan")), score_text(None)
    ('2,8', 'ej bedömd', 'ej bedömd')
    """
    if value is None or value != value:
        return "ej bedömd"
    return fmt.number(float(value), 1)


#: ``formatters`` for :func:`lagesbild.render.report.table` on tables with an overall score.
SCORE_FORMAT = {"Samlad poäng": score_text}


def measures_brief(factor_keys: list[str]) -> pd.DataFrame:
    """Per weak factor, the names of the physical and social measures it points to (details in the catalogue).

    Examples
    --------
    >>> t = measures_brief(["belysning"])
    >>> list(t.columns), t.iloc[0, 0]
    (['Svag faktor', 'Fysiska åtgärder', 'Sociala åtgärder'], 'Belysning')
    """
    m = factors.measures_for(factor_keys)
    rows = []
    for key in dict.fromkeys(factor_keys):
        name = factors.FACTOR_NAMES[key]
        own = m[m["faktor"] == name]
        rows.append([name, "; ".join(own.loc[own["typ"] == factors.PHYSICAL, "atgard"]) or "–",
                     "; ".join(own.loc[own["typ"] == factors.SOCIAL, "atgard"]) or "–"])
    return pd.DataFrame(rows, columns=["Svag faktor", "Fysiska åtgärder", "Sociala åtgärder"])


def weak_everywhere(a) -> list[str]:
    """The factor keys that are weak at one place or more, in factor order.

    Examples
    --------
    >>> "belysning" in weak_everywhere(example()[1])
    True
    """
    weak = {k for _, r in a.latest.iterrows() for k in factors.weakest_factors(r, n=None)} if len(a.latest) else set()
    return [k for k in factors.FACTOR_KEYS if k in weak]


def measures_catalogue(factor_keys: list[str]) -> pd.DataFrame:
    """Each measure the given factors point to, once, with the factors it serves and what it involves.

    Examples
    --------
    >>> t = measures_catalogue(["belysning", "overblickbarhet"])
    >>> list(t.columns), t["Åtgärd"].is_unique
    (['Åtgärd', 'Slag', 'Svaga faktorer den avser', 'Vad det innebär', 'Vem'], True)
    """
    m = factors.measures_for(factor_keys)
    grouped = m.groupby(["atgard", "typ", "beskrivning", "aktorer"], sort=False)["faktor"].agg(", ".join).reset_index()
    grouped = grouped.sort_values("typ", key=lambda s: s.map({factors.PHYSICAL: 0, factors.SOCIAL: 1}), kind="stable")
    return grouped.rename(columns={"atgard": "Åtgärd", "typ": "Slag", "faktor": "Svaga faktorer den avser",
                                   "beskrivning": "Vad det innebär", "aktorer": "Vem"})[
        ["Åtgärd", "Slag", "Svaga faktorer den avser", "Vad det innebär", "Vem"]].reset_index(drop=True)


def no_data_text(name: str, folder) -> str:
    """Why a kommun's report has no places, naming the folder that was read.

    Examples
    --------
    >>> no_data_text("Falun", place.EXAMPLE_PLACES).startswith("Det finns inga platsdata för Falun. Rapporten läste de medföljande")
    True
    """
    from pathlib import Path

    if Path(folder).resolve() == place.EXAMPLE_PLACES.resolve():
        where = ("Rapporten läste de medföljande exempeldata (data/example/places), som bara har platser i Helsingborg, "
                 "eftersom ingen egen mapp med platsdata (place_data) är angiven för kommunen.")
    else:
        where = f"Mappen {Path(folder).name} har inga platser med kommunkoden för {name}."
    return (f"Det finns inga platsdata för {name}. {where} Rapporten kan därför inte bedöma några platser, visa "
            "händelser på kartan eller föreslå åtgärder.")


def change_text(value) -> str:
    """A change in score with sign and one decimal, or "–" when there is nothing to compare.

    Examples
    --------
    >>> change_text(1.0), change_text(-0.5), change_text(0.0), change_text(float("nan"))
    ('+1,0', '−0,5', '0,0', '–')
    """
    if value is None or value != value:
        return "–"
    text = fmt.number(float(value), 1)
    return f"+{text}" if value > 0 else text


#: ``formatters`` for :func:`profile_display` tables.
PROFILE_FORMAT = {"Poäng": score_text, "Föregående": lambda v: "–" if v is None or v != v else score_text(v),
                  "Förändring": change_text}
