"""lägesbild: helpers behind the crime-prevention situation-picture notebooks.

One module per concern:

``paths``      where things live (repo root, data folders, notebooks, params) and the git commit
``errors``     the exceptions that name file, row, column and the fix
``readers``    reading CSV/Excel as Swedish users have them (``;``, decimal comma, ``..``)
``schemas``    pandera schemas of every tidy data shape, and validation with clear errors
``units``      the names of Brå's two units (counts, per 100 000 inhabitants)
``sources``    loaders for each real public source (Brå, SCB, boundaries, polisen.se)
``processed``  building ``data/processed/`` from ``data/raw/`` once, rebuilt on change
``params``     per-kommun YAML and notebook parameters, validated before a run
``categories`` Brå's two category sets (SOL for all kommuner, Dalarna's kommunindikatorer), Kolada names, focus areas
``crime``      reported-crime and police-event tables for one kommun: comparisons, tests, funnels, kommungrupp
``crimetext``  the crime report's Swedish sentences
``stats``      change and trend tests for counts (Poisson E-test, exact intervals, GLM trend)
``funnel``     funnel plots (Spiegelhalter 2005) with limits widened for the variation between kommuner
``narrative``  short Swedish sentences that state a finding with its uncertainty
``fmt``        Swedish number, percent, p-value and date formatting
``charts``     matplotlib charts (colour-blind safe, Swedish labels)
``maps``       offline folium maps (Leaflet inlined from a registry package, no tiles)
``report``     display helpers used in notebooks: escaped text, accessible tables and figures
``publish``    offline HTML export, atomic writes, key-figure JSON and the index page
``runner``     running notebooks for many kommuner on a process pool
``warm``       the warm engine: pre-imported workers that fork a fresh process per report

Place assessment (``notebooks/place_assessment.ipynb``):

``factors``      the eight factors, the 1–5 scale, profiles, change, measures lookup, priority list
``placedata``    templates and validated loaders for places, inspections, incident logs, citizen reports
``spatial``      grid in SWEREF 99 TM, publishable cells, Getis-Ord Gi* hot spots, concentration
``districts``    polisen.se events per district named in their summaries
``privacy``      what place-level data may be published (never a count of 1 or 2)
``place``        settings, periods and the analysis that ties the blocks together
``placereport``  the report's Swedish texts and tables, with small counts masked
``workbook``     deterministic template workbooks (shared by the place, lab-result and project templates)

Wastewater (``notebooks/wastewater.ipynb``):

``substances``   the six drugs, their biomarkers and Swedish names
``euda``         EUDA's European wastewater table: loaders, recomputed means, rank, percentile, nearest sites
``labresults``   a kommun's own lab results: template, loader, units, LOQ rule, loads, campaigns
``wwtrends``     year-over-year change and multi-year trend with uncertainty, Swedish sentences
``wwreport``     the report's kommun sites, comparisons and texts

Project evaluation (``notebooks/project_evaluation.ipynb``):

``evaluation``   WDD (Wheeler & Ratcliffe 2018), WDQ and net effect (Bowers & Johnson 2003), E-test, regression
                 to the mean, survey change, commitment status
``projects``     project, commitment and survey registers; treated, displacement and control areas; counts
``evalreport``   the report's verdict, texts and tables
"""

__version__ = "0.1.0"
