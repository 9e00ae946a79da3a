"""The warm server: the analyst's rebuild loop without start-up.

A run of ``run_all.py`` spends seconds before its first report: importing pandas, geopandas, SciPy,
statsmodels, matplotlib, folium and nbconvert, and loading the processed data. An analyst who rebuilds
one kommun many times a day pays that every time. ``python run_all.py --serve`` starts a process that
pays it once (:func:`lagesbild.run.engines.warm.preload`) and then waits; while it runs, ``run_all.py``
hands its whole command line to it (:func:`delegate`) instead of starting anew, the way build tools keep
a daemon (Gradle, Bazel):

* the server forks a *run process* per command: it gets the command's working directory, environment,
  standard output and error (passed over the socket), runs :func:`lagesbild.run.cli.main` exactly as
  ``run_all.py`` would (handed to :func:`serve`: this module imports nothing above it), and reports the
  exit code. Every report still runs in a child forked for it alone
  (:func:`lagesbild.run.local.run_forks`), so nothing one report does reaches the next, the server or a
  later command;
* the server refreshes its copy of the data before each command (a changed data folder is read
  again) and stops when the library changed since it started (the command then runs the usual way,
  with the new code), or after ``--idle-minutes`` without a command;
* the socket lives in a folder only the user can open (``$XDG_RUNTIME_DIR`` or the temp folder), one
  per checkout. Nothing listens on the network.

``run_all.py`` without a server, with ``--scheduler`` (a Dask cluster) or with ``--engine kernel`` runs as
before. This module's top level imports only the standard library: :func:`delegate` runs before
anything heavy is imported.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

_HEADER = 8  # bytes of the request's length
_MAX_SOCKET_PATH = 100
_MAX_REQUEST = 1 << 22


def socket_path() -> Path:
    """Where this checkout's server listens: ``<runtime dir>/lagesbild-<uid>/<checkout digest>.sock``.

    Examples
    --------
    >>> p = socket_path()
    >>> p.suffix, p.parent.name.startswith("lagesbild-")
    ('.sock', True)
    """
    from lagesbild.core.paths import PROJ_ROOT

    digest = hashlib.sha256(str(PROJ_ROOT.resolve()).encode()).hexdigest()[:16]
    for base in (os.environ.get("XDG_RUNTIME_DIR"), tempfile.gettempdir(), "/tmp"):
        path = Path(base or "/tmp") / f"lagesbild-{os.getuid()}" / f"{digest}.sock"
        if len(str(path)) <= _MAX_SOCKET_PATH:  # a Unix socket's path has a length limit (108 bytes on Linux)
            return path
    return path


def available() -> bool:
    """Whether this platform has Unix sockets and user ids (POSIX): elsewhere ``run_all.py`` runs without a server.

    Examples
    --------
    >>> available() == (hasattr(socket, "AF_UNIX") and hasattr(os, "getuid") and hasattr(os, "fork"))
    True
    """
    return hasattr(socket, "AF_UNIX") and hasattr(os, "getuid") and hasattr(os, "fork")


def eligible(argv: list[str]) -> bool:
    """Whether a command line may be handed to the server (not the server itself, a cluster or kernels).

    Examples
    --------
    >>> eligible(["--kommun", "1283"]), eligible(["--serve"]), eligible(["--all", "--engine", "kernel"])
    (True, False, False)
    """
    if "--serve" in argv or any(a == "--scheduler" or a.startswith("--scheduler=") for a in argv):
        return False
    return "kernel" not in [b for a, b in zip(argv, argv[1:], strict=False) if a == "--engine"] + [
        a.split("=", 1)[1] for a in argv if a.startswith("--engine=")]


# ============================================================================================
# the client (run_all.py)
# ============================================================================================


def delegate(argv: list[str], library: str | None = None) -> int | None:
    """Run ``run_all.py ARGV`` in the warm server if one is running; its exit code, or None to run here.

    None when no server listens, the command is not :func:`eligible`, or the server refused it (it runs
    an older library: it stops, and this command runs the usual way).

    Parameters
    ----------
    argv : list of str
        The command line without the program name.
    library : str, optional
        This checkout's :func:`lagesbild.run.fresh.library_digest` (computed when not given).
    """
    if not available() or not eligible(argv):
        return None
    path = socket_path()
    if not path.exists():
        return None
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(str(path))
    except OSError:
        return None  # a socket left behind by a server that is gone
    with sock:
        if library is None:
            from lagesbild.run.fresh import library_digest

            library = library_digest()
        payload = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "library": library}).encode()
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            socket.send_fds(sock, [len(payload).to_bytes(_HEADER, "big") + payload], [1, 2])
            answer = sock.makefile("rb").readline().decode().strip()
        except OSError as exc:
            print(f"warning: the warm server at {path} did not answer ({exc}); running without it", file=sys.stderr)
            return None
    kind, _, value = answer.partition(":")
    if kind == "exit":
        return int(value)
    if kind == "refused":
        print(f"note: the warm server stopped ({value}); running without it", file=sys.stderr)
        return None
    print(f"error: the warm server at {path} ended without an exit code; run again without it "
          f"(stop it with Ctrl-C in its terminal)", file=sys.stderr)
    return 1


# ============================================================================================
# the server (run_all.py --serve)
# ============================================================================================


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _, _ = socket.recv_fds(conn, 1 << 16, 2)
    if len(data) < _HEADER:
        raise OSError("a request without its length")
    size = int.from_bytes(data[:_HEADER], "big")
    if size > _MAX_REQUEST:
        raise OSError(f"a request of {size} bytes")
    body = bytearray(data[_HEADER:])
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise OSError("the request ended early")
        body += chunk
    return json.loads(bytes(body)), list(fds)


def _reap(children: set[int]) -> None:
    for pid in list(children):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            children.discard(pid)


def _run_command(conn: socket.socket, request: dict, fds: list[int], main) -> None:
    """In the forked run process: run the command with the client's output and environment; never returns."""
    code = 1
    try:
        for target, fd in zip((1, 2), fds, strict=False):
            os.dup2(fd, target)
            os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from lagesbild.run.local import WARM_PROCESS

        os.environ[WARM_PROCESS] = "1"
        sys.argv = ["run_all.py", *request["argv"]]
        code = main(request["argv"])
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 — the client gets the traceback and an exit code, the server lives on
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(f"exit:{code}\n".encode())
        finally:
            os._exit(0)


