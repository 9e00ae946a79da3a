"""The import contract: the layers of ``lagesbild`` (see its package docstring) and no import cycles.

Every ``import`` of the library is read from the source (module level and inside functions alike), so
an arrow that points the wrong way fails here, not in review.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import lagesbild

LIB = Path(lagesbild.__file__).parent

LOWER = {"core", "sources", "inputs", "stats", "text", "render"}
DOMAINS = {"crime", "places", "wastewater", "projects"}
#: Package → the packages its modules may import (besides itself and the root's ``__version__``).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "sources": {"core"},
    "inputs": {"core", "sources"},
    "stats": {"core"},
    "text": {"core", "stats"},
    # charts draw what statistics return (a funnel's limits); statistics never draw
    "render": {"core", "stats"},
    "crime": LOWER,
    "places": LOWER,
    "wastewater": LOWER,
    # a project's before/after inspection is scored on the place assessment's eight factors
    "projects": LOWER | {"places"},
    "summary": LOWER | DOMAINS,
    "publish": {"core", "sources", "render"},
    "run": LOWER | DOMAINS | {"summary", "publish"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(LIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of ``lagesbild`` in a file, relative imports resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "lagesbild"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "lagesbild":
                continue
            for alias in node.names:  # `from lagesbild.core import fmt` imports lagesbild.core.fmt
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if (LIB.parent / (sub.replace(".", "/") + ".py")).exists()
                              or (LIB.parent / sub.replace(".", "/")).is_dir() else base))
    return found


MODULES = {module_name(p): p for p in sorted(LIB.rglob("*.py"))}


def test_every_module_sits_in_a_layer():
    flat = [m for m, p in MODULES.items() if m.count(".") == 1 and p.name != "__init__.py"]
    packages = {m.split(".")[1] for m in MODULES if m.count(".") >= 1}
    assert not flat, f"modules outside any layer (put each in its package): {flat}"
    assert packages == set(ALLOWED), "a package without a place in the contract: add it to ALLOWED and the docstring"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    if module == "lagesbild":
        return
    layer = module.split(".")[1]
    wrong = []
    for line, target in imports(MODULES[module]):
        parts = target.split(".")
        if len(parts) == 1:  # `from lagesbild import __version__`
            continue
        if parts[1] != layer and parts[1] not in ALLOWED[layer]:
            wrong.append(f"line {line}: {target}")
    assert not wrong, f"{module} ({layer}) may import only {sorted(ALLOWED[layer])}, but imports " + "; ".join(wrong)


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        targets = set()
        for _, target in imports(path):
            while target and target not in MODULES:  # `from lagesbild.crime import analysis` → the module
                target = target.rpartition(".")[0]
            if target and target != module and target != "lagesbild":
                targets.add(target)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan).

    Examples
    --------
    >>> cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    >>> cycles({"a": {"b"}, "b": set()})
    []
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycles():
    assert cycles(_graph()) == []


def test_the_contract_test_sees_a_wrong_arrow(tmp_path):
    """The checker itself: an import of ``run`` from ``core`` is found, relative or absolute."""
    bad = LIB / "core" / "paths.py"
    found = [t for _, t in imports(bad)]
    assert all(t.split(".")[1] == "core" for t in found if t.count("."))
    assert cycles({"lagesbild.core.x": {"lagesbild.run.y"}, "lagesbild.run.y": {"lagesbild.core.x"}})


@pytest.mark.parametrize("old", sorted(lagesbild.MOVED))
def test_old_flat_names_still_work(old):
    """``from lagesbild import charts`` and ``from lagesbild.paths import DATA`` keep working."""
    new = importlib.import_module(f"lagesbild.{lagesbild.MOVED[old]}")
    assert getattr(lagesbild, old) is new
    assert importlib.import_module(f"lagesbild.{old}") is new


@pytest.mark.parametrize("package, attr", [("crime", "analyse"), ("sources", "load_crime"),
                                            ("stats", "poisson_change"), ("projects", "load_projects"),
                                            ("summary", "load_focus_plan"), ("publish", "export_html")])
def test_packages_that_were_modules_forward_their_old_names(package, attr):
    assert callable(getattr(importlib.import_module(f"lagesbild.{package}"), attr))


def test_import_lagesbild_is_cheap():
    code = "import sys, lagesbild; from lagesbild import fmt; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- statistics return numbers and codes, never Swedish ---------------------------------------------

#: Words that mark a Swedish phrase even without å, ä or ö (none of them is also an English word).
SWEDISH_WORDS = frozenset({"och", "inte", "ingen", "inga", "eller", "det", "som", "med", "har", "kan", "ej",
                           "saknas", "utan", "finns", "bara", "alla", "att", "ett", "eftersom", "enligt", "sedan",
                           "procent", "uppgift", "tydligt", "punkt"})
#: Module-level constants of ``stats`` that hold labels of values (like category names), not prose.
STATS_LABELS = {"lagesbild.stats.spatial": {"MISSING_CATEGORY"}, "lagesbild.stats.hotspots": {"HOT_SPOT_CLASSES"}}
#: Modules of ``stats`` that still hold Swedish, with why and what moves it (the test below fails as
#: soon as a module here is clean, so the entry is removed with the last Swedish).
STATS_SWEDISH_PENDING: dict[str, str] = {}


def swedish_prose(source: str, labels: frozenset[str] | set[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, text) of every string in ``source`` that reads as Swedish prose.

    Prose: at least two words, with å, ä or ö or a word of :data:`SWEDISH_WORDS`. Not counted:
    docstrings (so neither doctest output), comments, one-word codes (``"öka"``, ``"ja/nej"``) and the
    values of the module-level constants named in ``labels``. An f-string counts as one string, its
    fields read as ``{}``.

    Examples
    --------
    >>> swedish_prose("def f(n):\\n    'Säger för få.'\\n    return f'För få år ({n}) och fall'")
    [(3, 'För få år ({}) och fall')]
    >>> swedish_prose('KIND = "öka"  # en kod, inte text\\nX = "per capita"\\nY = "the rate ratio"')
    []
    """
    import re

    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id in labels for t in targets):
            skip.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        words = re.findall(r"[^\W\d_]+", text)
        if len(words) >= 2 and (re.search("[åäöÅÄÖ]", text) or SWEDISH_WORDS & {w.lower() for w in words}):
            found.append((node.lineno, text))
    return sorted(found)


