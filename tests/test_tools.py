"""The developer tools: the pre-commit configuration and the notebook-output stripper it runs."""

from __future__ import annotations

import doctest
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
STRIP = ROOT / "tools" / "strip_notebook_outputs.py"


def _strip_module():
    spec = importlib.util.spec_from_file_location("strip_notebook_outputs", STRIP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_strip_doctests():
    assert doctest.testmod(_strip_module()).failed == 0


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_are_what_the_hook_writes(path):
    """The hook changes nothing on a committed notebook: outputs stripped, Jupyter's own format."""
    text = path.read_text(encoding="utf-8")
    strip = _strip_module()
    assert strip.dumps(strip.strip(json.loads(text))) == text, f"run: .venv/bin/python tools/strip_notebook_outputs.py {path}"


def test_hook_strips_an_executed_notebook(tmp_path):
    src = json.loads((ROOT / "notebooks" / "wastewater.ipynb").read_text(encoding="utf-8"))
    src["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hej\n"]}]
    src["cells"][0]["execution_count"] = 7
    src["metadata"]["papermill"] = {"duration": 1.0}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(src, indent=2), encoding="utf-8")
    first = subprocess.run([sys.executable, str(STRIP), str(path)], capture_output=True, text=True)
    assert first.returncode == 1 and "stripped outputs" in first.stdout
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][0]["outputs"] == [] and nb["cells"][0]["execution_count"] is None
    assert "papermill" not in nb["metadata"] and nb["cells"][0]["id"] == src["cells"][0]["id"]
    again = subprocess.run([sys.executable, str(STRIP), str(path)], capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == ""


def test_pre_commit_config_runs_ruff_and_the_stripper():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"ruff", "strip-notebook-outputs"}
    assert "ruff check" in hooks["ruff"]["entry"]
    assert hooks["strip-notebook-outputs"]["entry"].endswith("tools/strip_notebook_outputs.py")
    assert hooks["strip-notebook-outputs"]["files"] == r"\.ipynb$"
