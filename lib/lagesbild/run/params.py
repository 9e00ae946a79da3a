"""Per-kommun configuration (``params/<code>_<name>.yaml``) and notebook parameters, validated.

A kommun's YAML (all keys but ``kommun`` optional)::

    kommun: "1283"                # four-digit SCB code, QUOTED (YAML reads 0114 as octal 76)
    name: Helsingborg             # default: from the kommun table
    focus_areas:                  # Brå categories the kommun has named as its focus; shown first
      - Våld i offentlig miljö
    peers: ["1280", "1281"]       # comparison kommuner; default: the kommuner of the same län
    reports:                      # per-report parameters, checked against the notebook's parameters cell
      crime_trends:
        top_event_types: 6
    basemap:                      # optional: the kommun's own tile service under the maps (off by default)
      url: "https://karta.example-kommun.se/tiles/{z}/{x}/{y}.png"
      attribution: "© Example kommun"
    beslut:                       # optional: the lägesbild's decision status, on the PDF's title page and in Word
      status: beslutad            # utkast or beslutad
      datum: 2026-11-30           # required for beslutad
      organ: kommunstyrelsen      # optional: who decided
      diarienummer: "KS 2026/123" # optional

Without ``beslut`` the title page of the PDF (``run_all.py --format pdf``) states no status at all: the
suite does not know whether the council has decided, so it claims neither "utkast" nor "beslutad".

A kommun without a YAML runs on defaults from the kommun table, so ``--all`` covers all 290.
Every problem is a :class:`~lagesbild.core.errors.ParamsError` that names the file and the key.

``basemap`` reaches the notebooks that declare ``basemap_url`` and ``basemap_attribution`` (the map
reports); without it their maps load nothing from the network. With it a published map requests
tiles from that one host, and :func:`lagesbild.publish.export.assert_offline` allows exactly that host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lagesbild.core.errors import ParamsError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import PARAMS, notebook_path
from lagesbild.core.reports import BY_NAME as REPORTS_BY_NAME
from lagesbild.core.reports import PLACE_ASSESSMENT, PROJECT_EVALUATION
from lagesbild.core.yamlio import DuplicateKeyError, strict_yaml
from lagesbild.render.basemap import basemap_problem  # noqa: F401  (re-exported: checked here, used by maps and publish)

_CODE = re.compile(r"^\d{4}$")
ALLOWED_KEYS = {"kommun", "name", "focus_areas", "peers", "reports", "basemap", "beslut"}
#: The sub-keys of ``beslut:`` (the lägesbild's decision status) and the statuses it may have.
DECISION_KEYS = ("status", "datum", "organ", "diarienummer")
DECISION_STATUSES = ("utkast", "beslutad")
#: Keys of the kommun config passed to every notebook that declares a parameter of that name.
COMMON_PARAMS = ("kommun", "focus_areas", "peers")
#: The sub-keys of ``basemap:`` in a kommun's YAML and the notebook parameter each one becomes.
BASEMAP_PARAMS = {"url": "basemap_url", "attribution": "basemap_attribution"}


def _place_settings(values: dict[str, Any], where: str) -> None:
    from lagesbild.places import analysis as place

    place.check_settings(values, where)


def _evaluation_settings(values: dict[str, Any], where: str) -> None:
    from lagesbild.places import analysis as place
    from lagesbild.projects import text as evalreport

    place.check_settings({k: v for k, v in values.items() if k == "alpha"}, where)
    if "buffer_m" in values:
        evalreport.check_buffer(values["buffer_m"], where)


#: Per report, a check of the parameter *values* (ranges), run with the type checks before anything executes.
VALUE_CHECKS: dict[str, Any] = {PLACE_ASSESSMENT.name: _place_settings, PROJECT_EVALUATION.name: _evaluation_settings}


@dataclass
class KommunConfig:
    """A kommun's validated configuration."""

    kommun: str
    name: str
    lan_kod: str
    lan: str
    focus_areas: list[str] = field(default_factory=list)
    peers: list[str] = field(default_factory=list)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = "standardvärden från kommuntabellen"
    #: The kommun's own tile service (``{"url": …, "attribution": …}``, checked), None without one.
    basemap: dict[str, str] | None = None
    #: The lägesbild's decision status (``{"status": …, "datum": "YYYY-MM-DD", …}``, checked), None without one.
    decision: dict[str, str] | None = None
    #: The YAML's path (what errors name), "" without one; not part of the configuration's value.
    path: str = field(default="", compare=False, repr=False)


