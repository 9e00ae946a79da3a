"""Make the invented example åtgärdsplaner of Falun (2080) and Helsingborg (1283) for 2025 and 2026.

Run from the repository root::

    .venv/bin/python data/example/atgardsplan/make_example.py

Everything here is made up: two plans in Brå's columns that a kommun might have decided after its
lägesbild, so that the lägesbild shows the yearly cycle — the 2026 plan as the current plan (section 3)
and the 2025 plan followed up row by row (section 4). The 2025 plan's measurable goals name real series
of the suite (Brå categories, an NTU question, an area of the invented trygghetsmätning example), so that
its statuses are computed from the data at every rebuild; the targets, causes, measures and people are
invented. Nothing here is a real decision of Falun. Helsingborg's rows set goals on places of the
invented example place data (``data/example/places/``): a place's combined factor score and the events at
a place (one of them with counts below 3, which the report never shows), so that those two measures are
seen to work; they are no decision of Helsingborg either. The files are written with the writer of the
template (:data:`lagesbild.summary.focus_plan.TEMPLATE`), so they have the template's columns.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.core.files import atomic_write_text
from lagesbild.summary.focus_plan import TEMPLATE

HERE = Path(__file__).resolve().parent
K = "2080"
H = "1283"

METADATA = """\
# Invented example data: read by lagesbild.summary.followup.load_plans (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade åtgärdsplaner för Falun och Helsingborg 2025 och 2026 i Brås kolumner, gjorda för att visa
  lägesbildens uppföljning år för år. Det är inte kommunernas beslut.
