"""The kommun's own tables: one declarative framework for templates, documentation, loaders and errors.

``tables``       declaring a table (columns, example rows); reading it with row/column errors; cell rules
                 and parsers; the template CSV, ``Instruktioner`` rows and README tables
``folders``      the folder of a kommun's tables: which tables, ``metadata.yaml``, provenance
``coordinates``  declared coordinate systems, Sweden's extent, positions and WKT polygons in SWEREF 99 TM

Each report domain declares its own tables with it: the place tables in :mod:`lagesbild.places.data`,
lab results in :mod:`lagesbild.wastewater.labresults`, projects in :mod:`lagesbild.projects.data`, the
police's trygghetsmätning in :mod:`lagesbild.summary.surveys` and the åtgärdsplan in
:mod:`lagesbild.summary.focus_plan`.
"""
