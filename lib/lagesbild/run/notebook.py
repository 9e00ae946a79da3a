"""What every report notebook does the same way: load the data, open the report, end with its provenance.

Each of the five notebooks (``notebooks/*.ipynb``) starts from its parameters and ends with "Om underlaget";
these three calls are the lines they used to repeat::

    from lagesbild.run import notebook

    ds, cfg = notebook.load(kommun, data_dir, focus_areas=focus_areas, peers=peers)
    title = f"Brottsutvecklingen i {cfg.name}"
    notebook.opening(title, cfg.name, "Den visar …")
    …
    notebook.provenance(ds.files_of("crime", …), {"kommun": cfg.kommun, …})

The helpers sit in ``run`` because they need the parameters (:mod:`lagesbild.run.params`) as well as the
processed data (:mod:`lagesbild.sources.processed`) and the report's display (:mod:`lagesbild.render.report`);
nothing else in the library imports them. The opening's Swedish text is :mod:`lagesbild.text.opening`.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.core import reads
from lagesbild.render import report
from lagesbild.render.report import HTMLString
from lagesbild.run import params
from lagesbild.sources import processed
from lagesbild.text.opening import opening as opening_text


def load(kommun, data_dir: str | Path = "", focus_areas: list[str] | None = None,
         peers: list[str] | None = None) -> tuple[processed.Dataset, params.KommunConfig]:
    """The processed data (built first if needed) and the kommun's checked configuration.

    Parameters
    ----------
    kommun : str
        The notebook parameter ``kommun``: a four-digit code as a string.
    data_dir : str or Path
        The notebook parameter ``data_dir``: a data folder with ``raw/``; ``""`` means the project's ``data/``.
    focus_areas, peers : list of str, optional
        The notebook parameters of the same names, for the reports that have them.

    Returns
    -------
    (Dataset, KommunConfig)
        :func:`lagesbild.sources.processed.load` and :func:`lagesbild.run.params.resolve`.

    Raises
    ------
    lagesbild.core.errors.ParamsError
        ``kommun`` or a code in ``peers`` is not a kommun of the data (the message says which and how to fix it).

    Examples
    --------
    >>> ds, cfg = load("2080", peers=["2081"])  # the bundled data (processed/ is built on the first call)
    >>> cfg.name, cfg.lan, cfg.peers, "2080" in set(ds.kommuner["kommun_kod"])
    ('Falun', 'Dalarnas län', ['2081'], True)
    """
    from lagesbild.core.paths import DATA

    ds = processed.load(data_dir or DATA)
    reads.start()  # the report begins here: from now on, what it reads is recorded (lagesbild.core.reads)
    return ds, params.resolve(kommun, ds.kommuner, focus_areas, peers)


def opening(title: str, name: str, about: str, *, summary: bool = False) -> HTMLString:
    """Show the report's title and opening paragraph (:func:`lagesbild.text.opening.opening`).

    Parameters
    ----------
    title : str
        The report's title, its only ``<h1>``.
    name : str
        The kommun's name.
    about : str
        What the report shows, in whole sentences (the notebook's own narration).
    summary : bool
        True for the lägesbild itself, which opens with what the law asks of the kommun.

    Returns
    -------
    HTMLString
        The heading and the paragraph (each is displayed on its own, as :func:`lagesbild.render.report.heading`
        and :func:`~lagesbild.render.report.paragraph` display them).

    Examples
    --------
    >>> print(opening("Brottsutvecklingen i Falun", "Falun", "Den visar anmälda brott."))
    <h1>Brottsutvecklingen i Falun</h1><p>Den här rapporten är en del av Faluns lägesbild enligt lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete. Den visar anmälda brott.</p>
    """
    return HTMLString(report.heading(title, 1) + report.paragraph(opening_text(name, about, summary=summary)))


def provenance(files: list[dict], parameters: dict, replaced=None) -> HTMLString:
    """Show the "Om underlaget" block the report ends with, with this code's version and commit.

    Parameters
    ----------
    files : list of dict
        The data files the report used (e.g. :meth:`lagesbild.sources.processed.Dataset.files_of`).
    parameters : dict
        The parameters as the reader should see them.
    replaced : pandas.DataFrame, optional
        Values a newer file replaced (:meth:`lagesbild.sources.processed.Dataset.replaced_of`).

    Returns
    -------
    HTMLString
        :func:`lagesbild.render.report.provenance` with ``lagesbild.__version__`` and
        :func:`lagesbild.core.paths.git_commit`. In a kernel it also displays, invisibly, what the report
        read since :func:`load` (:func:`lagesbild.core.reads.snapshot`), for the runner's rebuild check.

    Examples
    --------
    >>> out = provenance([{"name": "raw/crime/bra.csv"}], {"kommun": "2080"})
    >>> "Om underlaget" in out, "raw/crime/bra.csv" in out, "lagesbild version 0.1.0" in out
    (True, True, True)
    """
    from lagesbild import __version__
    from lagesbild.core.paths import git_commit

    block = HTMLString(report.provenance(files, parameters, __version__, git_commit(), replaced=replaced))
    report.display_private(reads.MIME, reads.snapshot())  # for the runner: what a rebuild depends on
    return block
