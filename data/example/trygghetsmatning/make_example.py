"""Make the invented example of Polisens trygghetsmätning for Falun (kommun 2080).

Run from the repository root::

    .venv/bin/python data/example/trygghetsmatning/make_example.py

Everything here is made up: five invented areas of Falun ("Centrum" and four compass-point areas, none
of them a real district's result) measured in 2022, 2023 and 2024, eight questions each, with a seeded
random generator, so that the summary report has a trygghetsmätning to show. Nothing is a real survey
result. Each area has a base level on the 0–6 problem index and each question an offset; Centrum's
problems grow by about a quarter of an index point a year (a change the summary should call clear),
the other areas only vary by chance. An index's 95 % interval is index ± 1,96 × 1,3 / √n with n the
area's respondents. The example's ``Totalindex`` is the mean of the area's question indices and its
interval uses a spread of 0,9 — the police's total index is whatever their report states, this is
only how the example is made. ``problemniva`` is left empty because the police's cut-offs for small,
some and large problems could not be confirmed (see ``data/templates/trygghetsmatning/README.md``).
The output is deterministic (fixed seed); the table is written with the writer that writes the
template, so it has the template's columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lagesbild.publish.export import atomic_write_text
from lagesbild.summary.surveys import TOTAL, write_csv

SEED = 2080_2024
HERE = Path(__file__).resolve().parent
KOMMUN = "2080"
YEARS = (2022, 2023, 2024)

METADATA = """\
# Invented example data: read by lagesbild.summary.surveys.load_trygghet_folder (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade resultat av polisens trygghetsmätning för fem påhittade områden i Falun (2022–2024),
  gjorda för att visa rapporten. Det är inte verkliga svar eller verkliga områdens resultat.
kalla: Genererade av data/example/trygghetsmatning/make_example.py (slumptal med fast frö)
datum: "2026-01-15"
"""

#: Area → (base problem index, change per year, respondents in 2022).
AREAS = {
    "Centrum": (1.9, 0.25, 380),
    "Norra Falun": (1.3, 0.0, 240),
    "Södra Falun": (1.6, 0.0, 310),
    "Östra Falun": (1.1, 0.0, 180),
    "Västra Falun": (1.4, -0.05, 260),
}

#: Question → offset from the area's base level (Centrum: extra offset in the second value).
QUESTIONS = {
    "Nedskräpning": (0.5, 0.2),
    "Skadegörelse": (0.1, 0.2),
    "Klotter": (0.0, 0.3),
    "Bilar som kör för fort": (0.8, -0.3),
    "Buskörning med moped eller MC": (0.3, -0.2),
    "Ungdomsgäng som stör": (-0.2, 0.3),
    "Personer som är påverkade av alkohol eller narkotika": (-0.1, 0.8),
    "Öppen narkotikahandel": (-0.6, 0.4),
}

SD_QUESTION = 1.3  # spread of single answers on the index scale, for the example's intervals
SD_TOTAL = 0.9


def sv(value: float) -> str:
    """Two decimals with a decimal comma, as the police's report writes an index."""
    return f"{value:.2f}".replace(".", ",")


def clip(value: float) -> float:
    return float(min(6.0, max(0.0, value)))


def rows(rng: np.random.Generator) -> list[dict]:
    out = []
    for year in YEARS:
        source = f"Polisens trygghetsmätning {year} (påhittad)"
        for area, (base, slope, n0) in AREAS.items():
            level = base + slope * (year - YEARS[0])
            n = int(round(n0 * float(np.exp(rng.normal(0.0, 0.08)))))
            indices = {}
            for question, (offset, centrum_extra) in QUESTIONS.items():
                extra = centrum_extra if area == "Centrum" else 0.0
                indices[question] = round(clip(level + offset + extra + float(rng.normal(0.0, 0.12))), 2)
            total = round(float(np.mean(list(indices.values()))), 2)
            half = 1.96 * SD_TOTAL / np.sqrt(n)
            out.append({"kommun": KOMMUN, "omrade": area, "ar": year, "fraga": TOTAL, "index": sv(total),
                        "ki_lag": sv(clip(total - half)), "ki_hog": sv(clip(total + half)), "antal_svarande": n,
                        "kalla": source})
            for question, index in indices.items():
                answered = n - int(rng.integers(0, 12))  # a few skip each question
                half = 1.96 * SD_QUESTION / np.sqrt(answered)
                out.append({"kommun": KOMMUN, "omrade": area, "ar": year, "fraga": question, "index": sv(index),
                            "ki_lag": sv(clip(index - half)), "ki_hog": sv(clip(index + half)),
                            "antal_svarande": answered, "kalla": source})
    return out


def main() -> None:
    rng = np.random.default_rng(SEED)
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    write_csv(HERE / "trygghetsmatning.csv", rows(rng))


if __name__ == "__main__":
    main()
