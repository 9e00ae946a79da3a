"""Engines: how one report's notebook is executed, behind one small interface and one registry.

Modelled on papermill's engine registry (``papermill.engines.PapermillEngines``): each engine is an
object with a name, registered once in :data:`ENGINES`; the local pool (:mod:`lagesbild.run.local`)
and the Dask route (:mod:`lagesbild.run.dask`) look an engine up by name and call the same methods,
with no ``if engine == …`` anywhere:

``warm``    a pre-imported worker forks a fresh child per report (:mod:`lagesbild.run.engines.warm`; POSIX)
``kernel``  a fresh Jupyter kernel per report through papermill (:mod:`lagesbild.run.engines.kernel`)

A new engine is a class with the methods of :class:`Engine`, passed to :func:`register`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from lagesbild.core.errors import LagesbildError
from lagesbild.core.fmt import plain
from lagesbild.run.engines.kernel import KernelEngine
from lagesbild.run.engines.warm import WarmEngine

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from lagesbild.run.jobs import Job, Outcome


class EngineError(LagesbildError, ValueError):
    """An engine that is not registered, or not available on this platform."""


@runtime_checkable
class Engine(Protocol):
    """What the local pool and the Dask workers need from an engine."""

    #: The engine's name, the value of ``run_all.py --engine``.
    name: str
    #: One line for ``run_all.py --help``.
    description: str

    def available(self) -> bool:
        """Whether the engine can run on this platform."""

    def prepare(self, data_dir: str | Path | None = None) -> None:
        """Get a worker process ready for its jobs, once, before the first (e.g. import and load the data)."""

    def pool_context(self, data_dir: str | Path) -> BaseContext:
        """The multiprocessing context the local pool starts its workers with."""

    def render(self, job: Job) -> Outcome:
        """Execute one job and return its outcome; never raises for a failing report, writes nothing."""


#: Engine name → engine, in order of preference (:func:`default_engine` takes the first available).
ENGINES: dict[str, Engine] = {}


def register(engine: Engine) -> Engine:
    """Add ``engine`` to :data:`ENGINES` under its name (replacing one of the same name); return it.

    Raises
    ------
    TypeError
        ``engine`` lacks a method or attribute of :class:`Engine`.

    Examples
    --------
    >>> register(object())
    Traceback (most recent call last):
    ...
    TypeError: an engine needs name, description, available, prepare, pool_context and render; got object
    """
    if not isinstance(engine, Engine):
        raise TypeError("an engine needs name, description, available, prepare, pool_context and render; "
                        f"got {type(engine).__name__}")
    ENGINES[engine.name] = engine
    return engine


def get_engine(name: str) -> Engine:
    """The registered engine called ``name``, if it can run here.

    Raises
    ------
    EngineError
        No engine has that name (the message names the known ones), or it cannot run on this platform.

    Examples
    --------
    >>> get_engine("kernel").name
    'kernel'
    >>> get_engine("hot")
    Traceback (most recent call last):
    ...
    lagesbild.run.engines.EngineError: unknown engine 'hot'; the engines are warm, kernel
    """
    if name not in ENGINES:
        raise EngineError(f"unknown engine {plain(name)}; the engines are {', '.join(ENGINES)}")
    engine = ENGINES[name]
    if not engine.available():
        others = [n for n, e in ENGINES.items() if n != name and e.available()]
        raise EngineError(f"the {name} engine cannot run on this platform; use --engine {' or '.join(others)}")
    return engine


def default_engine() -> str:
    """The name of the first engine in :data:`ENGINES` that can run here: "warm" where the platform can
    fork, else "kernel".

    Examples
    --------
    >>> default_engine() == ("warm" if ENGINES["warm"].available() else "kernel")
    True
    """
    return next(name for name, engine in ENGINES.items() if engine.available())


register(WarmEngine())
register(KernelEngine())