def params_files(params_dir: str | Path = PARAMS) -> dict[str, Path]:
    """Map kommun code → YAML file, from file names ``<code>_<anything>.yaml`` or ``<code>.yaml``.

    Raises
    ------
    ParamsError
        A YAML whose name does not start with a four-digit code, or two files for one code.
    """
    out: dict[str, Path] = {}
    for p in sorted(Path(params_dir).glob("*.y*ml")):
        code = p.stem.split("_", 1)[0]
        if not _CODE.match(code):
            raise ParamsError(p, "the file name does not start with a four-digit kommun code",
                              "name it <code>_<kommun>.yaml, e.g. 1283_helsingborg.yaml")
        if code in out:
            raise ParamsError(p, f"a second params file for kommun {code} (first: {out[code].name})", "keep one file per kommun")
        out[code] = p
    return out


def check_kommun_code(value: Any, file: str | Path, kommuner: pd.DataFrame, key: str = "kommun") -> str:
    """Return ``value`` as a kommun code if it is a real one written as a four-digit string.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["0114"], "kommun": ["Upplands Väsby"], "lan_kod": ["01"], "lan": ["Stockholms län"]})
    >>> check_kommun_code("0114", "p.yaml", k)
    '0114'
    >>> check_kommun_code(76, "p.yaml", k)
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: p.yaml, column 'kommun': the kommun code is the number 76, not text (YAML reads an unquoted 0114 as the octal number 76). Fix: quote the code: kommun: "0114".
    """
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int):
            example = f"{value:04d}" if 1000 <= value <= 9999 else "0114"
            raise ParamsError(file, f"the kommun code is the number {value}, not text (YAML reads an unquoted 0114 as the octal number 76)",
                              f'quote the code: {key}: "{example}"', column=key)
        raise ParamsError(file, f"the kommun code must be text, got {type(value).__name__} {plain(value)}", 'write it quoted, e.g. kommun: "1283"', column=key)
    if not _CODE.match(value):
        raise ParamsError(file, f"{plain(value)} is not a four-digit kommun code", 'use the SCB code with leading zero, quoted: "0114"', column=key)
    if value not in set(kommuner["kommun_kod"]):
        raise ParamsError(file, f"{plain(value)} is not the code of any of Sweden's 290 kommuner", "check the code in SCB's kommun list", column=key)
    return value


