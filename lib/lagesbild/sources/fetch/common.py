"""What the three fetchers share: the error, the HTTP layer, and staging and writing files.

Requests go through :class:`Http`: a timeout, retries with exponential back-off on 429/5xx and
connection errors (``Retry-After`` is honoured), a User-Agent naming lägesbild, and a response cache
in ``data/cache/`` (so a re-run within a day does not download again). A fetcher returns a
:class:`Staged` (files and summary lines); nothing is written until everything has been downloaded
and parsed. Then :func:`commit` writes all files to temporary files and renames them into place,
and a failure while renaming puts back what was there. Every written file gets a
``<file>.provenance.json`` (:func:`_provenance`: source, URLs, fetch time, row counts and what the
source adds). A source that cannot be reached raises :class:`FetchError`, whose text is the one line
the command prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import requests

from lagesbild import __version__
from lagesbild.core.errors import LagesbildError
from lagesbild.core.files import atomic_write_bytes
from lagesbild.core.paths import DataDir
from lagesbild.sources import processed
from lagesbild.sources import public as sources

USER_AGENT = f"lagesbild/{__version__} (lägesbild report suite; fetches public statistics)"
#: Seconds a cached answer is used (a re-run within a day does not download again).
CACHE_MAX_AGE = 24 * 3600


class FetchError(LagesbildError):
    """A source could not be reached or did not answer usefully.

    Parameters
    ----------
    host : str
        The host that failed.
    reason : str
        Short reason (``connection refused``, ``HTTP 404 for …``).
    reached : bool
        Whether the host answered at all (an HTTP error) or not (no network).

    Examples
    --------
    >>> print(FetchError("api.kolada.se", "connection refused"))
    error: could not reach api.kolada.se (connection refused); the bundled data in data/raw is still used
    """

    def __init__(self, host: str, reason: str, reached: bool = False) -> None:
        self.host, self.reason, self.reached = host, reason, reached
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.reached:
            return (f"error: {self.host} did not give a usable answer ({self.reason}); nothing was changed, "
                    "the data already in data/ is still used")
        return f"error: could not reach {self.host} ({self.reason}); the bundled data in data/raw is still used"


def _short_reason(exc: Exception, timeout: float) -> str:
    if isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} s"
    m = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    if m:
        return m.group(1).strip().rstrip(".").lower()
    if "Name or service not known" in str(exc) or "NameResolution" in str(exc):
        return "name not resolved"
    return type(exc).__name__


@dataclass
class Http:
    """The one HTTP layer of the fetchers: timeout, retries with back-off, User-Agent, on-disk cache.

    Parameters
    ----------
    cache_dir : Path, optional
        Where answers are cached (keyed by method, URL and body); None: no cache.
    timeout : float
        Seconds to wait for a connection and for an answer.
    retries : int
        Further attempts after a connection error, a timeout, HTTP 429 or 5xx.
    backoff : float
        Seconds before the first retry; doubled each time (``Retry-After`` is honoured).
    max_age : float
        Seconds a cached answer is used; ``0`` always downloads (the answer is still stored).
    session : requests.Session, optional
    sleep : callable
        ``time.sleep``; tests pass a recorder.

    Examples
    --------
    >>> http = Http(cache_dir=None, retries=0)
    >>> http.session.headers["User-Agent"].startswith("lagesbild/")
    True
    """

    cache_dir: Path | None = None
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_age: float = CACHE_MAX_AGE
    session: requests.Session = field(default_factory=requests.Session)
    sleep: Callable[[float], None] = time.sleep
    urls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def get_json(self, url: str, params: dict | None = None, max_age: float | None = None):
        """GET ``url`` and parse its JSON (from the cache when fresh).

        Examples
        --------
        >>> Http(retries=0, timeout=1).get_json("http://127.0.0.1:9/x")
        Traceback (most recent call last):
        ...
        lagesbild.sources.fetch.common.FetchError: error: could not reach 127.0.0.1:9 (connection refused); the bundled data in data/raw is still used
        """
        return self._request("GET", url, params=params, body=None, max_age=max_age)

    def post_json(self, url: str, body: dict, params: dict | None = None, max_age: float | None = None):
        """POST the JSON ``body`` to ``url`` (with the query string ``params``) and parse the JSON answer.

        The answer comes from the cache when fresh; the cache key includes the query string and the body.

        Examples
        --------
        >>> Http(retries=0, timeout=1).post_json("http://127.0.0.1:9/x", {"selection": []}, params={"lang": "sv"})
        Traceback (most recent call last):
        ...
        lagesbild.sources.fetch.common.FetchError: error: could not reach 127.0.0.1:9 (connection refused); the bundled data in data/raw is still used
        """
        return self._request("POST", url, params=params, body=body, max_age=max_age)

    def _cache_path(self, method: str, url: str, body: dict | None) -> Path | None:
        if self.cache_dir is None:
            return None
        text = f"{method} {url}\n{json.dumps(body, sort_keys=True, ensure_ascii=False) if body is not None else ''}"
        return Path(self.cache_dir) / f"{hashlib.sha256(text.encode()).hexdigest()}.json"

    def _request(self, method: str, url: str, params: dict | None, body: dict | None, max_age: float | None):
        full = requests.Request(method, url, params=params).prepare().url
        host = urlsplit(full).netloc
        self.urls.append(full)
        cached = self._cache_path(method, full, body)
        age = self.max_age if max_age is None else max_age
        if cached is not None and cached.exists() and age > 0 and time.time() - cached.stat().st_mtime < age:
            return json.loads(cached.read_text(encoding="utf-8"))["body"]
        last = "no attempt"
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2 ** attempt
            try:
                r = self.session.request(method, full, json=body, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = _short_reason(exc, self.timeout)
                reached = False
            else:
                if r.status_code == 429 or r.status_code >= 500:
                    last, reached = _http_reason(r, full), True
                    retry_after = r.headers.get("Retry-After", "")
                    wait = float(retry_after) if retry_after.isdigit() else wait
                elif r.status_code >= 400:
                    raise FetchError(host, _http_reason(r, full), reached=True)
                else:
                    try:
                        parsed = r.json()
                    except ValueError as exc:
                        raise FetchError(host, f"the answer to {full} is not JSON", reached=True) from exc
                    if cached is not None:
                        atomic_write_bytes(cached, json.dumps({"url": full, "body": parsed}, ensure_ascii=False).encode())
                    return parsed
            if attempt < self.retries:
                self.sleep(wait)
        raise FetchError(host, last, reached=reached)


def _http_reason(response, url: str) -> str:
    """``HTTP <status> for <url>``, followed by the ``title`` of a problem-JSON answer (RFC 9457) if any.

    Examples
    --------
    >>> class R:
    ...     status_code = 404
    ...     def json(self): return {"type": "Parameter error", "title": "Non-existent table", "status": 404}
    >>> _http_reason(R(), "https://statistikdatabasen.scb.se/api/v2/tables/TAB1/metadata?lang=sv")
    'HTTP 404 for https://statistikdatabasen.scb.se/api/v2/tables/TAB1/metadata?lang=sv: Non-existent table'
    """
    reason = f"HTTP {response.status_code} for {url}"
    try:
        problem = response.json()
    except ValueError:  # not JSON (an HTML error page, an empty body)
        return reason
    title = problem.get("title") if isinstance(problem, dict) else None
    if isinstance(title, str) and title.strip():
        reason += f": {' '.join(title.split())}"
    return reason


def _chunks(items: Sequence, size: int) -> list[list]:
    """``items`` in consecutive pieces of at most ``size``.

    Examples
    --------
    >>> _chunks([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    """
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# ---------------------------------------------------------------------------------------------
# Staging, writing, provenance
# ---------------------------------------------------------------------------------------------

@dataclass
class Staged:
    """Files a fetch will write (relative to ``fetched/``), and what to report."""

    files: dict[str, bytes] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    def add(self, rel: str, content: bytes, prov: dict) -> None:
        self.files[rel] = content
        self.files[rel + processed.PROVENANCE_SUFFIX] = json.dumps(prov, indent=2, ensure_ascii=False).encode()


def commit(staged: Staged, data: DataDir) -> list[Path]:
    """Write every staged file into ``fetched/`` atomically: all of them, or none.

    Each file goes to a temporary file in its folder first; only when all are written are they
    renamed into place. If a rename fails, the files already replaced are put back (and new
    folders removed), so ``data/`` is as it was.

    Examples
    --------
    >>> import tempfile
    >>> d = DataDir(tempfile.mkdtemp()); s = Staged(); s.files["crime/a.csv"] = b"x"
    >>> [p.relative_to(d.root).as_posix() for p in commit(s, d)]
    ['fetched/crime/a.csv']
    """
    root = processed.fetched_dir(data)
    targets = {root / rel: content for rel, content in staged.files.items()}
    made_dirs = [p for p in {t.parent for t in targets} | {root} if not p.exists()]
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for target, content in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps[target] = Path(tmp)
            with os.fdopen(fd, "wb") as f:
                f.write(content)
        for target, tmp in temps.items():
            if target.exists():
                backup = target.with_name(f".{target.name}.bak")
                os.replace(target, backup)
                backups[target] = backup
            os.replace(tmp, target)
            done.append(target)
    except OSError:
        for target in done:
            target.unlink(missing_ok=True)
        for target, backup in backups.items():
            os.replace(backup, target)
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        for d in sorted(made_dirs, key=lambda p: len(p.parts), reverse=True):
            if d.exists() and not any(d.iterdir()):
                d.rmdir()
        raise
    for backup in backups.values():
        backup.unlink(missing_ok=True)
    return sorted(targets)


def _provenance(source: str, http: Http, first_url: int, rows: int, **extra) -> dict:
    return {"source": source, "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "urls": list(dict.fromkeys(http.urls[first_url:])), "rows": rows, "lagesbild_version": __version__, **extra}


def _scope(codes: list[str] | None) -> str:
    return "alla" if not codes else "_".join(sorted(codes)) if len(codes) <= 4 else f"{len(codes)}kommuner"


def _kommuner(data: DataDir) -> pd.DataFrame:
    return sources.load_kommuner(processed.raw_files(data, processed.KINDS["kommuner"])[0])
