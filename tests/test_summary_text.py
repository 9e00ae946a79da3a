"""Tests of lagesbild.summary.text: the report's Swedish sentences and tables (sources, sections 1, 2 and 4)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from summary_figures import (
    crime_figures,
    indicator,
    ntu_latest,
    place_figures,
    project_figures,
    wastewater_figures,
    write_reports,
)

from lagesbild.summary import sources
from lagesbild.summary import surveys as trygghet
from lagesbild.summary import text as st


class TestSourceTexts:
    def test_built_text_in_swedish_time(self):
        # Sweden is UTC+1 in winter and UTC+2 in summer (the switch is on the last Sunday of March)
        assert st.built_text("2026-01-10T08:00:00+00:00") == "10 januari 2026 kl. 09.00"
        assert st.built_text("2026-07-01T23:30:00+00:00") == "2 juli 2026 kl. 01.30"
        assert st.built_text(dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)) == "29 mars 2026 kl. 01.59"
        assert st.built_text(dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)) == "29 mars 2026 kl. 03.00"

    def test_missing_text(self):
        text = st.missing_text("place_assessment", "0114")
        assert text.startswith("Rapporten Platsbedömning finns inte")
        assert "python run_all.py --kommun 0114 --report place_assessment" in text
        assert "python run_all.py --kommun 0114 bygger alla" in text

    def test_sources_table(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "place_assessment"),
                      place_assessment=place_figures(example_data=True))
        t = st.sources_table(sources.load_sources(tmp_path, "2080"), version="0.2.0")
        assert t["Rapport"].tolist() == list(sources.SOURCE_REPORTS.values())
        assert t["Byggd"].tolist() == ["10 januari 2026 kl. 09.00"] * 2 + ["saknas"] * 2
        assert t["Exempeldata"].tolist() == ["nej", "ja", "–", "–"]
        assert t.loc[0, "Anmärkning"] == "Byggd med lagesbild 0.1.0, den här rapporten med 0.2.0."
        assert t.loc[3, "Anmärkning"] == "Bygg den med python run_all.py --kommun 2080 --report project_evaluation"
        assert st.sources_table(sources.load_sources(tmp_path, "2080"), version="0.1.0").loc[0, "Anmärkning"] == "–"

    def test_source_line(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends",))
        s = sources.load_sources(tmp_path, "2080")
        assert st.source_line(s, "crime_trends", "Brå") == ("Rapporten Brottsutvecklingen (crime_trends.html, byggd "
                                                            "10 januari 2026 kl. 09.00); Brå")
        assert st.source_line(s, "wastewater") == "Rapporten Narkotika i avloppsvatten (wastewater.html)"

    def test_example_text(self, tmp_path):
        write_reports(tmp_path, place_assessment=place_figures(example_data=True),
                      project_evaluation=project_figures(example_data=True))
        s = sources.load_sources(tmp_path, "2080")
        text = st.example_text(s)
        assert "påhittade exempeldata" in text and "Platsbedömning och Utvärdering av trygghetsarbetet." in text
        assert "Polisens trygghetsmätning" in st.example_text(s, trygghet_example=True)
        every = st.example_text(s, True, surveys_example=True, plans_example=True, texts_example=True)
        assert ("Platsbedömning, Utvärdering av trygghetsarbetet, Polisens trygghetsmätning, lokala enkäter och "
                "åtgärdsplanerna.") in every and every.count("EXEMPELTEXT") == 1
        empty = write_reports(tmp_path / "b")
        assert st.example_text(sources.load_sources(empty, "2080")) is None
        assert st.example_text(sources.load_sources(empty, "2080"), texts_example=True).startswith("Rutorna märkta")


class TestCrime:
    def test_ratio_change(self):
        assert st.ratio_change(0.74) == "−26\u00a0%" and st.ratio_change(1.0) == "0\u00a0%"
        assert st.ratio_change(1.006) == "+1\u00a0%" and st.ratio_change(0.994) == "−1\u00a0%"
        assert st.ratio_change(None) == "–"

    def test_table(self):
        inc = indicator("Rån", change_detectable=True, ratio=2.0, trend_detectable=True, trend_pct=-3.25)
        few = indicator("Mord", change_detectable=False, ratio=None)
        few["change"]["too_few"] = True
        t = st.crime_table(crime_figures(indicators=[indicator(), inc, few]))
        assert list(t.columns) == ["Kategori", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket",
                                   "Förändring från året före", "Trend"]
        assert t.loc[0, ["Kategori", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket"]].tolist() == [
            "Bilbrott", "2024", 150, 250.0, 226.0, 383.0]
        assert t.loc[0, "Förändring från året före"] == "−26\u00a0% (tydlig minskning)"  # 0,74 − 1
        assert t.loc[1, "Förändring från året före"] == "+100\u00a0% (tydlig ökning)"
        assert t.loc[1, "Trend"] == "−3,3\u00a0% per år (tydligt nedåt)"  # −3,25 rounded half away from zero
        assert t.loc[0, "Trend"] == "+5,8\u00a0% per år (ingen tydlig trend)"
        assert t.loc[2, "Förändring från året före"] == "för få fall för att bedöma"

    def test_points(self):
        total = indicator(sources.TOTAL_CRIME, count=4697, rate=7833.0, rate_lan=8750.0, rate_riket=14090.0, ratio=1.05,
                          change_detectable=False)
        up = indicator("Rån", trend_detectable=True, trend_pct=4.0)
        down = indicator("Bilbrott", trend_detectable=True, trend_pct=-4.0)
        pts = st.crime_points(crime_figures(indicators=[total, up, down], detectable_increases=["Rån", "Klotter"]),
                              "Falun", "Dalarnas län")
        text = [p.replace("\u00a0", " ") for p in pts]
        assert text[0] == ("År 2024 anmäldes 4 697 brott i Falun, 7 833 per 100 000 invånare (Dalarnas län: 8 750, "
                           "riket: 14 090). Avsnitt 3 prövar om skillnaderna är tydliga.")
        assert text[1] == "Jämfört med 2023 är det ingen tydlig förändring (+5 %)."
        assert "Tydlig ökning från året före: Rån och Klotter." in text
        assert "Tydlig minskning från året före: Bilbrott." in text
        assert "Tydligt uppåtgående trend över flera år: Rån." in text
        assert "Tydligt nedåtgående trend över flera år: Bilbrott." in text
        assert text[-1].startswith("Kommunen har inte angett några fokusområden")

    def test_points_without_bra(self):
        pts = st.crime_points(crime_figures(bra_available=False, indicators=[]), "Helsingborg", "Skåne län")
        assert len(pts) == 1 and pts[0].startswith("Brås statistik över anmälda brott finns inte för Helsingborg")

    def test_focus_text(self):
        assert st.focus_text({"focus_areas": {}}).startswith("Kommunen har inte angett")
        assert st.focus_text({"focus_areas": {"Rån": ["Rån mot privatperson, unga"]}}) == (
            "Kommunens fokusområden: Rån (1 kategori i Brås statistik).")


class TestPlacesAndNarcotics:
    def test_place_points(self):
        pts = st.place_points(place_figures(), "Ort")
        assert pts[0] == ("8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring; händelser "
                          "januari 2024–december 2025.")
        assert pts[1] == "Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): Torget och Parken."
        assert pts[2] == "Högst prioriterade platser: Torget, Parken och Stråket."  # the first three
        assert "0,50" in pts[3]

    def test_place_points_without_hot_spots_or_period(self):
        pts = st.place_points(place_figures(hot_spot_places=[], period=None, priority=[], gini=None), "Ort")
        assert pts == ["8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring.",
                       "Ingen plats ligger vid en statistiskt säkerställd hot spot."]
        assert "ingen platsdata" in st.place_points(place_figures(place_data=False), "Ort")[0]

    def test_wastewater_table(self):
        t = st.wastewater_table(wastewater_figures())
        assert t.values.tolist() == [["Amfetamin", "2025", 256.4, 91.2], ["Kokain", "2025", 100.3, 29.7]]

    def test_narcotics_points(self):
        crime = crime_figures(indicators=[indicator("Narkotikabrott", rate=569.0, rate_lan=864.0, rate_riket=1233.0)])
        pts = [p.replace("\u00a0", " ") for p in st.narcotics_points(wastewater_figures(example_data=True), crime,
                                                                      "Falun", "Dalarnas län")]
        assert pts[0].startswith("Anmälda narkotikabrott (kommunindikatorn) 2024: 569 per 100 000 invånare (Dalarnas "
                                 "län: 864, riket: 1 233).")
        assert pts[1].startswith("Antalet anmälda narkotikabrott speglar till stor del polisens kontroller")
        assert pts[2] == "Falun mäter narkotika i avloppsvattnet (i underlaget: påhittade exempeldata)."
        assert pts[3] == ("Amfetamin 2025: 256,4 mg per dag och 1 000 invånare, percentil 91 bland de europeiska "
                          "mätplatserna (91 % av dem har samma eller lägre belastning).")

    def test_narcotics_points_with_both_category_sets(self):
        # Dalarna has SOL's narcotics *and weapons* offences for all kommuner and the narrower kommunindikator
        sol = indicator("Narkotikabrott + vapenlagsbrott", year=2025, rate=771.0, rate_lan=873.0, rate_riket=1167.0,
                        set="sol", basis_lan="summa", basis_riket="summa", preliminary=True)
        ki = indicator("Narkotikabrott", rate=569.0, rate_lan=864.0, rate_riket=1233.0)
        pts = [p.replace("\u00a0", " ") for p in st.narcotics_points(None, crime_figures(indicators=[sol, ki]), "Falun",
                                                                       "Dalarnas län")]
        assert pts[0] == ("Anmälda narkotika- och vapenlagsbrott 2025 (prel.): 771 per 100 000 invånare (Dalarnas läns "
                          "kommuner: 873, alla kommuner: 1 167).")
        assert pts[1].startswith("Anmälda narkotikabrott (kommunindikatorn) 2024: 569")
        assert len(pts) == 3

    def test_narcotics_points_without_measurements_or_reports(self):
        pts = st.narcotics_points(wastewater_figures(own_measurements=False, latest=[]), None, "Falun", "Dalarnas län")
        assert pts == ["Falun har inga mätningar av narkotika i avloppsvatten i underlaget. Rapporten Narkotika i "
                       "avloppsvatten visar de närmaste mätplatserna och läget i landet."]
        assert st.narcotics_points(None, None, "Falun", "Dalarnas län") == []


class TestSurveys:
    def test_ntu_table(self):
        t = st.ntu_table(ntu_latest())
        assert t.iloc[:, :6].values.tolist() == [
            ["Misshandel", "Utsatthet för brott", "2024", "2,4\u00a0% (1,5–3,6)", "2,1\u00a0% (1,5–2,8)", "–"],
            ["Otrygg ute sent", "Otrygghet", "2025", "30,0\u00a0% (26,0–34,0)", "21,2\u00a0% (19,3–23,2)",
             "25,0\u00a0% (24,6–25,4)"]]
        assert t.loc[0, "Svarande i kommunen"] == 465 and pd.isna(t.loc[1, "Svarande i kommunen"])

    def test_ntu_note_says_victimisation_is_the_year_before(self):
        text = st.ntu_note(ntu_latest())
        assert text.startswith("Frågorna om utsatthet för brott gäller året före undersökningen: NTU 2025 frågar om "
                               "2024.")
        assert "95 % konfidensintervall" in text
        no_victim = st.ntu_note(ntu_latest().iloc[[1]])
        assert no_victim.startswith("Frågorna om utsatthet för brott gäller året före undersökningen. Kolumnen")

    def test_trygghet_levels(self):
        r = pd.DataFrame({"omrade": ["A", "A", "B", "B", "A"], "year": [2024, 2024, 2024, 2024, 2023],
                          "question": ["Klotter", "Nedskräpning", "Fart", "Totalindex", "Klotter"],
                          "is_total": [False, False, False, True, False], "index": [2.1, 3.1, 3.5, 2.0, 4.0],
                          "level": ["vissa problem", "stora problem", "vissa problem", "", "stora problem"]})
        t = st.trygghet_levels(r)
        assert t.values.tolist() == [["A", "Nedskräpning", 3.1, "stora problem"], ["B", "Fart", 3.5, "vissa problem"],
                                     ["A", "Klotter", 2.1, "vissa problem"]]
        assert st.trygghet_levels(r, 2023).values.tolist() == [["A", "Klotter", 4.0, "stora problem"]]
        assert st.trygghet_levels(r.iloc[0:0]).empty

    def test_trygghet_levels_on_the_example(self):
        data = trygghet.load_trygghet_folder(trygghet.EXAMPLE_TRYGGHET, "2080")
        stated = data.results[(data.results["year"] == data.results["year"].max()) & (data.results["level"] != "")]
        assert len(st.trygghet_levels(data.results)) == len(stated)

    def test_template_text(self):
        text = st.trygghet_template_text()
        assert trygghet.INDEX_RULE in text and "trygghet_data" in text

    def test_citizen_reports(self):
        assert "inga medborgarrapporter för Falun" in st.citizen_reports_text(place_figures(place_data=False), "Falun")
        text = st.citizen_reports_text(place_figures(example_data=True), "Ort")
        assert "analyseras i platsbedömningen" in text and text.endswith("påhittade exempeldata.")
        counted = st.citizen_reports_text(place_figures(citizen_reports=1200), "Ort").replace("\u00a0", " ")
        assert "(medborgarrapporter, 1 200 i underlaget)" in counted

    def test_police_events(self):
        text = st.police_events_text(crime_figures(), "Falun")
        assert text.startswith("Polisen publicerade 129 händelser placerade i Falun på polisen.se under tolv månader "
                               "till och med december 2025.")
        assert "inte brottsstatistik" in text
        none = st.police_events_text(crime_figures(events_last_12_months=None, events_period_end=None), "Falun")
        assert "anger inte kommun" in none


class TestFollowUp:
    def test_commitments_table(self):
        t = st.commitments_table(project_figures())
        assert t.values.tolist() == [["uppfyllt", 2], ["ej uppfyllt", 1]]
        assert st.commitments_table(project_figures(commitments={})).empty

    def test_projects_table(self):
        p = project_figures(projects=[
            {"id": "1", "name": "A", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5], "detectable": True},
            {"id": "2", "name": "B", "wdd_estimate": 8.0, "wdd_ci": [1.0, 15.0], "detectable": True},
            {"id": "3", "name": "C", "wdd_estimate": 1.0, "wdd_ci": [-19.08, 21.08], "detectable": False},
            {"id": "4", "name": "D", "wdd_estimate": None, "wdd_ci": None, "detectable": None}])
        t = st.projects_table(p)
        assert t["Tydlig effekt"].tolist() == ["ja, färre händelser än väntat", "ja, fler händelser än väntat",
                                               "nej, skillnaden kan bero på slumpen",
                                               "kan inte bedömas (för få händelser eller inget kontrollområde)"]
        assert t.iloc[2, 1:3].tolist() == ["+1,0", "−19,1 till +21,1"]

    def test_points(self):
        pts = st.followup_points(project_figures(example_data=True), "Ort")
        assert pts == ["1 projekt är utvärderat före och efter; 1 har en effektskattning och 1 av dem en tydlig effekt "
                       "(Trygg park).", "Åtaganden: 2 uppfyllt, 1 ej uppfyllt (av 3).",
                       "Projekten och åtagandena i underlaget är påhittade exempeldata."]
        none = st.followup_points(project_figures(projects=[], commitments={}), "Falun")
        assert none[0].startswith("Falun har inga projekt") and "inga åtaganden" in none[1]


class TestUtsattaOmraden:
    AREAS = pd.DataFrame({"name": ["Rosengård", "Holma / Kroksbäck", "Seved", "<script>"],
                          "class": ["sarskilt", "utsatt", "utsatt", "utsatt"], "ort": "Malmö", "polisregion": "Syd",
                          "area_ha": [96.9, 77.4, 32.5, 1.0]})

    def test_both_classes_in_one_sentence(self):
        text = st.utsatta_omraden_text(self.AREAS.head(3), "Malmö")
        assert text.startswith("Polisen räknar 1 område i Malmö som särskilt utsatt (Rosengård) och 2 områden som "
                               "utsatta (Holma / Kroksbäck och Seved) i sin lista från 2025.")

    def test_none(self):
        assert st.utsatta_omraden_text(self.AREAS.head(0), "Orsa").startswith("Orsa har inget område")

    def test_table_särskilt_first_then_by_name(self):
        t = st.utsatta_omraden_table(self.AREAS)
        assert t["Område"].tolist() == ["Rosengård", "<script>", "Holma / Kroksbäck", "Seved"]  # escaped when shown
        assert t["Klass"].tolist()[:2] == ["särskilt utsatt område", "utsatt område"]
        assert t["Yta (hektar)"].tolist()[0] == "97"
