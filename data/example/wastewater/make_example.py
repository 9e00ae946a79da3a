"""Make the invented example wastewater lab results for Trelleborg (kommun 1287).

Run from the repository root::

    .venv/bin/python data/example/wastewater/make_example.py

Everything here is made up: three annual one-week campaigns (March 2023, 2024 and 2025, seven
consecutive days each) at "Trelleborgs reningsverk" with a seeded random generator, so that the
wastewater report has own measurements to show. Nothing is a real measurement. Loads are drawn
around levels in the range EUDA reports for Swedish sites (mg per day per 1 000 inhabitants) with a
weekend peak for cocaine and MDMA; concentrations are back-calculated from the day's flow and the
population served (concentration = load × population / flow), and methamphetamine is mostly below
the limit of quantification. The output is deterministic (fixed seed); the table is written with the
same writer that writes the template, so it has the template's columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from lagesbild.publish.export import atomic_write_text
from lagesbild.wastewater.templates import write_csv

SEED = 1287_2025
HERE = Path(__file__).resolve().parent

METADATA = """\
# Invented example data: read by lagesbild.wastewater.labresults.load_lab_folder (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade analysresultat av avloppsvatten från Trelleborgs reningsverk (tre mätveckor i mars 2023–2025),
  gjorda för att visa rapporten. Det är inte verkliga mätningar.
kalla: Genererade av data/example/wastewater/make_example.py (slumptal med fast frö)
datum: "2026-01-15"
"""

PLANT = "Trelleborgs reningsverk"
KOMMUN = "1287"
LAB = "Exempellaboratoriet (påhittat)"
BASE_FLOW = 12_000.0  # m³/day

#: First day of each campaign (all Wednesdays, ISO week 11) and the population served that year.
CAMPAIGNS = {dt.date(2023, 3, 15): 43_600, dt.date(2024, 3, 13): 43_900, dt.date(2025, 3, 12): 44_200}

# substance as the lab writes it, LOQ (ng/L), level per campaign year (mg/day/1 000 inh on an ordinary weekday),
# day-of-week factor (Monday … Sunday), day-to-day spread (sd of the log)
SUBSTANCES = {
    "cocaine": ("bensoylekgonin", 10.0, {2023: 62.0, 2024: 70.0, 2025: 78.0},
                (1.25, 1.0, 0.95, 1.0, 1.15, 1.9, 2.0), 0.10),
    "amphetamine": ("amfetamin", 10.0, {2023: 260.0, 2024: 240.0, 2025: 250.0}, (1.0,) * 7, 0.10),
    "methamphetamine": ("metamfetamin", 5.0, {2023: 0.9, 2024: 0.9, 2025: 1.0}, (1.0,) * 7, 0.30),
    "MDMA": ("MDMA", 2.0, {2023: 5.0, 2024: 5.5, 2025: 6.0}, (1.6, 1.0, 0.9, 1.0, 1.2, 2.6, 2.8), 0.15),
    "cannabis": ("THC-COOH", 20.0, {2023: 36.0, 2024: 38.0, 2025: 35.0}, (1.0,) * 7, 0.08),
}

#: A rainy day: the flow is a third higher (the concentrations are lower, the loads are not).
RAIN_DAY = dt.date(2024, 3, 16)


def sv(value: float, decimals: int = 1) -> str:
    """A number with a decimal comma, as a Swedish lab report writes it."""
    return f"{value:.{decimals}f}".replace(".", ",")


def rows(rng: np.random.Generator) -> list[dict]:
    out = []
    for start, population in CAMPAIGNS.items():
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            flow = BASE_FLOW * float(np.exp(rng.normal(0.0, 0.07))) * (1.33 if day == RAIN_DAY else 1.0)
            flow = round(flow / 10) * 10
            for i, (written, loq, level, weekday_factor, spread) in enumerate(SUBSTANCES.values()):
                load = level[start.year] * weekday_factor[day.weekday()] * float(np.exp(rng.normal(0.0, spread)))
                conc = load * population / flow  # ng/L, from load = conc × flow / population
                row = {"provdatum": day.isoformat(), "reningsverk": PLANT, "kommun": KOMMUN, "substans": written,
                       "enhet": "ng/L", "loq": sv(loq, 0), "flode_m3_per_dygn": str(flow),
                       "personer": str(population), "laboratorium": LAB}
                if round(conc, 1) < loq:
                    # 2025: the lab writes the LOQ after '<'; earlier years "<LOQ" with the LOQ in its column
                    row["koncentration"] = f"< {sv(loq, 0)}" if start.year == 2025 else "<LOQ"
                else:
                    row["koncentration"] = sv(conc)
                if day == RAIN_DAY and i == 0:
                    row["kommentar"] = "Regn under provdygnet, högt flöde."
                out.append(row)
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    write_csv(HERE / "analyser.csv", rows(rng))


if __name__ == "__main__":
    main()
