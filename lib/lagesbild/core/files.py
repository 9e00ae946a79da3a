"""Files written so that a reader sees the old file or the complete new one, and JSON-safe values.

Everything lägesbild writes (reports, key figures, templates, processed data notes) goes through
:func:`atomic_write_text` / :func:`atomic_write_bytes` / :func:`atomic_write_json`: a temporary file in the target folder, then
``os.replace``, so a reader sees the old file or the new one, never half.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from lagesbild.core.fmt import plain


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass  # not Linux: fall back to the set-and-restore dance below
    old = os.umask(0o022)
    os.umask(old)
    return old


def atomic_write_text(path, text: str) -> None:
    """Write text (UTF-8) so that readers see the old file or the complete new one, never a part.

    Writes a temporary file in the target's folder, flushes it to disk, then ``os.replace``\\ s the
    target. Creates missing parent folders. On any error the temporary file is removed, the old
    file is left as it was, and the error propagates. A new file gets the usual permissions
    (``0o666`` minus the umask); a replaced file keeps its mode.

    Parameters
    ----------
    path : str or Path
        Target file.
    text : str
        The content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(d / "a" / "b.txt", "hej")
    >>> (d / "a" / "b.txt").read_text(), sorted(p.name for p in (d / "a").iterdir())
    ('hej', ['b.txt'])
    """
    if not isinstance(text, str):
        raise TypeError(f"atomic_write_text: text must be str, not {type(text).__name__}")
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path, data: bytes) -> None:
    """Write bytes (e.g. a workbook) as :func:`atomic_write_text` writes text: the old file or the new one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mall.xlsx"
    >>> atomic_write_bytes(p, b"PK")
    >>> p.read_bytes()
    b'PK'
    """
    if not isinstance(data, bytes):
        raise TypeError(f"atomic_write_bytes: data must be bytes, not {type(data).__name__}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def atomic_write_json(path, obj) -> None:
    """Write ``obj`` as JSON (UTF-8, ``ensure_ascii=False``, indent 2, sorted keys) atomically.

    NaN and infinity are refused (``ValueError``): they are not JSON.

    Parameters
    ----------
    path : str or Path
        Target file.
    obj : object
        JSON-able data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.json"
    >>> atomic_write_json(p, {"ort": "Malmö", "antal": 3})
    >>> print(p.read_text(encoding="utf-8"))
    {
      "antal": 3,
      "ort": "Malmö"
    }
    """
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    atomic_write_text(path, text + "\n")



def json_safe(obj: Any) -> Any:
    """Plain JSON types; NaN → None; numpy → Python.

    Examples
    --------
    >>> import numpy as np, datetime
    >>> json_safe({"a": np.int64(3), "b": float("nan"), "c": [np.float64(1.5)], "d": datetime.date(2024, 1, 2)})
    {'a': 3, 'b': None, 'c': [1.5], 'd': '2024-01-02'}
    """
    import datetime as _dt
    import math

    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON keys must be str, got {plain(key)} ({type(key).__name__})")
            out[key] = json_safe(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if type(obj).__name__ in ("NAType", "NaTType"):  # pandas missing values
        return None
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            raise ValueError(f"{plain(obj)} cannot be stored as JSON")
        return float(obj)
    if isinstance(obj, (_dt.date, _dt.datetime)):
        return obj.isoformat()
    item = getattr(obj, "item", None)  # numpy scalars, pandas NA-free scalars
    if callable(item) and getattr(obj, "ndim", None) == 0:
        return json_safe(item())
    isoformat = getattr(obj, "isoformat", None)  # pandas Timestamp
    if callable(isoformat):
        return isoformat()
    raise TypeError(f"cannot store {plain(obj)} ({type(obj).__name__}) as JSON")
