"""The template folder of the kommun's own texts: guiding example texts, ``metadata.yaml`` and ``README.md``.

Swedish content only, written to ``data/templates/lagesbild_texter/`` by
:func:`lagesbild.summary.texts.write_templates` (edit here, then run that function; a test checks that
the committed folder equals what it writes). The example texts are invented and marked so by
``exempeldata: true`` in ``metadata.yaml``: a report that reads the folder as it is labels every box
EXEMPELTEXT.

Examples
--------
>>> sorted(TEMPLATE_TEXTS) == sorted(["sammanfattning", "kartlaggning", "annan_information", "analys",
...                                   "atgardsplan", "uppfoljning"])
True
"""

from __future__ import annotations

_GUIDE = "*Vägledning (ta bort raden): {guide}*\n\n"

#: Section → the template's Markdown: one guiding line, then an invented example of what the kommun may write.
TEMPLATE_TEXTS: dict[str, str] = {
    "sammanfattning": _GUIDE.format(
        guide="kommunens samlade bedömning i några meningar: vad lägesbilden visar, vad kommunen och dess "
              "samverkansparter drar för slutsatser och vad som ska prioriteras under året.") + """\
Kommunens samlade bedömning är att **våldet i offentlig miljö i centrum** och **ungas
narkotikaanvändning** är de två problem som ska prioriteras det kommande året. Bilden bygger på
siffrorna i den här lägesbilden och på dialoger med polisen, skolorna, fritidsgårdarna och
fastighetsägarna under hösten.

- Det anmälda våldet i centrum har ökat två år i rad och är koncentrerat till helgnätter.
- Skolorna och fältassistenterna beskriver att narkotika blivit lättare att få tag på.
- Otryggheten i två bostadsområden är fortsatt hög, men minskar.
""",
    "kartlaggning": _GUIDE.format(
        guide="det som siffrorna inte visar: vad samverkansparterna ser, vad som är nytt och hur säkra "
              "bedömningarna är.") + """\
# Vad samverkansparterna ser

Polisen och ordningsvakterna bekräftar bilden av **helgnätterna i centrum**: bråken uppstår vid
stängningsdags och på vägen till taxi- och busshållplatserna.

| Källa | Iakttagelse | Period |
|---|---|---|
| Polisen | Fler ingripanden vid stängningsdags | 2024–2025 |
| Fältassistenterna | Fler unga i centrum sent på fredagar | Hösten 2025 |
| Fastighetsägarna | Mer skadegörelse i trapphus | 2025 |

Underlaget för mindre orter i kommunen är tunt: där bygger bilden främst på dialoger, inte på
statistik.
""",
    "annan_information": _GUIDE.format(
        guide="annan kunskap än statistiken: enkäter, medborgardialoger, trygghetsvandringar och annat som "
              "kommunen har tagit del av.") + """\
Under året genomfördes **tre trygghetsvandringar** och en medborgardialog. Det som oftast nämndes:

1. dålig belysning på gång- och cykelvägen mellan stationen och skolan,
2. nedskräpning och klotter vid centrumparkeringen,
3. oro för ungdomsgäng vid köpcentret på kvällstid.

Elevhälsans enkät i årskurs 9 visar att fler elever än tidigare uppger att de har blivit erbjudna
narkotika. Enkätens resultat finns på kommunens webbplats:
[Elevenkäten](https://www.example.se/elevenkat).
""",
    "analys": _GUIDE.format(
        guide="orsakerna bakom problemen: vilka gärningspersoner och offer det gäller, vilka platser och "
              "tillfällen, och vad som driver utvecklingen (Brås orsaksanalys och brottstriangeln).") + """\
# Våld i offentlig miljö i centrum

Våldet hänger samman med **många berusade människor på liten yta vid samma tid**: när
restaurangerna stänger samlas besökarna vid ett fåtal hållplatser. Gärningspersonerna är oftast
unga män som inte känner offren.

# Ungas narkotikaanvändning

Tillgången har ökat genom försäljning via sociala medier. Skyddsfaktorer som en meningsfull fritid
och vuxna i skolan och på fritidsgårdarna är viktiga för de yngsta.

*Osäkerhet:* underlaget om narkotika bygger delvis på enkäter med få svarande.
""",
    "atgardsplan": _GUIDE.format(
        guide="hur åtgärdsplanen har tagits fram, vem som har beslutat den och hur den hänger ihop med "
              "problemen ovan.") + """\
Åtgärdsplanen har tagits fram tillsammans med polisen i arbetet med **medborgarlöftet** och
behandlas av kommunstyrelsen. Varje åtgärd har en ansvarig och följs upp varje halvår i det lokala
brottsförebyggande rådet.

- Åtgärderna mot våldet i centrum samordnas med restaurangernas arbete med ansvarsfull
  alkoholservering.
- Åtgärderna mot narkotika bygger på skolornas och socialtjänstens gemensamma plan.
""",
    "uppfoljning": _GUIDE.format(
        guide="hur förra årets åtgärder gick: vad som blev gjort, vad som inte blev gjort och varför, och vad "
              "kommunen tar med sig till nästa plan.") + """\
Av förra årets sju åtgärder är **fem genomförda**, en påbörjad och en inte genomförd:

- Belysningen på gång- och cykelvägen vid stationen är utbytt.
- Nattvandringarna har inte kommit i gång i alla områden, eftersom det saknas vuxna som vill delta.
  Åtgärden finns kvar i den nya planen med föreningslivet som ansvarig.

Effekten av åtgärderna går ännu inte att bedöma: det behövs minst ett år till av statistik.
""",
}

