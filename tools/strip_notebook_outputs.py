#!/usr/bin/env python
"""Strip outputs and run metadata from notebooks, so that they are committed as the README says.

Used by the pre-commit hook (``.pre-commit-config.yaml``) and by hand::

    .venv/bin/python tools/strip_notebook_outputs.py notebooks/*.ipynb

Clears every code cell's outputs and execution count, drops per-run cell metadata (``execution``,
``papermill``, ``collapsed``, ``scrolled``; tags stay) and keeps only the kernelspec and the language
name in the notebook's metadata. Cell ids are kept. The file is written the way Jupyter writes it
(one-space indent, UTF-8, trailing newline), and only when something changed; the exit status is 1
when a file was changed (so that pre-commit shows it and the commit can be retried).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RUN_CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")


def strip(nb: dict) -> dict:
    """The notebook (a JSON dict) without outputs and run metadata; a new dict.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "execution_count": 3, "id": "a", "source": "1",
    ...                  "metadata": {"tags": ["parameters"], "execution": {"t": 1}},
    ...                  "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}]}],
    ...       "metadata": {"kernelspec": {"name": "python3"}, "language_info": {"name": "python", "version": "3.11"},
    ...                    "papermill": {}}, "nbformat": 4, "nbformat_minor": 5}
    >>> out = strip(nb)
    >>> out["cells"][0]["outputs"], out["cells"][0]["execution_count"], out["cells"][0]["metadata"]
    ([], None, {'tags': ['parameters']})
    >>> out["metadata"]
    {'kernelspec': {'name': 'python3'}, 'language_info': {'name': 'python'}}
    """
    out = json.loads(json.dumps(nb))
    for cell in out.get("cells", []):
        meta = cell.get("metadata", {})
        for key in RUN_CELL_METADATA:
            meta.pop(key, None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    meta = out.get("metadata", {})
    kept = {}
    if "kernelspec" in meta:
        kept["kernelspec"] = meta["kernelspec"]
    if "language_info" in meta:
        kept["language_info"] = {"name": meta["language_info"].get("name", "python")}
    out["metadata"] = kept
    return out


def dumps(nb: dict) -> str:
    """JSON the way Jupyter writes a notebook: one-space indent, sorted keys, UTF-8, final newline."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(paths: list[str]) -> int:
    changed = []
    for name in paths:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        new = dumps(strip(json.loads(text)))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    for name in changed:
        print(f"stripped outputs: {name}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
