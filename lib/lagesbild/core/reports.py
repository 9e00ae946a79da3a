"""The one registry of reports: each report notebook, the Swedish names it is shown under, what it reads.

Pure data that imports nothing of ours, so every layer may read it: :mod:`lagesbild.core.paths` lists
the reports from it, :mod:`lagesbild.summary.sources` names the other reports with their titles,
:mod:`lagesbild.publish.landing` labels and orders them on the landing page, and :mod:`lagesbild.run`
builds the jobs and the order they run in. A new report is one notebook in ``notebooks/`` and one
:class:`Report` in :data:`REGISTRY` (a test checks that the two agree).

The names are not report text but the reports' own names, in the two grammatical forms the reports
use: the landing page lists "Brottsutveckling" (a label), the summary's sentences name "Rapporten
Brottsutvecklingen" (the title, as the report's own heading begins: "Brottsutvecklingen i Falun").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Report:
    """One report: a notebook in ``notebooks/`` and the Swedish names it is shown under.

    Attributes
    ----------
    name : str
        The notebook's stem (``notebooks/<name>.ipynb``): the ``--report`` value, the published
        ``<kommun>/<name>.html`` and ``.json``, the key in a kommun's YAML under ``reports:``.
    label : str
        Its label in the landing page's list (``"Brottsutveckling"``).
    title : str
        How other reports' sentences name it, the start of its own heading (``"Brottsutvecklingen"``
        for "Brottsutvecklingen i Falun").
    depends_on : tuple of str
        The reports whose key figures it reads; in a run it starts after those of the same kommun.

    Examples
    --------
    >>> r = Report("crime_trends", "Brottsutveckling", "Brottsutvecklingen")
    >>> r.notebook, r.depends_on
    ('crime_trends.ipynb', ())
    """

    name: str
    label: str
    title: str
    depends_on: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        """The notebook's file name in ``notebooks/`` (:data:`lagesbild.core.paths.NOTEBOOKS`)."""
        return f"{self.name}.ipynb"


CRIME_TRENDS = Report("crime_trends", "Brottsutveckling", "Brottsutvecklingen")
PLACE_ASSESSMENT = Report("place_assessment", "Platsbedömning", "Platsbedömning")
WASTEWATER = Report("wastewater", "Narkotika i avloppsvatten", "Narkotika i avloppsvatten")
PROJECT_EVALUATION = Report("project_evaluation", "Utvärdering av trygghetsarbete", "Utvärdering av trygghetsarbetet")
#: The summary ties the others together: it reads their key figures, in this order.
SUMMARY = Report("lagesbild", "Lägesbild (sammanfattning)", "Lägesbild",
                 depends_on=(CRIME_TRENDS.name, PLACE_ASSESSMENT.name, WASTEWATER.name, PROJECT_EVALUATION.name))

#: Every report, in the order of the landing page (the summary first).
REGISTRY: tuple[Report, ...] = (SUMMARY, CRIME_TRENDS, PLACE_ASSESSMENT, WASTEWATER, PROJECT_EVALUATION)

#: Report name → :class:`Report`, in :data:`REGISTRY` order.
BY_NAME: dict[str, Report] = {r.name: r for r in REGISTRY}


def names() -> list[str]:
    """Every report's name, in :data:`REGISTRY` order.

    Examples
    --------
    >>> names()
    ['lagesbild', 'crime_trends', 'place_assessment', 'wastewater', 'project_evaluation']
    """
    return list(BY_NAME)


def get(name: str) -> Report:
    """The report called ``name``.

    Raises
    ------
    KeyError
        No report has that name; the message names the reports there are.

    Examples
    --------
    >>> get("wastewater").label
    'Narkotika i avloppsvatten'
    >>> get("nonsense")
    Traceback (most recent call last):
    ...
    KeyError: "unknown report 'nonsense'; the reports are lagesbild, crime_trends, place_assessment, wastewater, project_evaluation"
    """
    if name not in BY_NAME:
        raise KeyError(f"unknown report {name!r}; the reports are {', '.join(BY_NAME)}")
    return BY_NAME[name]


def dependencies(name: str) -> tuple[str, ...]:
    """The reports ``name`` reads (:attr:`Report.depends_on`); none for a name that is not registered.

    Examples
    --------
    >>> dependencies("lagesbild")
    ('crime_trends', 'place_assessment', 'wastewater', 'project_evaluation')
    >>> dependencies("crime_trends"), dependencies("a fixture notebook")
    ((), ())
    """
    report = BY_NAME.get(name)
    return report.depends_on if report is not None else ()
