"""The analyst's rebuild loop and the national run, side by side in one run (issue 16's goals).

Phases, each a ``run_all.py`` command line timed from outside (wall seconds, the process tree's peak
PSS sampled every 0.1 s), all for one kommun (default 1283 Helsingborg, whose five reports all have data):

1. the naive loop for ONE report (papermill CLI, then nbconvert CLI), the yardstick;
2. ours without a server: all five reports into a fresh folder; one report into a fresh folder; the
   same five again with nothing changed; after a change of one parameter in the kommun's YAML;
3. the same with the warm server running (``run_all.py --serve``, started and warmed up untimed);
4. with ``--national``: ``run_all.py --all`` (290 kommuner × 5 reports) into a fresh folder, no server.

Performance is measured here and written down in ``bench/README.md``; never in timed tests.

Usage::

    .venv/bin/python bench/bench_rebuild.py [--kommun 1283] [--repeat 2] [--national] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_reports as br  # noqa: E402 — the naive loop and the memory sampler are shared

from lagesbild.core.paths import PARAMS, PROJ_ROOT  # noqa: E402

REPORT = "crime_trends"
#: Seconds between two samples of the process tree's memory: each sample reads every process's smaps_rollup
#: (≈ 7 ms a process); every 0,1 s that took 264 s of CPU from a 14-minute national run, so half a second.
MEMORY_INTERVAL = 0.5


def run_all(args: list[str], env: dict, memory: bool = False) -> tuple[float, float, str]:
    """Wall seconds, peak PSS (MB; with ``memory``, else NaN) of the process tree, and the last line of stdout.

    Memory is sampled only where asked: reading every process's smaps ten times a second costs CPU that the
    two cores would otherwise give the run (the rebuild-loop phases are timed without it; the national run is
    timed in one run and its memory sampled in another, and the sampler's own CPU seconds are printed).
    """
    cmd = [sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args]
    sampler = br.PeakRSS(interval=MEMORY_INTERVAL) if memory else None
    if sampler:
        sampler.__enter__()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=PROJ_ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if sampler:
        sampler.__exit__(None, None, None)
        print(f"  memory sampler: {sampler.cpu_seconds:.1f} s CPU of its own over {wall:.0f} s", file=sys.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return wall, sampler.peak_pss_mb if sampler else float("nan"), (proc.stdout.strip().splitlines() or [""])[-1]


def loop(kommun: str, work: Path, env: dict, repeat: int) -> list[dict]:
    """The four rebuild phases; the YAML change edits a copy of params/."""
    params = work / "params"
    shutil.copytree(PARAMS, params, dirs_exist_ok=True)
    yaml = next(params.glob(f"{kommun}_*.yaml"))
    original = yaml.read_text(encoding="utf-8")
    rows = []

    def phase(name: str, args: list[str], fresh: bool, before=None) -> None:
        walls, pss, line = [], [], ""
        for i in range(repeat):
            out = work / f"out-{name.split()[0]}-{i}" if fresh else work / "out-loop"
            if before:
                before(i)
            wall, peak, line = run_all(["--kommun", kommun, "--params", str(params), "--out", str(out), *args], env)
            walls.append(wall)
            pss.append(peak)
        rows.append({"phase": name, "wall": statistics.mean(walls), "walls": walls, "pss": max(pss), "line": line})

    phase("five reports, fresh folder", [], fresh=True)
    phase("one report, fresh folder", ["--report", REPORT], fresh=True)
    run_all(["--kommun", kommun, "--params", str(params), "--out", str(work / "out-loop")], env)  # the loop's folder
    phase("five reports, nothing changed", [], fresh=False)

    def change(i: int) -> None:  # a different alpha each time: crime_trends and the lägesbild are rebuilt
        text = original.replace("reports:\n", f"reports:\n  crime_trends:\n    alpha: {0.01 + 0.001 * i}\n", 1)
        yaml.write_text(text, encoding="utf-8")

    phase("five reports, one YAML parameter changed", [], fresh=False, before=change)
    yaml.write_text(original, encoding="utf-8")
    return rows


def start_server(env: dict) -> subprocess.Popen:
    log = Path(env["XDG_RUNTIME_DIR"]) / "server.log"
    proc = subprocess.Popen([sys.executable, str(PROJ_ROOT / "run_all.py"), "--serve", "--idle-minutes", "30"],
                            cwd=PROJ_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))  # noqa: SIM115
    while "ready in" not in log.read_text(encoding="utf-8"):
        if proc.poll() is not None:
            raise SystemExit(log.read_text(encoding="utf-8"))
        time.sleep(0.2)
    print("  " + log.read_text(encoding="utf-8").strip().splitlines()[-1], file=sys.stderr)
    return proc


def inside(kommun: str, report: str = REPORT) -> None:
    """Where one report's time goes in a warm child: preload, warm-up, then per cell, per figure and the export."""
    import resource

    from lagesbild.core.paths import DATA, notebook_path
    from lagesbild.core.startup import defer_uri_grammars
    from lagesbild.render import report as rr
    from lagesbild.run import jobs
    from lagesbild.run.engines import warm

    defer_uri_grammars()
    t0 = time.perf_counter()
    warm.preload(DATA)
    t1 = time.perf_counter()
    warmed = warm.warm_up(DATA, kommun)
    print(f"\n== inside one report ({kommun} {report}), warm engine: preload {t1 - t0:.2f} s, warm-up "
          f"{warmed or 0:.2f} s (once per run or server)")

    def child(job):
        cells, figures = [], []
        shell, figure = warm._shell(), rr.figure
        run_cell = shell.run_cell

        def timed_cell(src, *a, **k):
            t = time.perf_counter()
            result = run_cell(src, *a, **k)
            cells.append((time.perf_counter() - t, (src.strip().splitlines() or [""])[0][:70]))
            return result

        def timed_figure(fig, *a, **k):
            t = time.perf_counter()
            axes = len([ax for ax in fig.axes if ax.get_visible()])
            out = figure(fig, *a, **k)
            figures.append((time.perf_counter() - t, axes))
            return out

        shell.run_cell, rr.figure = timed_cell, timed_figure
        t = time.perf_counter()
        nb = warm.execute_notebook(notebook_path(job.report), job.parameters, cwd=notebook_path(job.report).parent)
        executed = time.perf_counter()
        jobs.render_notebook(job, nb, t)
        return (executed - t, time.perf_counter() - executed, cells, figures,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    with tempfile.TemporaryDirectory() as out:
        todo, _ = jobs.plan([kommun], [report], DATA, out)
        execute, export, cells, figures, maxrss = warm.run_forked(child, todo[0])
    print(f"execute {execute:.2f} s (of which {len(figures)} figures drawn to PNG {sum(f for f, _ in figures):.2f} s), "
          f"export {export:.2f} s, child peak RSS {maxrss:.0f} MB")
    for seconds, first in sorted(cells, reverse=True)[:6]:
        print(f"  cell {seconds:5.2f} s  {first}")
    for seconds, axes in figures:
        print(f"  figure {seconds:5.2f} s  {axes} panels")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kommun", default="1283")
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--workers", type=int, default=2, help="for the national run")
    p.add_argument("--national", action="store_true", help="also run_all.py --all (≈ 10 minutes)")
    p.add_argument("--national-only", action="store_true", help="the yardstick and the national runs, no loop phases")
    p.add_argument("--inside", action="store_true", help="only look inside one report (warm child, per cell and figure)")
    p.add_argument("--report", default=REPORT, help="the report --inside looks at")
    args = p.parse_args(argv)
    print("\n".join(br.machine()))
    if args.inside:
        inside(args.kommun, args.report)
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-rebuild-"))
    runtime = work / "runtime"
    runtime.mkdir()
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))  # no analyst's server is used
    try:
        params = br.job_parameters([args.kommun], work / "naive")
        br.naive_one(args.kommun, params[args.kommun], work / "naive-warmup")  # fills the file cache, untimed
        naive = [sum(br.naive_one(args.kommun, params[args.kommun], work / f"naive-{i}")) for i in range(args.repeat)]
        yardstick = statistics.mean(naive)
        rows = [{"phase": f"naive: papermill CLI + nbconvert CLI, one {REPORT}", "wall": yardstick, "walls": naive,
                 "pss": float("nan"), "line": ""}]
        if not args.national_only:
            rows += [dict(r, phase="no server: " + r["phase"])
                     for r in loop(args.kommun, work / "cold", env, args.repeat)]
            server = start_server(env)
            try:
                rows += [dict(r, phase="warm server: " + r["phase"])
                         for r in loop(args.kommun, work / "warm", env, args.repeat)]
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=60)
        if args.national or args.national_only:
            for memory in (False, True):  # timed alone, then again with the process tree's memory sampled
                out = work / ("national-memory" if memory else "national")
                wall, peak, line = run_all(["--all", "--out", str(out), "--workers", str(args.workers)], env,
                                           memory=memory)
                shutil.rmtree(out, ignore_errors=True)
                what = f"peak PSS sampled every {MEMORY_INTERVAL:g} s" if memory else "timed, no sampling"
                print(f"  {what}: {wall:.1f} s, peak PSS {peak:.0f} MB, {line}", file=sys.stderr, flush=True)
                rows.append({"phase": f"national: run_all.py --all --workers {args.workers} (1 450 reports; {what})",
                             "wall": wall, "walls": [wall], "pss": peak, "line": line})
        print(f"\n| phase | wall s (mean of {args.repeat}) | × naive | peak PSS MB | run_all.py says |")
        print("|---|---:|---:|---:|---|")
        for r in rows:
            pss = "" if r["pss"] != r["pss"] else f"{r['pss']:.0f}"
            print(f"| {r['phase']} | {r['wall']:.2f} ({', '.join(f'{w:.2f}' for w in r['walls'])}) | "
                  f"{r['wall'] / yardstick:.2f} | {pss} | {r['line'].split(' → ')[0]} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
