"""Every kommun gets a real crime picture, and a user's own data always shows up — end to end through run_all.py.

Two runs:

* the bundled data only, for the four kommuner the suite is built around (Helsingborg, Halmstad, Trelleborg,
  Trollhättan), a storstad (Malmö) and a landsbygdskommun (Bengtsfors, SKR group C8): the crime report and the
  lägesbild must show Brå's figures, the funnel plot and the kommungrupp (read from the build the suite shares,
  conftest's ``reports_build``);
* a data folder with the bundle and a ``local/`` folder holding the kinds of file a user brings: a Kolada export
  (rates only, a category the bundle lacks, a year after it ends), Brå's newer figure that differs from the
  bundled one, a PxWeb export with counts for a year without a population, a category of the kommun's own given
  as counts, and SCB population for later years. Every case must build and show its numbers.

Expected numbers are worked out in the tests from the bundled raw files, never taken from a report.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import SHARED_KOMMUNER

from lagesbild.core.paths import DATA, PROJ_ROOT

pytestmark = pytest.mark.slow

SOL_CSV = DATA / "raw" / "crime" / "bra_anmalda_brott_kommun_2015_2025_long.csv"
SOL = ["Totalt antal anmälda brott", "Brott mot person (3–7 kap. BrB)", "Stöld och rån m.m. (8 kap. BrB)",
       "Inbrottsstöld i bostad", "Skadegörelsebrott (12 kap. BrB)", "Narkotikabrott + vapenlagsbrott"]
SEEDS = {"1283": "Helsingborg", "1380": "Halmstad", "1287": "Trelleborg", "1488": "Trollhättan",
         "1280": "Malmö", "1460": "Bengtsfors"}


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", "--workers", "2", *args],
                          capture_output=True, text=True, timeout=900, cwd=PROJ_ROOT)


def figures(out, kommun: str, report: str = "crime_trends") -> dict:
    return json.loads((out / kommun / f"{report}.json").read_text(encoding="utf-8"))["key_figures"]


def html(out, kommun: str, report: str = "crime_trends") -> str:
    return (out / kommun / f"{report}.html").read_text(encoding="utf-8").replace("\u00a0", " ")


def by_name(figs: dict, name: str) -> dict:
    return next(r for r in figs["indicators"] if r["indicator"] == name)


@functools.cache
def _sol() -> pd.DataFrame:
    return pd.read_csv(SOL_CSV, dtype={"kommunkod": str})


@pytest.fixture
def sol() -> pd.DataFrame:
    """The bundled SOL file as it is on disk (counts, and Brå's rate of the total); read once, do not change it.

    Function-scoped on purpose: a module-scoped fixture would tie the tests of both runs to one xdist worker.
    """
    return _sol()


def brå_population(sol: pd.DataFrame, kommun: str, year: int) -> float:
    """The population Brå divides by: its count of all reported crime over its rate, × 100 000."""
    row = sol[(sol["kommunkod"] == kommun) & (sol["ar"] == year) & (sol["kategori"] == "total")].iloc[0]
    return row["antal"] / row["per_100k"] * 100_000


# ============================================================================================
# The bundled data: every kommun gets Brå's figures
# ============================================================================================


@pytest.fixture(scope="module")
def seeds(reports_build):
    """The shared build: every report, the crime report and the lägesbild among them, for every seed kommun."""
    assert set(SEEDS) <= set(SHARED_KOMMUNER)
    assert reports_build.proc.returncode == 0, reports_build.proc.stderr[-3000:]
    return reports_build.out


@pytest.mark.parametrize("kommun", list(SEEDS))
def test_crime_report_has_bras_figures_for_every_kommun(seeds, sol, kommun):
    figs = figures(seeds, kommun)
    assert figs["bra_available"] and figs["bra_latest_year"] == 2025 and figs["preliminary_years"] == [2025]
    assert [r["indicator"] for r in figs["indicators"] if r["set"] == "sol"] != []
    assert {r["indicator"] for r in figs["indicators"] if r["set"] == "sol"} == set(SOL)
    total = by_name(figs, SOL[0])
    raw = sol[(sol["kommunkod"] == kommun) & (sol["ar"] == 2025) & (sol["kategori"] == "total")].iloc[0]
    assert total["count"] == raw["antal"] and total["rate"] == raw["per_100k"]
    # riket is the sum over all 290 kommuner, never Brå's national total
    all_2025 = sol[(sol["ar"] == 2025) & (sol["kategori"] == "total")]
    assert total["count_riket"] == all_2025["antal"].sum() and total["basis_riket"] == "summa"
    assert total["basis_lan"] == "summa" and total["dispersion"]["n"] == 290
    assert total["change"] is not None and total["trend"]["first_year"] == 2015
    assert figs["kommungrupp"] and len(figs["kommungrupp_comparison"]) == (0 if kommun == "1280" else 6)  # A1 has 3
    page = html(seeds, kommun)
    assert "Brås statistik över anmälda brott finns inte" not in page
    assert "Trattdiagram" in page and "Kommunen i sin kommungrupp" in page
    assert f"{SEEDS[kommun]} (" in page and "alla kommuner" in page


def test_the_storstad_and_the_landsbygdskommun_are_in_their_skr_groups(seeds):
    assert figures(seeds, "1280")["kommungrupp"] == "Storstäder"
    assert figures(seeds, "1460")["kommungrupp"] == "Landsbygdskommun"
    assert "kommungruppen Landsbygdskommun" in html(seeds, "1460")


@pytest.mark.parametrize("kommun", list(SEEDS))
def test_lagesbild_uses_bras_figures_for_every_kommun(seeds, kommun):
    page = html(seeds, kommun, "lagesbild")
    assert "Brås statistik över anmälda brott saknas" not in page
    assert "Det finns inga nyckeltal att jämföra" not in page
    assert "Nyckeltal för" in page and "Anmälda brott per 100 000 invånare (Brå, statistikdatabasen)" in page
    figs = figures(seeds, kommun, "lagesbild")
    crime_rows = [r for r in figs["key_indicators"] if r["source"] == "Anmälda brott"]
    assert len(crime_rows) == 6 and all(r["riket"]["status"] != "saknas" for r in crime_rows)


def test_lagesbild_lists_the_kommuns_utsatta_omraden(seeds):
    assert "Dalhem / Drottninghög / Fredriksdal" in html(seeds, "1283", "lagesbild")
    assert "Kronogården / Lextorp Norra" in html(seeds, "1488", "lagesbild")
    malmo = html(seeds, "1280", "lagesbild")
    assert "Rosengård" in malmo and "särskilt utsatt" in malmo
    assert "Bengtsfors har inget område på Polisens lista" in html(seeds, "1460", "lagesbild")


# ============================================================================================
# A user's own data in data/local/: every documented case builds and shows its numbers
# ============================================================================================

KOLADA = (  # Kolada's export: rates only, the unit in the title, riket as 0000, genders (only T is read)
    "Kommun-id;Kommun;Nyckeltal;Kön;2024;2025;2026\n"
    "0000;Riket;Anmälda våldsbrott, antal/100 000 inv;T;1 010;1 030;1 050\n"
    "1283;Helsingborg;Anmälda våldsbrott, antal/100 000 inv;T;1 180;1 260;1 300\n"
    "1283;Helsingborg;Anmälda våldsbrott, antal/100 000 inv;K;900;900;900\n")
REVISION = (  # Brå's newer figure for 2024, differing from the bundled one
    "region_code;region_name;year;indicator;unit;value\n"
    "1283;Helsingborg;2024;Totalt antal anmälda brott;Antal;23 600\n")
PXWEB = (  # PxWeb: a title line, code + name labels, a contents column, years as columns; Latin-1
    '"Anmälda brott efter region, brottstyp, tabellinnehåll och år"\n\n'
    '"region";"brottstyp";"tabellinnehåll";"2025";"2026"\n'
    '"1380 Halmstad";"Totalt antal anmälda brott";"Antal anmälda brott";"13 751";"14 020"\n')
OWN_CATEGORY = (  # the kommun's own category, counts only
    "Kommun;År;Brottstyp;Antal\n"
    "Halmstad;2021;Cykelstöld;840\nHalmstad;2022;Cykelstöld;790\nHalmstad;2023;Cykelstöld;905\n"
    "Halmstad;2024;Cykelstöld;760\nHalmstad;2025;Cykelstöld;1 010\n")
TRELLEBORG_2026 = "kommunkod,kommun,år,brottstyp,antal\n1287,Trelleborg,2026,Totalt antal anmälda brott,6 150\n"
SCB_POPULATION = "kommun_kod;kommun;year;population\n1287;Trelleborg;2025;46 810\n1287;Trelleborg;2026;47 130\n"


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    data = tmp_path_factory.mktemp("own") / "data"
    shutil.copytree(DATA / "raw", data / "raw")
    files = {"crime/kolada_export.csv": KOLADA.encode("utf-8-sig"),
             "crime/2025-12 brå revision.csv": REVISION.encode("utf-8"),
             "crime/2026-03 brå pxweb.csv": PXWEB.encode("latin-1"),
             "crime/egen cykelstöld.csv": OWN_CATEGORY.encode("utf-8"),
             "crime/trelleborg_2026.csv": TRELLEBORG_2026.encode("utf-8"),
             "population/scb_2025_2026.csv": SCB_POPULATION.encode("utf-8")}
    for rel, content in files.items():
        path = data / "local" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    out = data.parent / "out"
    proc = run_all("--kommun", "1283", "--kommun", "1380", "--kommun", "1287", "--report", "crime_trends",
                   "lagesbild", "--data", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_kolada_rates_of_a_new_category_and_a_later_year_are_shown_and_compared(own, sol):
    figs = figures(own, "1283")
    v = by_name(figs, "Våldsbrott")  # Kolada's title without its unit
    assert (v["set"], v["year"], v["rate"], v["rate_riket"], v["count"]) == ("övrigt", 2026, 1300, 1050, None)
    assert v["change"] is None and v["change_reason"] == "no_counts"
    # 2025 has the population Brå divides by: the count is derived from the rate (1 260 of Kolada, not the K row)
    assert v["previous_count"] == round(1260 * brå_population(sol, "1283", 2025) / 100_000)
    page = html(own, "1283")
    assert "Våldsbrott: förändringen 2025–2026 kan inte prövas, eftersom källan bara har tal per 100 000 invånare" in page
    assert "Fler kategorier ur egna och hämtade filer" in page


def test_a_newer_export_that_differs_replaces_the_bundled_value_and_says_so(own):
    page = html(own, "1283")
    assert "Värden som en nyare fil har ersatt" in page
    assert "local/crime/2025-12 brå revision.csv" in page and "23 587" in page and "23 600" in page


def test_counts_for_a_year_without_population_are_shown_and_the_missing_population_named(own):
    figs = figures(own, "1380")
    total = by_name(figs, "Totalt antal anmälda brott")
    assert (total["year"], total["count"], total["rate"]) == (2026, 14020, None)
    assert total["change"] is None and total["change_reason"] == "no_population"
    assert figs["missing_population"] == {"2026": ["Totalt antal anmälda brott"]}
    page = html(own, "1380")
    assert "Folkmängden för Halmstad 2026 saknas i underlaget" in page and "data/local/population/" in page
    assert "År 2026 registrerades 14 020 anmälda brott i Halmstad" in page
    # the funnel plot still places Halmstad, in 2025: the last year all kommuner have
    assert total["dispersion"]["year"] == 2025
    summary = html(own, "1380", "lagesbild")
    assert "Folkmängden 2026 för Halmstad" in summary


def test_an_own_category_given_as_counts_gets_rates_and_tests(own, sol):
    figs = figures(own, "1380")
    c = by_name(figs, "Cykelstöld")
    assert c["set"] == "övrigt" and (c["previous_year"], c["year"]) == (2024, 2025)
    assert c["rate"] == pytest.approx(1010 / brå_population(sol, "1380", 2025) * 100_000, rel=1e-6)
    assert c["change"] is not None and c["trend"]["first_year"] == 2021
    assert "Cykelstöld" in html(own, "1380")


def test_scb_population_in_local_gives_the_later_year_a_rate(own):
    figs = figures(own, "1287")
    total = by_name(figs, "Totalt antal anmälda brott")
    mean = (46_810 + 47_130) / 2  # Brå divides by the mean of the year's and the previous year's 31 December
    assert total["year"] == 2026 and total["rate"] == pytest.approx(6150 / mean * 100_000, rel=1e-6)
    assert total["population_basis"] == "scb_medel" and total["change"] is not None
    assert "SCB:s medelfolkmängd (2026)" in html(own, "1287")


def test_a_kommungrupp_of_three_says_why_there_is_no_comparison(seeds):
    assert "som bara har 3 kommuner" in html(seeds, "1280")
