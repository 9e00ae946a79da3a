"""``run_all.py``'s command line: the parser and :func:`main`, a thin wrapper over :func:`lagesbild.run.batch.run`.

The exit code is 0 only if every requested report was built, 1 if one failed (or the data or the
cluster could not be used), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lagesbild.core.errors import LagesbildError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA, PARAMS, REPORTS, available_reports
from lagesbild.run.batch import run
from lagesbild.run.engines import ENGINES


def parser() -> argparse.ArgumentParser:
    """The command line of ``run_all.py``.

    Examples
    --------
    >>> args = parser().parse_args(["--kommun", "1283", "--engine", "kernel"])
    >>> args.kommun, args.engine, args.report
    (['1283'], 'kernel', None)
    >>> parser().parse_args(["--kommun", "1283", "0114", "--kommun", "2080"]).kommun
    ['1283', '0114', '2080']
    """
    p = argparse.ArgumentParser(
        prog="run_all.py",
        description="Build lägesbild reports (HTML + JSON of key figures) for one, several or all kommuner.",
        epilog="Examples:  python run_all.py --kommun 1283   |   python run_all.py --configured --report crime_trends"
               "   |   python run_all.py --all --workers 2   |   python run_all.py --kommun 2080 --format html pdf docx",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--kommun", action="extend", nargs="+", metavar="CODE",
                     help="four-digit kommun code(s), e.g. --kommun 1283 0114 (or --kommun 1283 --kommun 0114)")
    who.add_argument("--all", action="store_true", help="all 290 kommuner (defaults from the kommun table where params/ has no YAML)")
    who.add_argument("--configured", action="store_true", help="every kommun that has a YAML in params/ (what `make reports` builds)")
    who.add_argument("--serve", action="store_true",
                     help="keep a warm server running (imports and data loaded once): run_all.py in another terminal "
                          "hands its work to it and starts at once (for rebuilding one kommun many times; see README)")
    p.add_argument("--idle-minutes", type=float, default=30.0, metavar="M",
                   help="with --serve: stop after M minutes without a command (default 30)")
    p.add_argument("--report", nargs="+", metavar="NAME",
                   help=f"report(s) to build (default: all: {', '.join(available_reports())})")
    p.add_argument("--data", default=str(DATA), metavar="DIR", help="data folder with raw/ (processed/ is built there); default: data/")
    p.add_argument("--out", default=str(REPORTS), metavar="DIR", help="output folder; default: reports/")
    p.add_argument("--params", default=str(PARAMS), metavar="DIR", help="folder of per-kommun YAML files; default: params/")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    p.add_argument("--force", action="store_true",
                   help="rebuild every report (default: only those whose notebook, library, parameters or data changed)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the jobs on an existing Dask distributed cluster instead of local worker processes "
                        "(workers need the same checkout and the data folder at the same path; see README)")
    p.add_argument("--format", nargs="+", default=["html"], metavar="FORMAT", dest="formats",
                   help="what to write: html (always), pdf (every report, A4 with title page, beside its HTML as "
                        "<report>.pdf) and docx (the lägesbild as Word, lagesbild.docx); e.g. --format html pdf docx. "
                        "Made from the published pages: an up-to-date report is converted without running it again "
                        "(unless its maps lack their print pictures). Default: html")
    p.add_argument("--engine", choices=list(ENGINES), default=None,
                   help="; ".join(f"{name}: {engine.description}" for name, engine in ENGINES.items()))
    return p


def outcome_line(summary, index: Path) -> str:
    """The run's one-line outcome: how many reports were built, how many were up to date, where the index is.

    Examples
    --------
    >>> from lagesbild.run.batch import Summary
    >>> from lagesbild.run.jobs import Result
    >>> ok = Result("2080", "crime_trends", True)
    >>> outcome_line(Summary([ok] * 5, 0.4, up_to_date=5), Path("/r/index.html"))
    '5 of 5 reports up to date, nothing to build (0.4 s) → /r/index.html'
    >>> outcome_line(Summary([ok] * 5, 3.25, up_to_date=3), Path("/r/index.html"))
    '2 of 5 reports built, 3 up to date, in 3.2 s → /r/index.html'
    >>> outcome_line(Summary([ok] * 5, 9.0, up_to_date=5, converted=5), Path("/r/index.html"))
    '5 of 5 reports up to date, PDF/Word written for 5 (9.0 s) → /r/index.html'
    """
    total, fresh = len(summary.results), summary.up_to_date
    built = total - len(summary.failures) - fresh
    files = f", PDF/Word written for {summary.converted}" if summary.converted else ""
    if total and fresh == total and not summary.converted:
        return f"{fresh} of {total} reports up to date, nothing to build ({summary.seconds:.1f} s) → {index}"
    if total and fresh == total:
        return f"{fresh} of {total} reports up to date{files} ({summary.seconds:.1f} s) → {index}"
    also = f", {fresh} up to date," if fresh else ""
    return f"{built} of {total} reports built{also}{files} in {summary.seconds:.1f} s → {index}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 only if every requested report was built)."""
    args = parser().parse_args(argv)
    from lagesbild.core.startup import defer_uri_grammars

    defer_uri_grammars()  # the kernel engine and the cluster client import nbformat here
    if args.serve:
        from lagesbild.run import server

        return server.serve(main, args.data, args.idle_minutes)
    from lagesbild.run import params
    from lagesbild.sources import processed

    reports = args.report or available_reports()
    unknown = [r for r in reports if r not in available_reports()]
    if unknown:
        print(f"error: unknown report {plain(unknown[0])}; available: {', '.join(available_reports())}", file=sys.stderr)
        return 2
    from lagesbild.publish.formats import FormatError, check_formats

    try:
        formats = check_formats(args.formats)
    except FormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        processed.build(args.data, log=lambda s: print(s, file=sys.stderr))
        if args.all:
            import pandas as pd

            kommuner = pd.read_parquet(Path(args.data).resolve() / "processed" / "kommuner.parquet")["kommun_kod"].tolist()
        elif args.configured:
            kommuner = list(params.params_files(args.params))
        else:
            kommuner = list(dict.fromkeys(args.kommun))
        summary = run(kommuner, reports, args.data, args.out, args.workers, args.params, progress=not args.no_progress,
                      engine=args.engine, scheduler=args.scheduler, force=args.force, formats=formats)
    except LagesbildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(outcome_line(summary, Path(args.out).resolve() / "index.html"))
    if summary.failures:
        print(f"{len(summary.failures)} failed:", file=sys.stderr)
        for r in sorted(summary.failures, key=lambda r: (r.kommun, r.report)):
            kept = f"  (executed notebook kept: {r.failed_notebook})" if r.failed_notebook else ""
            print(f"  {r.kommun} {r.report}: {r.error}{kept}", file=sys.stderr)
        return 1
    return 0
