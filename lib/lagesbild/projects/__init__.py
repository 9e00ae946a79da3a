"""Project evaluation (``notebooks/project_evaluation.ipynb``).

``data``  project, commitment and survey registers; treated, displacement and control areas; counts
``text``  the report's verdict, texts and tables

The package forwards attribute access to ``data``, which holds what the flat module ``lagesbild.projects``
held before the layered layout (``lagesbild.projects.X`` is ``lagesbild.projects.data.X``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "data")
