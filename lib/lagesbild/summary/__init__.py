"""The lägesbild summary (``notebooks/lagesbild.ipynb``) in the law's order (Lag (2023:196), 4 §).

Its modules, each importing only those listed before it:

``sources``         the other reports' key figures, read back and checked (never recomputed): ``load_sources``
``text``            the Swedish sentences and tables of the report: the sources, 1. Kartläggning,
                    2. Annan information, 4. Uppföljning (``crime_points``, ``ntu_table``, ``followup_points``, …)
``key_indicators``  3. Analys: the traffic light against the län and riket in words (``key_indicator_display``)
``standout``        3. Analys: the fixed rule for what stands out (``standout_problems``)
``plan_text``       the åtgärdsplan's Swedish words: statuses, Brå's cause prompts, the follow-up rule (``GOAL_RULE``)
``focus_plan``      3. Analys: the åtgärdsplan in Brå's columns — draft, template, the kommun's file (``load_focus_plan``)
``followup``        4. Uppföljning: plans by year and the previous plan's goals against the data (``follow_up``)
``report``          the report as a whole: Det viktigaste, gaps, caveats, key figures, provenance
``surveys``         the kommun's own trygghetsmätning: template, loader, area summaries
``local_surveys``   the kommun's own local surveys: template, loader, each value's interval and change
                    (``load_local_surveys``, ``survey_statistics``); their Swedish text in ``local_surveys_text``
``texts``           the kommun's own texts, one Markdown file per section: loader, template (``load_texts``;
                    rendered by ``lagesbild.render.markdown``)

The notebook calls every public name through the package (``from lagesbild import summary as sm``;
``sm.load_sources``): a name is looked up, lazily, in the ``__all__`` of the modules above (not
``surveys`` and ``local_surveys``, which the notebook imports as modules), so ``import lagesbild.summary``
imports none of them and a function can move between them without changing a caller.
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}
#: The modules whose public names the package forwards, in import order (no name is in two of them).
FORWARDED = ("sources", "text", "key_indicators", "standout", "plan_text", "focus_plan", "followup", "report", "texts")


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet
        return importlib.import_module(f"{__name__}.{name}")
    if not name.startswith("_"):
        for module_name in FORWARDED:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}; its public names are in the __all__ "
                         f"of lagesbild.summary.{{{', '.join(FORWARDED)}}}")
