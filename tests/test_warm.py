"""The warm engine (lagesbild.run.engines.warm, run through local.execute): isolation, errors, dead children, same reports."""

from __future__ import annotations

import os
import signal

import nbformat
import pytest

from lagesbild.core.paths import PROJ_ROOT
from lagesbild.run import jobs, local
from lagesbild.run.engines import ENGINES, warm

pytestmark = pytest.mark.skipif(not warm.available(), reason="the warm engine needs os.fork")


def notebook(path, *sources, parameters="x = 0"):
    cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, path)
    return path


def stdout_of(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


@pytest.fixture(scope="module", autouse=True)
def warm_parent():
    """This test process plays the warm worker; afterwards it must not look like an IPython session
    (report helpers display when ``get_ipython()`` finds a shell, which would change later doctests)."""
    warm.preload()
    yield
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.clear_instance()
    warm._SHELL = None


def test_one_report_cannot_change_what_the_next_one_sees(tmp_path):
    """A variable, a changed module attribute and a matplotlib setting made by one report are invisible to the next."""
    first = notebook(tmp_path / "a.ipynb",
                     "leaked = 42\nimport lagesbild.core.fmt as fmt\nfmt.NBSP = 'X'\n"
                     "import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9.0\nprint('set')")
    second = notebook(tmp_path / "b.ipynb",
                      "import lagesbild.core.fmt as fmt, matplotlib\n"
                      "print('leaked' in globals(), repr(fmt.NBSP), matplotlib.rcParams['lines.linewidth'])")
    assert stdout_of(warm.run_forked(warm.execute_notebook, first, {})) == "set\n"
    import matplotlib

    default_width = matplotlib.rcParams["lines.linewidth"]
    out = stdout_of(warm.run_forked(warm.execute_notebook, second, {}))
    assert out == f"False '\\xa0' {default_width}\n"
    assert default_width != 9.0


def test_parameters_are_injected_after_the_parameters_cell(tmp_path):
    nb = warm.run_forked(warm.execute_notebook, notebook(tmp_path / "p.ipynb", "print(x * 2)"), {"x": 21})
    assert stdout_of(nb) == "42\n"
    assert "injected-parameters" in nb.cells[1].metadata["tags"]


def test_a_failing_cell_comes_back_with_the_notebook_so_far(tmp_path):
    path = notebook(tmp_path / "e.ipynb", "print('before')", "raise ValueError('bad input in row 3')", "print('never')")
    with pytest.raises(warm.CellError) as info:
        warm.run_forked(warm.execute_notebook, path, {})
    err = info.value
    assert (err.ename, err.evalue) == ("ValueError", "bad input in row 3")
    outputs = [o for c in err.nb.cells for o in c.get("outputs", [])]
    assert outputs[-1]["output_type"] == "error" and "never" not in stdout_of(err.nb)


def test_rich_displays_become_display_data_and_a_silent_html_string_no_output(tmp_path):
    path = notebook(tmp_path / "d.ipynb",
                    "from lagesbild import report\nreport.heading('Rubrik', 1)",
                    "report.key_figures({'antal': 3})")
    nb = warm.run_forked(warm.execute_notebook, path, {})
    first = next(c for c in nb.cells if "Rubrik" in c.source).outputs
    assert [o["output_type"] for o in first] == ["display_data"] and "<h1" in first[0]["data"]["text/html"]
    from lagesbild.publish.export import extract_key_figures

    assert extract_key_figures(nb) == {"antal": 3}


def test_a_killed_child_is_an_error_not_a_hang():
    with pytest.raises(ChildProcessError, match="SIGKILL"):
        warm.run_forked(_kill_self)


def _kill_self():
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_report_leaves_no_half_written_file_and_keeps_the_old_report(tmp_path, monkeypatch):
    out = tmp_path / "out"
    todo, _ = jobs.plan(["2080"], ["crime_trends"], PROJ_ROOT / "data", out)
    (out / "2080").mkdir(parents=True)
    (out / "2080" / "crime_trends.html").write_text("GOOD OLD REPORT", encoding="utf-8")

    def dies_while_writing(job):  # runs in the forked child
        (out / "2080" / ".crime_trends.html.abc.tmp").write_text("half", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(warm, "_render_child", dies_while_writing)
    res = local.execute(todo[0], "warm")
    assert not res.ok and "killed by signal" in res.error
    assert sorted(p.name for p in (out / "2080").iterdir()) == ["crime_trends.html"]
    assert (out / "2080" / "crime_trends.html").read_text(encoding="utf-8") == "GOOD OLD REPORT"


def test_the_warm_engine_behind_the_interface(tmp_path, monkeypatch):
    """WarmEngine.render forks a child that executes and renders; a failing report is its Outcome, not a raise."""
    monkeypatch.setenv("LAGESBILD_PRELOAD_DATA", str(tmp_path))  # pool_context sets it only when unset
    engine = ENGINES["warm"]
    assert isinstance(engine, warm.WarmEngine) and engine.available()
    assert engine.pool_context(tmp_path).get_start_method() == "forkserver"
    job = jobs.Job("2080", "Falun", "", "nonexistent_report", {}, str(tmp_path), "")
    outcome = engine.render(job)
    assert not outcome.result.ok and outcome.result.error.startswith("FileNotFoundError")
    assert outcome.traceback and not list(tmp_path.iterdir())  # nothing written


def test_a_warm_up_leaves_nothing_a_report_could_see(tmp_path):
    """warm.warm_up runs a crime report in the process the children fork from, then puts back its state."""
    import matplotlib
    import numpy as np

    from lagesbild.core.paths import DATA

    shell = warm._shell()
    before = (set(shell.user_ns), os.getcwd(), dict(matplotlib.rcParams), np.random.get_state()[1].copy())
    assert warm.warm_up(DATA, "2080") > 0
    after = (set(shell.user_ns), os.getcwd(), dict(matplotlib.rcParams), np.random.get_state()[1])
    assert after[:3] == before[:3] and (after[3] == before[3]).all()
    probe = notebook(tmp_path / "probe.ipynb", "print(sorted(k for k in ('a', 'ds', 'cfg', 'ev') if k in globals()))")
    assert stdout_of(warm.run_forked(warm.execute_notebook, probe, {})) == "[]\n"
