"""The register of assumptions and caveats (lagesbild.text.caveats): every entry is cited, every citation exists."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import lagesbild
from lagesbild.core import reports as registry
from lagesbild.text import caveats

LIB = Path(lagesbild.__file__).parent


@functools.cache
def citations() -> dict[str, list[str]]:
    """Key → the modules that cite it: ``caveats.text("key")`` under whatever name the module imported it."""
    found: dict[str, list[str]] = {}
    for path in LIB.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                 and n.module == "lagesbild.text" for a in n.names if a.name == "caveats"}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "text"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in names):
                assert node.args and isinstance(node.args[0], ast.Constant), f"{path}: cite a caveat by its literal key"
                found.setdefault(node.args[0].value, []).append(str(path.relative_to(LIB)))
    return found


def test_every_citation_names_an_entry():
    unknown = sorted(set(citations()) - set(caveats.REGISTER))
    assert not unknown, f"cited but not in the register: {unknown}"


@pytest.mark.parametrize("key", sorted(caveats.REGISTER))
def test_every_entry_is_cited(key):
    assert key in citations(), f"{key} is in the register but no report cites it: cite it or remove it"


@pytest.mark.parametrize("key", sorted(caveats.REGISTER))
def test_entries_are_complete(key):
    c = caveats.REGISTER[key]
    assert c.key == key and c.text.strip() and c.documented.strip()
    assert set(c.reports) <= {r.name for r in registry.REGISTRY}, c.reports


def test_unknown_key_is_a_clear_error():
    with pytest.raises(KeyError, match="no caveat 'x'.*known: bra_bilbrott_riket"):
        caveats.text("x")