STATS_MODULES = sorted(m for m in MODULES if m.startswith("lagesbild.stats."))


@pytest.mark.parametrize("module", STATS_MODULES)
def test_statistics_write_no_swedish(module):
    """Statistics return numbers, codes and small dataclasses; the report's text modules word them."""
    if module in STATS_SWEDISH_PENDING:
        pytest.skip(f"Swedish still to move: {STATS_SWEDISH_PENDING[module]}")
    found = swedish_prose(MODULES[module].read_text(encoding="utf-8"), STATS_LABELS.get(module, set()))
    assert not found, (f"{module} holds Swedish prose; return a code and word it in the report's text module "
                       "(or lagesbild.text.narrative when several reports share it): "
                       + "; ".join(f"line {line}: {text!r}" for line, text in found))


@pytest.mark.parametrize("module", sorted(STATS_SWEDISH_PENDING))
def test_pending_swedish_is_still_there(module):
    assert swedish_prose(MODULES[module].read_text(encoding="utf-8")), \
        f"{module} has no Swedish left: remove it from STATS_SWEDISH_PENDING"


def test_the_swedish_checker_finds_a_planted_sentence():
    """The checker itself: a sentence in code is found; docstrings, comments, doctest output, codes, English
    and listed labels are not."""
    planted = '''"""Statistik.

>>> describe()
'Ökningen är statistiskt säkerställd.'
"""
LABELS = ["Het punkt (95 %)", "Inte signifikant"]
READINGS = {"decrease": "Minskningen är statistiskt säkerställd."}


def describe(n):
    """Beskriver en förändring."""
    # en kommentar på svenska: ingen text
    kind = "öka"
    if n < 10:
        return f"För få fall ({n}) för att säga något."
    return "the rate ratio", kind
'''
    assert swedish_prose(planted, {"LABELS"}) == [
        (7, "Minskningen är statistiskt säkerställd."), (15, "För få fall ({}) för att säga något.")]
    assert (6, "Inte signifikant") in swedish_prose(planted)


def test_python_m_with_an_old_name_runs_the_moved_module():
    """``python -m lagesbild.fetch`` (documented before the layered layout) still runs the fetcher."""
    out = subprocess.run([sys.executable, "-m", "lagesbild.fetch", "--help"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "usage: python -m lagesbild.sources.fetch" in out.stdout


def test_an_old_name_leaves_the_moved_module_as_it_was():
    """Importing through an old name must not give the module the alias's spec (find_spec would loop)."""
    import importlib.util

    module = importlib.import_module("lagesbild.paths")
    assert module.__spec__.name == "lagesbild.core.paths" == module.__name__
    assert importlib.util.find_spec("lagesbild.core.paths").origin.endswith("paths.py")
