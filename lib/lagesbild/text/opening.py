"""The first paragraph of every report: which law the report serves, then what the report shows.

All five reports open the same way. A domain report (crime, places, wastewater, projects) says that it is
part of the kommun's lägesbild under the law and then what it shows; the lägesbild itself (the summary)
first says what the law asks of the kommun. The part that differs, what the report shows, is the
notebook's own narration and is passed in as ``about``. Plain text (the display layer escapes).
"""

from __future__ import annotations

from lagesbild.core import fmt

#: The law every report serves, as it is cited in running text.
LAW = "lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete"

#: What 4 § of the law asks of the kommun (the lägesbild's own opening).
LAW_ASKS = (f"Enligt 4 § {LAW} ska kommunen ta fram en lägesbild över brottsligheten inom kommunens område: en "
            "kartläggning av brottsligheten, dess omfattning och konsekvenser, annan information av betydelse och en "
            "analys av detta. Utifrån lägesbilden tar kommunen ställning till behovet av åtgärder och beslutar om en "
            "åtgärdsplan.")


def opening(name: str, about: str, *, summary: bool = False) -> str:
    """A report's opening paragraph: its place under the law, then ``about``.

    Parameters
    ----------
    name : str
        The kommun's name.
    about : str
        What the report shows, in whole sentences.
    summary : bool
        True for the lägesbild itself, which opens with what 4 § of the law asks of the kommun; False for the
        reports it is made of.

    Returns
    -------
    str
        Plain text.

    Raises
    ------
    ValueError
        ``name`` or ``about`` is empty.

    Examples
    --------
    >>> print(opening("Falun", "Den visar anmälda brott."))
    Den här rapporten är en del av Faluns lägesbild enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete. Den visar anmälda brott.
    >>> print(opening("Borås", "Den sammanfattar rapporterna.", summary=True))
    Enligt 4 § lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete ska kommunen ta fram en lägesbild över brottsligheten inom kommunens område: en kartläggning av brottsligheten, dess omfattning och konsekvenser, annan information av betydelse och en analys av detta. Utifrån lägesbilden tar kommunen ställning till behovet av åtgärder och beslutar om en åtgärdsplan. Det här är Borås lägesbild i lagens ordning. Den sammanfattar rapporterna.
    """
    for value, what in ((name, "name"), (about, "about")):
        if not str(value or "").strip():
            raise ValueError(f"opening: {what} is empty; pass the kommun's name and what the report shows")
    if summary:
        return f"{LAW_ASKS} Det här är {fmt.genitive(name)} lägesbild i lagens ordning. {about}"
    return f"Den här rapporten är en del av {fmt.genitive(name)} lägesbild enligt {LAW}. {about}"