def _stop(*_) -> None:
    raise KeyboardInterrupt


def serve(main, data_dir: str | Path | None = None, idle_minutes: float = 30.0, log=None) -> int:
    """Preload, listen on :func:`socket_path` and run the commands :func:`delegate` hands over.

    Parameters
    ----------
    main : callable
        ``run_all.py``'s entry point (:func:`lagesbild.run.cli.main`): argv → exit code.
    data_dir : str or Path, optional
        The data folder to keep in memory (default ``data/``); commands may name another one, which
        their reports then read from disk.
    idle_minutes : float
        Stop after this long without a command.
    log : callable, optional
        Receives one line per event (default: print to stderr).

    Returns
    -------
    int
        The exit code: 0 when stopped (idle, library changed, Ctrl-C or SIGTERM), 1 when another server
        already listens for this checkout or the platform has no Unix sockets.
    """
    import signal

    from lagesbild.core.paths import DATA
    from lagesbild.run import fresh
    from lagesbild.run.engines import warm
    from lagesbild.sources import processed

    log = log or (lambda s: print(s, file=sys.stderr, flush=True))
    if not available():
        log("error: the warm server needs Unix sockets and fork (Linux, macOS); run run_all.py without --serve")
        return 1
    data_dir = Path(data_dir or DATA).resolve()
    path = socket_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    if path.exists():
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # left behind by a server that died
        else:
            probe.close()
            log(f"error: a warm server already runs for this checkout ({path})")
            return 1
    t0 = time.perf_counter()
    processed.build(data_dir, log=log)
    warm.preload(data_dir)
    first = processed.load(data_dir).kommuner["kommun_kod"].iloc[0]
    warm.warm_up(data_dir, first, log=log)
    # as the pool's fork server does (lagesbild.run._forkserver): the collector never walks the warm heap again, so
    # a report's child neither pays a full collection of it (0,3–0,6 s) nor copies its pages by touching them
    gc.freeze()
    library = fresh.library_digest()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.listen(8)
    sock.settimeout(2.0)
    signal.signal(signal.SIGTERM, _stop)
    log(f"lägesbild warm server: ready in {time.perf_counter() - t0:.1f} s ({gc.get_freeze_count()} objects frozen), "
        f"data {data_dir}; run_all.py in another "
        f"terminal now starts at once. Stops after {idle_minutes:g} minutes without a command, or Ctrl-C.")
    children: set[int] = set()
    last = time.monotonic()
    reason = "idle"
    try:
        while True:
            _reap(children)
            if not children and time.monotonic() - last > idle_minutes * 60:
                break
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            with conn:
                try:
                    request, fds = _receive(conn)
                except (OSError, ValueError) as exc:
                    log(f"ignored a request: {exc}")
                    continue
                current = fresh.library_digest.__wrapped__()
                if request.get("library") != library or current != library:
                    for fd in fds:
                        os.close(fd)
                    conn.sendall(b"refused:the library changed since the server started; start it again\n")
                    reason = "the library changed"
                    break
                processed.load(data_dir)  # a changed data folder is read again, once, here
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    sock.close()
                    _run_command(conn, request, fds, main)
                for fd in fds:
                    os.close(fd)
                children.add(pid)
                log(f"run_all.py {' '.join(request['argv'])}")
    except KeyboardInterrupt:
        reason = "stopped"
    finally:
        sock.close()
        path.unlink(missing_ok=True)
    log(f"lägesbild warm server: {reason}; stopped")
    return 0
