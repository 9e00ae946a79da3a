"""Make the invented example of local surveys for Helsingborg (1283) and Falun (2080).

Run from the repository root::

    .venv/bin/python data/example/lokala_enkater/make_example.py

Everything here is made up. The survey names are those of real surveys (Helsingborg's Företagens
trygghetsundersökning, Region Skåne's Folkhälsoenkät Barn och unga, LUPP), so that the example looks like
what a kommun would fill in, but every number is invented and none is a real survey result. The values
are written out below (no random numbers), chosen so that the lägesbild shows every case of its
comparison: a clear change by the two-proportion test (companies exposed to crime 2021 → 2023; narcotics
among gymnasium students; young people in Falun who feel unsafe), changes that cannot be told apart from
chance, a mean on a 1–5 scale with the survey's own interval, shares with the survey's own interval, and
a year with neither interval nor respondents, whose change cannot be judged. Three tables, one per
survey, written with the writer that writes the template, so they have the template's columns.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.publish.export import atomic_write_text
from lagesbild.summary.local_surveys import write_csv

HERE = Path(__file__).resolve().parent

METADATA = """\
# Invented example data: read by lagesbild.summary.local_surveys.load_local_surveys (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade resultat av lokala enkäter i Helsingborg (Företagens trygghetsundersökning, Folkhälsoenkät Barn och
  unga) och Falun (LUPP), gjorda för att visa rapporten. Enkäterna finns, men siffrorna är inte deras resultat.
kalla: Skrivna för hand i data/example/lokala_enkater/make_example.py
datum: "2026-12-07"
"""

COMPANIES = "Företagens trygghetsundersökning"
HEALTH = "Folkhälsoenkät Barn och unga"
LUPP = "LUPP"


def row(kommun: str, survey: str, indicator: str, group: str, year: int, *, share: str = "", mean: str = "",
        scale: str = "", n: int | None = None, low: str = "", high: str = "", publisher: str, report: str,
        note: str = "") -> dict:
    return {"kommun": kommun, "enkat": survey, "indikator": indicator, "grupp": group, "ar": year, "andel": share,
            "medel": mean, "skala": scale, "antal_svarande": n, "nedre": low, "ovre": high, "utgivare": publisher,
            "kalla": f"{report} (påhittad)", "anmarkning": note}


def companies() -> list[dict]:
    def r(indicator: str, year: int, **kw) -> dict:
        return row("1283", COMPANIES, indicator, "Företag", year, publisher="Helsingborgs stad",
                   report=f"{COMPANIES} {year}", **kw)

    exposed = "Andel företag som utsatts för brott de senaste 12 månaderna"
    safe = "Andel företag som känner sig trygga i närområdet kvällstid"
    rating = "Trygghet i företagets närområde"
    scale_note = "1 = mycket otryggt, 5 = mycket tryggt"
    return [
        r(exposed, 2019, share="29,0", n=436),
        r(exposed, 2021, share="31,0", n=412),
        r(exposed, 2023, share="24,5", n=398),
        r(safe, 2021, share="58,0", n=405),
        r(safe, 2023, share="61,0", n=390),
        r(rating, 2021, mean="3,6", scale="1–5", n=412, low="3,5", high="3,7", note=scale_note),
        r(rating, 2023, mean="3,7", scale="1–5", n=398, low="3,6", high="3,8", note=scale_note),
    ]


def health() -> list[dict]:
    def r(group: str, year: int, **kw) -> dict:
        return row("1283", HEALTH, "Andel som någon gång använt narkotika", group, year, publisher="Region Skåne",
                   report=f"Folkhälsoenkät Barn och unga i Skåne {year}", **kw)

    return [
        r("Åk 9", 2016, share="6,0", note="Rapporten anger varken intervall eller antal svarande"),
        r("Åk 9", 2020, share="5,5", n=3120, low="4,7", high="6,3"),
        r("Åk 9", 2024, share="6,1", n=2980, low="5,2", high="7,0"),
        r("Gymnasiet år 2", 2016, share="14,0", n=2950),
        r("Gymnasiet år 2", 2020, share="16,5", n=2780),
        r("Gymnasiet år 2", 2024, share="19,0", n=2610),
    ]


def lupp() -> list[dict]:
    def r(indicator: str, group: str, year: int, **kw) -> dict:
        return row("2080", LUPP, indicator, group, year, publisher="Falu kommun",
                   report=f"LUPP, Lokal uppföljning av ungdomspolitiken, Falun {year}", **kw)

    unsafe = "Andel som känner sig otrygga i centrum på kvällen"
    threat = "Andel som utsatts för hot eller våld det senaste året"
    return [
        r(unsafe, "Åk 8", 2019, share="22,0", n=640),
        r(unsafe, "Åk 8", 2023, share="27,5", n=602),
        r(unsafe, "Gymnasiet år 2", 2019, share="18,0", n=455),
        r(unsafe, "Gymnasiet år 2", 2023, share="19,5", n=431),
        r(threat, "Gymnasiet år 2", 2019, share="9,0", n=450),
        r(threat, "Gymnasiet år 2", 2023, share="8,0", n=428),
    ]


def main() -> None:
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    write_csv(HERE / "foretagens_trygghetsundersokning.csv", companies())
    write_csv(HERE / "folkhalsoenkat_barn_och_unga.csv", health())
    write_csv(HERE / "lupp_falun.csv", lupp())


if __name__ == "__main__":
    main()
