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
    aliases: tuple[str, ...]  # other spellings of the biomarker (compared case-insensitively)
    drug_aliases: tuple[str, ...] = ()  # names of the parent drug where it is not the biomarker

    @property
    def biomarker_is_drug(self) -> bool:
        """True when the lab measures the drug itself (amphetamine), False for a metabolite (benzoylecgonine)."""
        return not self.drug_aliases


SUBSTANCES: dict[str, Substance] = {s.key: s for s in (
    Substance("cocaine", "Kokain", "benzoylecgonine",
              ("bensoylekgonin", "benzoylecgonin", "be", "cocaine (benzoylecgonine)", "kokain (bensoylekgonin)"),
              ("kokain",)),
    Substance("amphetamine", "Amfetamin", "amphetamine", ("amfetamin",)),
    Substance("methamphetamine", "Metamfetamin", "methamphetamine", ("metamfetamin", "metamfetamine")),
    Substance("MDMA", "MDMA (ecstasy)", "MDMA", ("ecstasy", "3,4-metylendioxymetamfetamin")),
    Substance("cannabis", "Cannabis", "THC-COOH",
              ("thc-cooh", "thccooh", "11-nor-9-carboxy-thc", "cannabis (thc-cooh)"), ("thc", "delta-9-thc")),
    Substance("ketamine", "Ketamin", "ketamine", ("ketamin",)),
)}


def substance_key(text: str, *, biomarker_only: bool = False) -> str | None:
    """The substance key for a drug or biomarker name as a lab or a table writes it, or None.

    With ``biomarker_only`` (a lab's results file) a name of the parent drug is not accepted where
    the lab measures a metabolite instead: "kokain" or "THC" in a results file would be the parent
    drug, whose concentration is not the biomarker's, so it must not be read as one.

    Examples
    --------
    >>> substance_key("Bensoylekgonin"), substance_key(" THC-COOH "), substance_key("MDMA"), substance_key("koffein")
    ('cocaine', 'cannabis', 'MDMA', None)
    >>> substance_key("cocaine"), substance_key("kokain", biomarker_only=True), substance_key("Amfetamin", biomarker_only=True)
    ('cocaine', None, 'amphetamine')
    """
    clean = " ".join(str(text).split()).casefold()
    for s in SUBSTANCES.values():
        names = {s.biomarker, *s.aliases}
        if not biomarker_only or s.biomarker_is_drug:
            names |= {s.key, s.name, *s.drug_aliases}
        if clean in {n.casefold() for n in names}:
            return s.key
    return None
