"""The command line ``python -m lagesbild.sources.fetch SOURCE``: arguments, the fetch, its one-line errors.

:func:`main` builds the :class:`~lagesbild.sources.fetch.common.Http` client, runs the source's
fetcher (:mod:`~lagesbild.sources.fetch.kolada`, :mod:`~lagesbild.sources.fetch.scb`,
:mod:`~lagesbild.sources.fetch.polisen`), writes what it staged with
:func:`~lagesbild.sources.fetch.common.commit` and prints the summary. Without network it prints one
line — ``error: could not reach api.kolada.se (…); the bundled data in data/raw is still used`` — and
exits with 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime

import pandas as pd

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA, DataDir
from lagesbild.sources import processed
from lagesbild.sources import public as sources
from lagesbild.sources.fetch.common import CACHE_MAX_AGE, FetchError, Http, commit
from lagesbild.sources.fetch.kolada import KOLADA, fetch_kolada
from lagesbild.sources.fetch.polisen import POLISEN, fetch_polisen
from lagesbild.sources.fetch.scb import SCB, fetch_scb


def parse_years(text: str) -> tuple[int, int]:
    """``--years``: ``2015-2024`` or one year ``2024``.

    Examples
    --------
    >>> parse_years("2015-2024"), parse_years("2024")
    ((2015, 2024), (2024, 2024))
    """
    m = re.fullmatch(r"\s*((?:19|20)\d{2})\s*(?:[-–]\s*((?:19|20)\d{2}))?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"{plain(text)} is not a year range; write e.g. 2015-2024 or 2024")
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if start > end:
        raise argparse.ArgumentTypeError(f"{plain(text)}: the first year is after the last")
    return start, end


def kommun_arg(text: str) -> str:
    """``--kommun``: a four-digit code of a Swedish kommun.

    Examples
    --------
    >>> kommun_arg("1283")
    '1283'
    """
    code = text.strip()
    if not sources.is_kommun_code(pd.Series([code])).iloc[0]:
        raise argparse.ArgumentTypeError(sources.kommun_code_problem(code) + " (four digits, e.g. 1283 Helsingborg)")
    return code


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m lagesbild.sources.fetch``.

    Examples
    --------
    >>> a = build_parser().parse_args(["kolada", "--kommun", "1283", "--years", "2020-2024"])
    >>> a.source, a.kommun, a.years
    ('kolada', ['1283'], (2020, 2024))
    """
    p = argparse.ArgumentParser(prog="python -m lagesbild.sources.fetch",
                                description="Fetch current data from Kolada, SCB or polisen.se into data/fetched/.")
    p.add_argument("source", choices=["kolada", "scb", "polisen"])
    who = p.add_mutually_exclusive_group()
    who.add_argument("--kommun", nargs="+", type=kommun_arg, metavar="CODE", help="four-digit kommun code(s)")
    who.add_argument("--all", action="store_true", help="every kommun (the default)")
    p.add_argument("--years", type=parse_years, metavar="FROM-TO", help="e.g. 2015-2024 (kolada, scb)")
    p.add_argument("--data", default=str(DATA), help="the data folder (with raw/); default: the bundled data/")
    p.add_argument("--refresh", action="store_true", help="download again even if the cache has an answer")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    p.add_argument("--retries", type=int, default=4, help="further attempts after a failed request (default 4)")
    p.add_argument("--base-url", help=f"another address of the API, a mirror or a test server (defaults: {KOLADA}, "
                                      f"{SCB}, {POLISEN})")
    return p


def main(argv: list[str] | None = None, http: Http | None = None) -> int:
    """Run ``python -m lagesbild.sources.fetch``; returns the exit code (0 ok, 1 failed, 2 bad arguments).

    Examples
    --------
    >>> main(["polisen", "--years", "2024"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.source == "polisen" and args.years:
        parser.error("--years does not apply to polisen: polisen.se/api/events serves only its latest events")
    this_year = datetime.now(UTC).year
    years = args.years or ((2015, this_year) if args.source == "kolada" else (2015, this_year - 1))
    data = DataDir(args.data)
    if http is None:
        http = Http(cache_dir=data.root / "cache", timeout=args.timeout, retries=max(args.retries, 0),
                    max_age=0 if args.refresh else CACHE_MAX_AGE)
    try:
        if args.source == "kolada":
            staged = fetch_kolada(data, http, args.kommun, years, base=args.base_url or KOLADA)
        elif args.source == "scb":
            staged = fetch_scb(data, http, args.kommun, years, base=args.base_url or SCB)
        else:
            staged = fetch_polisen(data, http, args.kommun, url=args.base_url or POLISEN)
        written = commit(staged, data)
    except FetchError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: could not write into {processed.fetched_dir(data)} ({exc.strerror or exc}); nothing was changed",
              file=sys.stderr)
        return 1
    for line in staged.summary:
        print(line)
    data_files = [p for p in written if not p.name.endswith(processed.PROVENANCE_SUFFIX)]
    print(f"wrote {len(data_files)} file(s) to {processed.fetched_dir(data)}; the reports use them from their next run")
    return 0
