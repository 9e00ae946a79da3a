"""Make the invented example projects and commitments (Helsingborg 1283, Halmstad 1380).

Run from the repository root::

    .venv/bin/python data/example/projects/make_example.py

Everything here is made up: one safety project in Helsingborg ("Trygg Drottninghög – belysning och
aktivering", treated area = the example place HBG-001, control = HBG-006, counted on the example
incident log in ``data/example/places/``), an example medborgarlöfte for Halmstad 2025 with four
commitments, one commitment for Helsingborg, and one survey index before and after the project.
No random numbers are drawn: the values are written out below, so the output is deterministic. The
files are written with the same writer that writes the templates, so they have the templates'
columns.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.projects.templates import write_csv
from lagesbild.publish.export import atomic_write_text

HERE = Path(__file__).resolve().parent

METADATA = """\
# Invented example data: read by lagesbild.projects.data.load_project_folder (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade exempeldata: ett trygghetsprojekt i Helsingborg (Drottninghög), åtaganden i medborgarlöften för
  Halmstad och Helsingborg och ett enkätindex före och efter projektet, gjorda för att visa rapporten. Det är
  inte verkliga projekt, löften, utfall eller mätningar.
kalla: Skrivna av data/example/projects/make_example.py (påhittade värden, inga slumptal)
datum: "2026-01-15"
"""

PROJECT_ID = "HBG-2024-01"

PROJECTS = [
    {"projekt_id": PROJECT_ID, "namn": "Trygg Drottninghög – belysning och aktivering", "kommun": "1283",
     "atgarder": "belysning; beskärning; aktivering", "atgardstyp": "fysisk och social", "budget_sek": "1 400 000",
     "start": "2024-07-01", "slut": "2024-12-31",
     "behandlat_omrade": "HBG-001", "kontrollomrade": "HBG-006",
     "fore_start": "2024-01-01", "fore_slut": "2024-06-30", "efter_start": "2025-01-01", "efter_slut": "2025-06-30",
     "kommentar": "Påhittat exempel. Kontrollområdet (Planteringens centrum) valt för att det liknar Drottninghögs "
                  "centrum men inte fick insatsen."},
]

_HALMSTAD = {"kommun": "1380", "ar": "2025", "deadline": "2025-12-31",
             "kalla": "Halmstads kommuns och polisens uppföljning av medborgarlöftet 2025 (påhittad)"}
COMMITMENTS = [
    {**_HALMSTAD, "atagande_id": "HAL-2025-1", "text": "Minst 900 timmar synlig uniformerad polis i stadskärnan",
     "agare": "polis", "indikator": "Timmar synlig uniformerad polis i stadskärnan", "typ": "minst", "mal": "900",
     "enhet": "timmar", "utfall": "950"},
    {**_HALMSTAD, "atagande_id": "HAL-2025-2", "text": "Klotter i stadskärnan saneras två gånger per år",
     "agare": "kommun", "indikator": "Genomförda klottersaneringar i stadskärnan", "typ": "minst", "mal": "2",
     "enhet": "gånger", "utfall": "1"},
    {**_HALMSTAD, "atagande_id": "HAL-2025-3", "text": "Antalet misshandelsbrott i stadskärnan ska minska",
     "agare": "båda", "indikator": "Anmälda misshandelsbrott i stadskärnan", "typ": "minska", "enhet": "brott",
     "fore": "48", "efter": "35"},
    {**_HALMSTAD, "atagande_id": "HAL-2025-4", "text": "Trygghetsvandring i varje prioriterat område",
     "agare": "båda", "indikator": "Genomförd trygghetsvandring i varje prioriterat område", "typ": "ja/nej"},
    {"atagande_id": "HBG-2024-L1", "kommun": "1283", "ar": "2024",
     "text": "Belysningen i Drottninghögs centrum förbättras under 2024", "agare": "kommun",
     "indikator": "Ny belysning på plats i Drottninghögs centrum", "typ": "ja/nej", "deadline": "2024-12-31",
     "utfall": "ja", "kalla": "Helsingborgs stads uppföljning av medborgarlöftet 2024 (påhittad)"},
]

_INDEX = "Problemindex (polisens trygghetsmätning)"
SURVEYS = [
    {"projekt_id": PROJECT_ID, "index": _INDEX, "period": "före", "varde": "2,1", "ki_lag": "1,8", "ki_hog": "2,4",
     "n": "412", "kalla": "Polisens trygghetsmätning våren 2024 (påhittade värden)"},
    {"projekt_id": PROJECT_ID, "index": _INDEX, "period": "efter", "varde": "1,7", "ki_lag": "1,4", "ki_hog": "2,0",
     "n": "398", "kalla": "Polisens trygghetsmätning våren 2025 (påhittade värden)"},
]


def main() -> None:
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    write_csv(HERE / "projekt.csv", "projekt", PROJECTS)
    write_csv(HERE / "ataganden.csv", "ataganden", COMMITMENTS)
    write_csv(HERE / "enkat.csv", "enkat", SURVEYS)


if __name__ == "__main__":
    main()
