"""Publishing: offline HTML, key-figure JSON, the landing page.

``export``   offline HTML export and key-figure extraction
``landing``  the landing page listing every kommun's reports

The package forwards attribute access to ``export``, which holds what the flat module ``lagesbild.publish``
held before the layered layout (``lagesbild.publish.X`` is ``lagesbild.publish.export.X``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "export")