kalla: Skrivna för hand i data/example/atgardsplan/make_example.py
datum: "2026-12-01"
"""

# kommun, problem, orsak, atgard, operativt_mal, nar, ansvarig, uppfoljning, status,
# matt, matt_avser, malvarde, malar, riktning, utgangsar
PLAN_2025 = (
    (K, "Bostadsinbrott i villaområdena", "Gärningsperson: tillresande, organiserade stöldligor. Offer/objekt: "
     "villor utan grannsamverkan, tomma dagtid. Plats och tillfälle: skymda tomter nära genomfartsleder, få "
     "grannar hemma dagtid.", "Grannsamverkan i tre villaområden; information om skalskydd och lås",
     "Högst 450 anmälda inbrottsstölder i bostad per 100 000 invånare 2027", "2025–2026",
     "Polisen och kommunens trygghetssamordnare", "Brå: inbrottsstöld i bostad per 100 000 invånare, varje år", "",
     "brott", "Inbrottsstöld i bostad", "450", "2027", "högst", ""),
    (K, "Brottsligheten i kommunen som helhet", "Gärningsperson: några få unga vuxna står för en stor del av "
     "brotten. Offer/objekt: butiker och fordon i centrum. Plats och tillfälle: centrum kvälls- och nattetid.",
     "Samverkan kommun–polis med gemensam lägesbild varje månad", "Totalt högst 7 000 anmälda brott per 100 000 "
     "invånare 2027", "Varje månad", "Kommunstyrelsen och lokalpolisområdet", "Brå: totalt antal anmälda brott per "
     "100 000 invånare, varje år", "", "brott", "Totalt antal anmälda brott", "7000", "2027", "högst", ""),
    (K, "Narkotika och vapen bland unga", "Gärningsperson: unga som rekryteras av äldre kriminella. Offer/objekt: "
     "unga som köper eller förvarar. Plats och tillfälle: skolgårdar och parker kvällstid, sociala medier.",
     "Sociala insatsgrupper; föräldramöten om narkotika", "Högst 600 anmälda narkotika- och vapenlagsbrott per "
     "100 000 invånare 2027", "Läsåret 2025/26", "Socialtjänsten och skolan", "Brå: narkotikabrott och "
     "vapenlagsbrott per 100 000 invånare, varje år", "", "brott", "Narkotikabrott + vapenlagsbrott", "600", "2027",
     "högst", ""),
    (K, "Otrygghet i Centrum kvällstid", "Gärningsperson: grupper som samlas vid resecentrum. Offer/objekt: "
     "resenärer och boende. Plats och tillfälle: dålig belysning och skymda gångstråk efter kl. 19.",
     "Trygghetsvandring; ny belysning och beskärning längs gångstråken", "Totalindex för Centrum högst 2,5 i "
     "polisens trygghetsmätning 2027", "Hösten 2025", "Kommunens gatuenhet",
     "Polisens trygghetsmätning, totalindex för Centrum, varje år", "", "trygghetsmatning", "Centrum", "2,5", "2027",
     "högst", ""),
    (K, "Otrygghet i bostadsområdena", "", "Fler vuxna ute kvällstid: föreningar och fältare",
     "Högst 15 procent otrygga ute sent i bostadsområdet enligt NTU 2027", "2025–2027", "Kultur- och "
     "fritidsförvaltningen", "NTU: otrygg ute sent på kvällen i bostadsområdet, varje år", "", "ntu",
     "Otrygg ute sent på kvällen i bostadsområdet", "15", "2027", "högst", ""),
    (K, "Våld i nära relationer", "Gärningsperson: främst män i parrelationer. Offer/objekt: kvinnor och barn i "
     "hemmet. Plats och tillfälle: i bostaden, ofta i samband med alkohol.", "Utbildning för personal i "
     "socialtjänsten, skolan och vården; samverkan med kvinnojouren", "Alla berörda medarbetare utbildade 2026",
     "2025–2026", "Socialtjänsten", "Antal utbildade medarbetare, varje halvår", "gul", "", "", "", "", "", ""),
    (H, "Otrygg gångtunnel vid Eneborg", "Gärningsperson: unga som samlas i tunneln kvällstid. Offer/objekt: "
     "gående och cyklister. Plats och tillfälle: mörk tunnel utan insyn, klotter och trasig belysning.",
     "Ny belysning och speglar i tunneln; snabb klottersanering", "Samlad poäng minst 2,5 i platsbedömningen 2027",
     "2025", "Stadsbyggnadsförvaltningen", "Besiktning av platsens åtta faktorer, varje år (Platsbedömning)", "",
     "faktorpoang", "Gångtunneln vid Eneborg", "2,5", "2027", "minst", ""),
    (H, "Ordningsstörningar i Dalhemsparken", "Gärningsperson: grupper av unga vuxna kvällstid. Offer/objekt: "
     "boende runt parken. Plats och tillfälle: parken saknar aktiviteter och vuxna kvällstid.",
     "Fältare och föreningsaktiviteter i parken fredagar", "Högst 20 händelser per år i händelseloggen 2027",
     "2025–2026", "Socialförvaltningen och föreningslivet", "Händelser vid platsen i händelseloggen, varje år "
     "(Platsbedömning)", "", "handelser", "Dalhemsparken", "20", "2027", "högst", ""),
    (H, "Få men allvarliga händelser vid Fredriksdals torg", "", "Trygghetsvärdar vid torget helgkvällar",
     "Högst 5 händelser per år i händelseloggen 2027", "2025", "Trygghetssamordnaren",
     "Händelser vid platsen i händelseloggen, varje år (Platsbedömning)", "", "handelser", "Fredriksdals torg", "5",
     "2027", "högst", ""),
    (H, "Otrygghet i Drottninghögs centrum", "Gärningsperson: grupper som samlas vid butikerna. Offer/objekt: "
     "boende och näringsidkare. Plats och tillfälle: centrumets baksidor utan insyn kvällstid.",
     "Platssamverkan med fastighetsägare och polis", "Högst 45 händelser per år i händelseloggen 2027", "2025–2027",
     "Polisen och fastighetsägarna", "Händelser vid platsen i händelseloggen, varje år (Platsbedömning)", "",
     "handelser", "Drottninghögs centrum", "45", "2027", "högst", ""),
)

PLAN_2026 = (
    (K, "Narkotika och vapen bland unga", "Gärningsperson: unga som rekryteras av äldre kriminella. Offer/objekt: "
     "unga som köper eller förvarar. Plats och tillfälle: skolgårdar och parker kvällstid, sociala medier.",
     "Sociala insatsgrupper i alla skolområden; fältare kvällstid", "Högst 650 anmälda narkotika- och "
     "vapenlagsbrott per 100 000 invånare 2028", "2026–2027", "Socialtjänsten, skolan och polisen",
     "Brå: narkotikabrott och vapenlagsbrott per 100 000 invånare, varje år", "", "brott",
     "Narkotikabrott + vapenlagsbrott", "650", "2028", "högst", "2025"),
    (K, "Otrygghet i Centrum kvällstid", "Gärningsperson: grupper som samlas vid resecentrum. Offer/objekt: "
     "resenärer och boende. Plats och tillfälle: få vuxna ute och skymda gångstråk efter kl. 19.",
     "Trygghetsvärdar vid resecentrum fredag och lördag; fortsatt belysningsprogram", "Totalindex för Centrum "
     "högst 2,5 i polisens trygghetsmätning 2028", "Från mars 2026", "Kommunens trygghetssamordnare",
     "Polisens trygghetsmätning, totalindex för Centrum, varje år", "", "trygghetsmatning", "Centrum", "2,5", "2028",
     "högst", ""),
    (K, "Bostadsinbrott i villaområdena", "Gärningsperson: tillresande stöldligor. Offer/objekt: villor tomma "
     "dagtid. Plats och tillfälle: skymda tomter nära genomfartsleder.", "Grannsamverkan i ytterligare två "
     "villaområden", "Högst 400 anmälda inbrottsstölder i bostad per 100 000 invånare 2028", "2026",
     "Polisen", "Brå: inbrottsstöld i bostad per 100 000 invånare, varje år", "", "brott", "Inbrottsstöld i bostad",
     "400", "2028", "högst", ""),
    (K, "Klotter och skadegörelse vid skolor", "", "Snabb sanering inom 24 timmar; skolfadderskap",
     "All anmäld skadegörelse på skolor sanerad inom 24 timmar 2026", "2026", "Fastighetsförvaltningen",
     "Fastighetsförvaltningens saneringslogg, varje kvartal", "", "", "", "", "", "", ""),
    (H, "Otrygg gångtunnel vid Eneborg", "Gärningsperson: unga som samlas i tunneln kvällstid. Offer/objekt: "
     "gående och cyklister. Plats och tillfälle: tunneln saknar fortfarande insyn.",
     "Öppna upp tunnelns mynningar; konstprojekt med skolan", "Samlad poäng minst 3,0 i platsbedömningen 2028",
     "2026–2027", "Stadsbyggnadsförvaltningen", "Besiktning av platsens åtta faktorer, varje år (Platsbedömning)",
     "", "faktorpoang", "Gångtunneln vid Eneborg", "3", "2028", "minst", "2025"),
    (H, "Otrygghet i Drottninghögs centrum", "Gärningsperson: grupper som samlas vid butikerna. Offer/objekt: "
     "boende och näringsidkare. Plats och tillfälle: centrumets baksidor utan insyn kvällstid.",
     "Platssamverkan med fastighetsägare och polis; ny belysning på baksidorna", "Högst 50 händelser per år i "
     "händelseloggen 2028", "2026–2028", "Polisen och fastighetsägarna", "Händelser vid platsen i händelseloggen, "
     "varje år (Platsbedömning)", "", "handelser", "Drottninghögs centrum", "50", "2028", "högst", "2025"),
    (H, "Nedskräpning i parkerna", "", "Fler papperskorgar och städdagar med föreningar", "Synligt renare parker "
     "enligt trygghetsvandringarna 2026", "2026", "Stadsbyggnadsförvaltningen", "Trygghetsvandringar, varje halvår",
     "", "", "", "", "", "", ""),
)


def main() -> list[Path]:
    """Write ``atgardsplan_2025.csv``, ``atgardsplan_2026.csv`` and ``metadata.yaml`` here."""
    out = []
    for year, rows in ((2025, PLAN_2025), (2026, PLAN_2026)):
        path = HERE / f"atgardsplan_{year}.csv"
        atomic_write_text(path, TEMPLATE.csv_text(rows))
        out.append(path)
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    return out + [HERE / "metadata.yaml"]


if __name__ == "__main__":
    for p in main():
        print(p)