def _str_list(value: Any, file: Path, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ParamsError(file, f"{key} must be a list of texts, got {plain(value)}", f"write e.g. {key}: [\"…\", \"…\"] with each entry quoted", column=key)
    return [v.strip() for v in value]


def check_basemap(value: Any, file: str | Path) -> dict[str, str] | None:
    """Check the ``basemap:`` entry of a kommun's YAML; return it cleaned, or None when absent.

    Raises
    ------
    ParamsError
        Not a mapping, an unknown or missing sub-key, or a value :func:`basemap_problem` refuses; the error
        names the file and the key (``basemap``, ``basemap.url`` …).

    Examples
    --------
    >>> check_basemap({"url": "https://karta.example.se/{z}/{x}/{y}.png", "attribution": "© X"}, "p.yaml")["url"]
    'https://karta.example.se/{z}/{x}/{y}.png'
    >>> check_basemap(None, "p.yaml") is None
    True
    >>> check_basemap({"url": "https://karta.example.se/{z}/{x}/{y}.png", "attribution": "© X", "layer": 1}, "p.yaml")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: p.yaml, column 'basemap.layer': unknown key 'layer' under basemap. Fix: basemap takes only url and attribution.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ParamsError(file, f"basemap must hold url and attribution, got {plain(value)}",
                          'write basemap:, then indented url: "https://…/{z}/{x}/{y}.png" and attribution: "© …"',
                          column="basemap")
    unknown = sorted(set(map(str, value)) - set(BASEMAP_PARAMS))
    if unknown:
        raise ParamsError(file, f"unknown key {plain(unknown[0])} under basemap", "basemap takes only url and attribution",
                          column=f"basemap.{unknown[0]}")
    for key in BASEMAP_PARAMS:
        if key not in value:
            raise ParamsError(file, f"basemap has no {key}", "give both url and attribution (or remove basemap)",
                              column=f"basemap.{key}")
    problem = basemap_problem(value["url"], value["attribution"])
    if problem is not None:
        raise ParamsError(file, problem[1], problem[2], column=f"basemap.{problem[0]}")
    return {"url": value["url"].strip(), "attribution": value["attribution"].strip()}


def check_decision(value: Any, file: str | Path) -> dict[str, str] | None:
    """Check the ``beslut:`` entry of a kommun's YAML; return it cleaned (date as ISO text), or None when absent.

    Raises
    ------
    ParamsError
        Not a mapping, an unknown sub-key, a status other than utkast/beslutad, a date that is not a date,
        "beslutad" without a date, or a body or diarienummer that is not text; names the key.

    Examples
    --------
    >>> import datetime
    >>> check_decision({"status": "beslutad", "datum": datetime.date(2026, 11, 30), "diarienummer": "KS 2026/123"}, "p.yaml")
    {'status': 'beslutad', 'datum': '2026-11-30', 'diarienummer': 'KS 2026/123'}
    >>> check_decision(None, "p.yaml") is None
    True
    >>> check_decision({"status": "beslutad"}, "p.yaml")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: p.yaml, column 'beslut.datum': beslut has status beslutad but no datum. Fix: add the date of the decision, e.g. datum: 2026-11-30.
    """
    import datetime

    if value is None:
        return None
    if not isinstance(value, dict):
        raise ParamsError(file, f"beslut must hold status and, when decided, datum; got {plain(value)}",
                          "write beslut:, then indented status: utkast (or status: beslutad and datum: 2026-11-30)",
                          column="beslut")
    unknown = sorted(set(map(str, value)) - set(DECISION_KEYS))
    if unknown:
        raise ParamsError(file, f"unknown key {plain(unknown[0])} under beslut",
                          f"beslut takes only {', '.join(DECISION_KEYS)}", column=f"beslut.{unknown[0]}")
    status = value.get("status")
    if status not in DECISION_STATUSES:
        raise ParamsError(file, f"beslut.status is {plain(status)}", "write status: utkast or status: beslutad",
                          column="beslut.status")
    out = {"status": status}
    when = value.get("datum")
    if when is not None:
        if isinstance(when, datetime.datetime) or not isinstance(when, datetime.date | str):
            raise ParamsError(file, f"beslut.datum {plain(when)} is not a date", "write the date as 2026-11-30",
                              column="beslut.datum")
        try:
            out["datum"] = (when if isinstance(when, datetime.date) else datetime.date.fromisoformat(when.strip())).isoformat()
        except ValueError:
            raise ParamsError(file, f"beslut.datum {plain(when)} is not a date", "write the date as 2026-11-30",
                              column="beslut.datum") from None
    elif status == "beslutad":
        raise ParamsError(file, "beslut has status beslutad but no datum",
                          "add the date of the decision, e.g. datum: 2026-11-30", column="beslut.datum")
    for key in ("organ", "diarienummer"):
        if key in value:
            if not isinstance(value[key], str) or not value[key].strip():
                raise ParamsError(file, f"beslut.{key} must be a non-empty text, got {plain(value[key])}",
                                  f'write it quoted, e.g. {key}: "{"KS 2026/123" if key == "diarienummer" else "kommunstyrelsen"}"',
                                  column=f"beslut.{key}")
            out[key] = value[key].strip()
    return out


def basemap_parameters(basemap_url: Any, basemap_attribution: Any, where: str | Path = "notebook parameters"):
    """The basemap a report's parameters ask for, checked: a :class:`lagesbild.render.mapref.Basemap`, or None.

    Both empty means no basemap (the default: nothing is loaded from the network). A notebook calls
    this first, so a bad value stops the run before anything else happens.

    Raises
    ------
    ParamsError
        A value :func:`basemap_problem` refuses, or an attribution without a URL; names the parameter.

    Examples
    --------
    >>> basemap_parameters("", "") is None
    True
    >>> basemap_parameters("https://karta.example.se/{z}/{x}/{y}.png", "© X").host
    'karta.example.se'
    >>> basemap_parameters("", "© X")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: notebook parameters, column 'basemap_url': basemap_attribution is set but basemap_url is empty. Fix: give the tile URL too, or leave both empty for no basemap.
    """
    if basemap_url in ("", None) and basemap_attribution in ("", None):
        return None
    if basemap_url in ("", None):
        raise ParamsError(where, "basemap_attribution is set but basemap_url is empty",
                          "give the tile URL too, or leave both empty for no basemap", column="basemap_url")
    problem = basemap_problem(basemap_url, basemap_attribution)
    if problem is not None:
        raise ParamsError(where, problem[1], problem[2], column=BASEMAP_PARAMS[problem[0]])
    from lagesbild.render.mapref import Basemap

    return Basemap(basemap_url.strip(), basemap_attribution.strip())


def load_config(code: str, kommuner: pd.DataFrame, params_dir: str | Path = PARAMS) -> KommunConfig:
    """The configuration of one kommun: its YAML when there is one, else defaults.

    Parameters
    ----------
    code : str
        Four-digit kommun code.
    kommuner : pandas.DataFrame
        The kommun table (``kommun_kod, kommun, lan_kod, lan``).
    params_dir : str or Path
        Folder of YAML files.

    Returns
    -------
    KommunConfig

    Raises
    ------
    ParamsError
    """
    code = check_kommun_code(code, "--kommun", kommuner, key="--kommun")
    row = kommuner.set_index("kommun_kod").loc[code]
    cfg = KommunConfig(kommun=code, name=str(row["kommun"]), lan_kod=str(row["lan_kod"]), lan=str(row["lan"]))
    path = params_files(params_dir).get(code)
    if path is None:
        return cfg
    try:
        data = strict_yaml(path.read_text(encoding="utf-8"))
    except DuplicateKeyError as exc:
        raise ParamsError(path, exc.problem, "keep one of them: merge the two entries into one",
                          row=exc.problem_mark.line + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})", "fix the YAML syntax (indentation, colons, quotes)",
                          row=mark.line + 1 if mark else None) from exc
    except UnicodeDecodeError as exc:
        raise ParamsError(path, "the file is not UTF-8", "save it as UTF-8") from exc
    if not isinstance(data, dict):
        raise ParamsError(path, "the file does not hold key: value pairs", "start with kommun: \"<code>\"")
    unknown = sorted(set(map(str, data)) - ALLOWED_KEYS)
    if unknown:
        raise ParamsError(path, f"unknown key {plain(unknown[0])}", f"allowed keys are {', '.join(sorted(ALLOWED_KEYS))}", column=unknown[0])
    if "kommun" not in data:
        raise ParamsError(path, "the key 'kommun' is missing", f'add kommun: "{code}"', column="kommun")
    if check_kommun_code(data["kommun"], path, kommuner) != code:
        raise ParamsError(path, f"kommun {plain(data['kommun'])} does not match the file name's code {code}", "rename the file or correct the code", column="kommun")
    if "name" in data:
        if not isinstance(data["name"], str) or not data["name"].strip():
            raise ParamsError(path, "name must be a non-empty text", "write e.g. name: Helsingborg", column="name")
        cfg.name = data["name"].strip()
    cfg.focus_areas = _str_list(data.get("focus_areas"), path, "focus_areas")
    cfg.peers = _str_list(data.get("peers"), path, "peers")
    for p in cfg.peers:
        check_kommun_code(p, path, kommuner, key="peers")
    reports = data.get("reports") or {}
    if not isinstance(reports, dict) or not all(isinstance(v, dict) for v in reports.values()):
        raise ParamsError(path, "reports must map report names to their parameters", "write reports: {crime_trends: {key: value}}", column="reports")
    for report in reports:
        if str(report) not in REPORTS_BY_NAME:
            raise ParamsError(path, f"unknown report {plain(report)}",
                              f"use the name of a report: {', '.join(REPORTS_BY_NAME)}", column=f"reports.{report}")
    cfg.reports = {str(k): dict(v) for k, v in reports.items()}
    cfg.basemap = check_basemap(data.get("basemap"), path)
    cfg.decision = check_decision(data.get("beslut"), path)
    cfg.source, cfg.path = path.name, str(path)
    return cfg


_TYPES: dict[str, Any] = {"str": str, "int": int, "float": float, "bool": bool, "list": list, "dict": dict,
                          "None": type(None), "Optional": __import__("typing").Optional}


def notebook_parameters(report: str) -> dict[str, dict]:
    """The parameters a report's notebook declares in its ``parameters`` cell.

    Read as papermill's ``inspect_notebook`` reads them (a test checks they agree for every notebook),
    but from the notebook's JSON with :mod:`ast`: importing papermill costs more than a second (its
    notebook validation compiles URI grammars), which a rebuild of one report should not pay.

    Returns
    -------
    dict
        name → ``{"type": str, "default": str, "help": str}``: the annotation, the default value and the
        comment after it, each as written.
    """
    import json

    nb = json.loads(notebook_path(report).read_text(encoding="utf-8"))
    cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    return parameters_cell("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])


def parameters_cell(source: str) -> dict[str, dict]:
    """The typed assignments of a ``parameters`` cell: name → type, default and help, as written.

    Examples
    --------
    >>> parameters_cell('# Parametrar\\nkommun: str = "2080"  # kommunkod\\nalpha: float = 0.05\\nx = 1')
    {'kommun': {'type': 'str', 'default': '"2080"', 'help': 'kommunkod'}, 'alpha': {'type': 'float', 'default': '0.05', 'help': ''}}
    """
    import ast

    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None):
            continue
        rest = lines[node.end_lineno - 1][node.end_col_offset:]
        comment = rest.split("#", 1)[1].strip() if "#" in rest else ""
        found[node.target.id] = {"type": ast.get_source_segment(source, node.annotation),
                                 "default": ast.get_source_segment(source, node.value), "help": comment}
    return found


def check_type(value: Any, type_name: str) -> bool:
    """Whether ``value`` matches a parameters-cell type annotation such as ``str`` or ``list[str]``.

    Examples
    --------
    >>> check_type(["a"], "list[str]"), check_type([1], "list[str]"), check_type(3, "float"), check_type(True, "int")
    (True, False, True, False)
    """
    from pydantic import TypeAdapter, ValidationError

    if type_name in ("None", ""):
        return True
    annotation = eval(type_name, {"__builtins__": {}}, _TYPES)  # names from our own notebooks only
    try:
        TypeAdapter(annotation).validate_python(value, strict=True)
    except ValidationError:
        if annotation is float and isinstance(value, int) and not isinstance(value, bool):
            return True
        return False
    return True


#: Parameters that come from the run itself (the file name, ``--data``, ``--out``), never from a YAML.
RUN_PARAMS = ("kommun", "data_dir", "reports_dir")


def build_parameters(report: str, cfg: KommunConfig, data_dir: str | Path, declared: dict[str, dict] | None = None,
                     reports_dir: str | Path | None = None) -> dict:
    """The parameters to pass to one report for one kommun, validated against the notebook.

    Common keys (``kommun``, ``focus_areas``, ``peers``) go to every notebook that declares them;
    ``data_dir`` too, and ``reports_dir`` (the run's output folder, where a summary reads the other
    reports' key figures) to a notebook that declares it; the YAML's ``basemap`` goes as ``basemap_url``
    and ``basemap_attribution`` to a notebook that declares ``basemap_url`` (the map reports), and to no
    other; ``reports.<report>`` entries must each be declared and of the declared type.

    Raises
    ------
    ParamsError
        An unknown parameter (papermill would only warn) or a value of the wrong type.
    """
    declared = declared if declared is not None else notebook_parameters(report)
    where = cfg.path or (cfg.source if cfg.source.endswith((".yaml", ".yml")) else f"parameters for {cfg.kommun}")
    values: dict[str, Any] = {"kommun": cfg.kommun, "data_dir": str(Path(data_dir).resolve())}
    if reports_dir is not None and "reports_dir" in declared:
        values["reports_dir"] = str(Path(reports_dir).resolve())
    values.update({k: getattr(cfg, k) for k in COMMON_PARAMS if k in declared})
    if cfg.basemap is not None and "basemap_url" in declared:
        values.update({name: cfg.basemap[key] for key, name in BASEMAP_PARAMS.items()})
    for key, value in cfg.reports.get(report, {}).items():
        if key in BASEMAP_PARAMS.values():
            raise ParamsError(where, f"reports.{report} cannot set {plain(key)}",
                              "the basemap is the kommun's, for all its maps: write it at the top level as basemap: "
                              "with url and attribution",
                              column=f"reports.{report}.{key}")
        if key in RUN_PARAMS:
            raise ParamsError(where, f"reports.{report} cannot set {plain(key)}",
                              f"{key} comes from the file name and the run (--kommun, --data, --out), not from a report "
                              "section",
                              column=f"reports.{report}.{key}")
        if key not in declared:
            raise ParamsError(where, f"{report} has no parameter {plain(key)}",
                              f"use one of {', '.join(sorted(declared))}", column=f"reports.{report}.{key}")
        values[key] = value
    for key, value in values.items():
        if key not in declared:
            raise ParamsError(notebook_path(report), f"the notebook does not declare the parameter {plain(key)}", "add it to the parameters cell", column=key)
        if not check_type(value, declared[key]["type"]):
            raise ParamsError(where, f"{key} must be {declared[key]['type']}, got {plain(value)}", f"give {key} a value of type {declared[key]['type']}", column=key)
    if any(name in values for name in BASEMAP_PARAMS.values()):
        basemap_parameters(values.get("basemap_url", ""), values.get("basemap_attribution", ""), where)
    check = VALUE_CHECKS.get(report)
    if check is not None:
        check(values, where)
    return values


def resolve(kommun: Any, kommuner: pd.DataFrame, focus_areas: list[str] | None = None,
            peers: list[str] | None = None) -> KommunConfig:
    """Check a notebook's own parameters (when run by hand in JupyterLab) and add name and län.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["2080", "2081"], "kommun": ["Falun", "Borlänge"], "lan_kod": ["20", "20"], "lan": ["Dalarnas län"] * 2})
    >>> c = resolve("2080", k)
    >>> c.name, c.lan, c.peers
    ('Falun', 'Dalarnas län', ['2081'])
    """
    code = check_kommun_code(kommun, "parameter kommun", kommuner)
    row = kommuner.set_index("kommun_kod").loc[code]
    peers = [check_kommun_code(p, "parameter peers", kommuner, key="peers") for p in (peers or [])]
    if not peers:
        peers = [c for c in kommuner.loc[kommuner["lan_kod"] == row["lan_kod"], "kommun_kod"] if c != code]
    return KommunConfig(kommun=code, name=str(row["kommun"]), lan_kod=str(row["lan_kod"]), lan=str(row["lan"]),
                        focus_areas=_str_list(focus_areas or [], Path("parameter focus_areas"), "focus_areas"), peers=peers,
                        source="notebook parameters")
