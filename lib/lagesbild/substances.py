"""The drugs measured in wastewater: one key per substance, its biomarker and its Swedish name.

The keys are EUDA's metabolite labels in ``ww2025-all-data.csv`` (the table names the drug, while the
compound measured is the biomarker: benzoylecgonine for cocaine, THC-COOH for cannabis). A lab's own
results name the biomarker or the drug in many spellings; :func:`substance_key` maps them to a key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Substance:
    """A drug as followed in wastewater."""

    key: str          # EUDA's metabolite label, e.g. "cocaine"
    name: str         # Swedish name for reports
    biomarker: str    # the compound measured (English/IUPAC-ish, as labs write it)
    aliases: tuple[str, ...]  # other spellings accepted in lab files (compared case-insensitively)


SUBSTANCES: dict[str, Substance] = {s.key: s for s in (
    Substance("cocaine", "Kokain", "benzoylecgonine",
              ("kokain", "bensoylekgonin", "benzoylecgonin", "be", "cocaine (benzoylecgonine)")),
    Substance("amphetamine", "Amfetamin", "amphetamine", ("amfetamin",)),
    Substance("methamphetamine", "Metamfetamin", "methamphetamine", ("metamfetamin", "metamfetamine")),
    Substance("MDMA", "MDMA (ecstasy)", "MDMA", ("ecstasy", "3,4-metylendioxymetamfetamin")),
    Substance("cannabis", "Cannabis", "THC-COOH",
              ("thc-cooh", "thccooh", "11-nor-9-carboxy-thc", "thc", "cannabis (thc-cooh)")),
    Substance("ketamine", "Ketamin", "ketamine", ("ketamin",)),
)}


def substance_key(text: str) -> str | None:
    """The substance key for a drug or biomarker name as a lab or a table writes it, or None.

    Examples
    --------
    >>> substance_key("Bensoylekgonin"), substance_key(" THC-COOH "), substance_key("MDMA"), substance_key("koffein")
    ('cocaine', 'cannabis', 'MDMA', None)
    """
    clean = " ".join(str(text).split()).casefold()
    for s in SUBSTANCES.values():
        if clean in {s.key.casefold(), s.biomarker.casefold(), s.name.casefold(), *(a.casefold() for a in s.aliases)}:
            return s.key
    return None