#: The template's ``metadata.yaml``: the example texts are marked as invented.
TEMPLATE_METADATA = """\
# Mappens uppgifter (alla frivilliga). exempeldata: true betyder att texterna är påhittade exempeltexter:
# lägesbilden märker då varje ruta EXEMPELTEXT. Ändra till false (eller ta bort filen) i kommunens kopia.
exempeldata: true
beskrivning: Mall med påhittade exempeltexter till lägesbildens avsnitt
kalla: lagesbild, data/templates/lagesbild_texter
"""

#: The folder's README (Swedish, for the people who write the texts).
README = """\
<!-- Generated by lagesbild.summary.texts.write_templates(); do not edit by hand: edit README in \
lib/lagesbild/summary/texts_template.py and run the function again. -->

# Kommunens egna texter i lägesbilden

Siffrorna i lägesbilden tas fram av rapporterna. Slutsatserna, dialogerna och orsakerna kommer från
människor: de skriver kommunen själv, i en mapp med en textfil per avsnitt. Lägesbilden visar varje
text under sitt avsnitt, i en ruta märkt **Kommunens egen text (filens namn)**.

## Så gör ni

1. Kopiera den här mappen till en plats för kommunens underlag, till exempel `indata/2080/texter/`.
2. Skriv texterna i filerna (ta bort vägledningsraden och exempeltexten). En fil som saknas eller är tom
   ger ingen text i det avsnittet.
3. Ändra `exempeldata: true` till `exempeldata: false` i `metadata.yaml` (eller ta bort filen). Så länge
   det står `true` märks varje ruta **EXEMPELTEXT** i rapporten.
4. Ange mappen i kommunens YAML i `params/` och bygg rapporterna igen:

   ```yaml
   reports:
     lagesbild:
       texts: "indata/2080/texter"   # relativ till projektmappen, eller en absolut sökväg
   ```

   När en text ändras byggs lägesbilden om vid nästa körning av `run_all.py`.

## Filerna

| Fil | Visas under | Vad texten är till för |
|---|---|---|
| `sammanfattning.md` | Det viktigaste | Kommunens samlade bedömning: vad lägesbilden visar och vad som prioriteras. |
| `kartlaggning.md` | 1. Kartläggning | Det som siffrorna inte visar: samverkansparternas bild, nya problem, hur säker bilden är. |
| `annan_information.md` | 2. Annan information | Enkäter, medborgardialoger, trygghetsvandringar och annan kunskap. |
| `analys.md` | 3. Analys | Orsakerna: gärningspersoner, offer, platser och tillfällen (Brås orsaksanalys, brottstriangeln). |
| `atgardsplan.md` | Åtgärdsplanen i 3. Analys | Hur planen tagits fram, vem som beslutar den och hur den hänger ihop med problemen. |
| `uppfoljning.md` | 4. Uppföljning | Hur förra årets åtgärder gick och vad kommunen tar med sig. |

Andra filnamn godtas inte: en fil som `Analys.md`, `analys.txt` eller `slutsatser.md` stoppar bygget med
ett felmeddelande som räknar upp de tillåtna namnen (så att ingen text faller bort tyst). Den här
`README.md` och `metadata.yaml` får ligga kvar; bilder och andra filer lämnas utan åtgärd.

Filerna ska sparas som **UTF-8** (med eller utan BOM); en fil i annan teckenkodning stoppar bygget med
filens namn. En text får vara högst 200 000 byte.

## Vad som fungerar (Markdown)

- **Stycken**: skriv en tom rad mellan styckena.
- **Rubriker**: `# Rubrik` och `## Underrubrik`. Rubrikerna läggs under avsnittets rubrik i rapporten
  (`#` blir en rubrik på nivå 3, i åtgärdsplanen nivå 4), så de blir aldrig större än avsnittets.
- **Listor**: rader som börjar med `- ` eller `1. `.
- **Betoning**: `*kursiv*` och `**fet**`.
- **Länkar**: `[text](https://www.example.se/sida)`. Bara `https://`, `http://`, `mailto:` och relativa
  länkar blir länkar; andra (t.ex. `javascript:`) visas som vanlig text.
- **Tabeller**: rader med `|` och en rad `|---|---|` under rubrikraden; rubrikraden blir tabellens
  kolumnrubriker.

Det som inte visas som i en webbsida:

- **HTML** i texten visas som text, tecken för tecken, och körs aldrig.
- **Bilder** (`![beskrivning](bild.png)`) hämtas inte: rapporten ska fungera utan nätverk och utan andra
  filer, så bilden visas som sin beskrivning, `[Bild: beskrivning]`. Skriv därför en beskrivning som säger
  vad bilden visar.

Tänk på att rapporten publiceras: skriv inga personuppgifter och inget som pekar ut enskilda.
"""

__all__ = ["README", "TEMPLATE_METADATA", "TEMPLATE_TEXTS"]
