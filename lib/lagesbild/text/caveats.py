"""The register of assumptions and caveats: one entry per known limit of the data or the method.

A report never hard-codes a caveat: it cites the register with :func:`text` (``caveats.text("bra_bilbrott_riket")``),
so that each limit is worded once, listed in one place (:func:`register_table`, also in the README) and
traceable to where the fact is documented (``documented``: a section of ``data/raw/README.md``, a
module, a paper). ``tests/test_caveats.py`` checks that every entry is cited by some module and that
every citation names an entry.

Examples
--------
>>> text("bra_bilbrott_riket")[:42]
'Brås siffra för riket i kategorin bilbrott'
>>> sorted(REGISTER)[:2]
['bra_bilbrott_riket', 'bra_reported_crime']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caveat:
    """One assumption or limit, as the reports word it.

    Attributes
    ----------
    key : str
        The name reports cite it by.
    text : str
        The Swedish sentence(s) a report prints.
    reports : tuple of str
        The reports that cite it (names as in :mod:`lagesbild.core.reports`).
    documented : str
        Where the fact behind it is documented or measured.
    """

    key: str
    text: str
    reports: tuple[str, ...]
    documented: str


_ENTRIES = (
    Caveat("bra_bilbrott_riket",
           "Brås siffra för riket i kategorin bilbrott hoppar från cirka 12 000 (2017) till cirka 57 000 (2018), "
           "troligen en ändrad definition i källan och inte en verklig ökning.",
           ("crime_trends",), "data/raw/README.md, Brå's kommunindikatorer: Caveats; shared FINDINGS"),
    Caveat("bra_reported_crime",
           "Anmälda brott speglar både brottsligheten, viljan att anmäla och polisens arbete. NTU och polisens "
           "trygghetsmätning är urvalsundersökningar med osäkerhet, som intervallen visar.",
           ("lagesbild",), "Brå, Kriminalstatistik: Anmälda brott (bra.se); NTU's technical report"),
    Caveat("summary_recounts_nothing",
           "Lägesbilden sammanfattar kommunens rapporter och räknar inte om deras siffror; varje rapport har sina egna "
           "förbehåll, och rapporterna kan vara byggda vid olika tidpunkter (tabellen nedan).",
           ("lagesbild",), "lagesbild.summary: the summary reads the other reports' key figures"),
    Caveat("summary_standout_rule",
           "Urvalet av det som sticker ut följer en fast regel (avsnitt 3) och är ett stöd för analysen, inte ett "
           "beslut. Det som inte mäts i underlaget kan inte sticka ut.",
           ("lagesbild",), "lagesbild.summary: the standout rule"),
    Caveat("summary_draft_focus",
           "Åtgärdsplanen i avsnitt 3 är ett utkast ur underlaget. Åtgärderna är förslag att pröva, inte "
           "rekommendationer med belagd effekt i kommunen, och orsakerna ska tas fram i en orsaksanalys; kommunen och "
           "polisen väljer i åtgärdsplanen.",
           ("lagesbild",), "lagesbild.summary: the draft åtgärdsplan drawn from the standout findings"),
    Caveat("police_events",
           "Polisens händelser är pressmeddelanden på polisen.se, inte brottsstatistik: många typer är inte brott "
           "(trafikolyckor, bränder, sammanfattningar), urvalet är polisens, och positionen är kommunens eller länets "
           "mittpunkt, inte platsen för händelsen. Händelser som bara anges på länsnivå ingår inte, och inte heller "
           "polisens sammanfattningar av natten.",
           ("crime_trends",), "data/raw/README.md, police_events: Caveats (38 % are located only at län level)"),
    Caveat("ww_one_week",
           "En mätvecka per år säger inte säkert något om hela året: variationen mellan veckor ingår i osäkerheten.",
           ("wastewater",), "EUDA, Wastewater analysis and drugs — a European multi-city study (methods)"),
    Caveat("ww_catchment",
           "Belastningen gäller alla som är anslutna till reningsverket, också besökare och pendlare; ett reningsverk "
           "kan betjäna delar av flera kommuner.",
           ("wastewater",), "data/raw/README.md, EUDA wastewater: Caveats"),
    Caveat("ww_loq",
           "Värden under kvantifieringsgränsen räknas som halva gränsen; när mer än hälften av dygnen ligger under "
           "gränsen tolkas inte förändringen. EUDA:s tabell anger 0 för sådana värden.",
           ("wastewater",), "lagesbild.wastewater.labresults: the LOQ rule"),
    Caveat("ww_euda_2021_days",
           "EUDA:s medelvärden för 2021 delar veckan annorlunda (tisdag–fredag och lördag–måndag); rapporten räknar "
           "om vardags- och helgmedel från dygnsvärdena så att åren går att jämföra.",
           ("wastewater",), "lagesbild.sources.euda: WEEKDAY_DAYS_2021"),
    Caveat("ww_labs",
           "Resultat från olika laboratorier och reningsverk är inte helt jämförbara.",
           ("wastewater",), "EUDA, Wastewater analysis and drugs (inter-laboratory exercises)"),
    Caveat("eval_control_area",
           "En jämförelse med ett kontrollområde tar hänsyn till den allmänna utvecklingen, men inte till annat som "
           "ändrades just i det behandlade området under samma tid.",
           ("project_evaluation",), "Bowers & Johnson (2003); Wheeler & Ratcliffe (2018)"),
    Caveat("eval_reporting",
           "Händelseloggar visar vad som rapporterats: mer närvaro och fler rapportörer efter ett projekt kan ge fler "
           "registrerade händelser utan att fler har hänt.",
           ("project_evaluation",), "lagesbild.projects: counts come from the kommun's incident logs"),
    Caveat("eval_poisson",
           "Effektskattningen antar att antalen varierar som slumpmässiga händelser (Poisson); verklig variation är "
           "ofta större, så intervallen är snarare för smala än för breda.",
           ("project_evaluation",), "lagesbild.stats.effects: WDD's variance (Wheeler & Ratcliffe 2018)"),
    Caveat("small_counts",
           "Antal under 3 per område och period visas inte.",
           ("project_evaluation",), "lagesbild.core.privacy: never a count of 1 or 2"),
)

#: Every caveat by key.
REGISTER: dict[str, Caveat] = {c.key: c for c in _ENTRIES}


def text(key: str) -> str:
    """The Swedish wording of the caveat ``key``.

    Raises
    ------
    KeyError
        For a key the register lacks, naming the known keys.

    Examples
    --------
    >>> text("ww_labs")
    'Resultat från olika laboratorier och reningsverk är inte helt jämförbara.'
    >>> text("nope")
    Traceback (most recent call last):
    ...
    KeyError: "no caveat 'nope' in the register (lagesbild.text.caveats); known: bra_bilbrott_riket, ..."
    """
    try:
        return REGISTER[key].text
    except KeyError:
        raise KeyError(f"no caveat {key!r} in the register (lagesbild.text.caveats); known: "
                       + ", ".join(sorted(REGISTER))) from None


def register_table(report: str | None = None) -> list[dict[str, str]]:
    """The register as rows (key, reports, text, documented), optionally only one report's caveats.

    Examples
    --------
    >>> [r["key"] for r in register_table("wastewater")]
    ['ww_one_week', 'ww_catchment', 'ww_loq', 'ww_euda_2021_days', 'ww_labs']
    """
    return [{"key": c.key, "reports": ", ".join(c.reports), "text": c.text, "documented": c.documented}
            for c in _ENTRIES if report is None or report in c.reports]
