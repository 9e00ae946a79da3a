"""Project evaluation (``notebooks/project_evaluation.ipynb``).

``templates``  the tables of a project folder: columns, controlled vocabularies, rules; writing the templates
``data``       loading the project, commitment and survey registers and a project folder
``areas``      treated, displacement and control areas; event counts before and after
``text``       the report's verdict, texts and tables

The package forwards attribute access to ``data``, ``templates`` and ``areas``, which hold what the flat
module ``lagesbild.projects`` held before the layered layout (``lagesbild.projects.load_projects`` is
``lagesbild.projects.data.load_projects``, ``lagesbild.projects.count_events`` is
``lagesbild.projects.areas.count_events``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "data", "templates", "areas")
