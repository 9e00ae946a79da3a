"""Exceptions that tell the user what is wrong, where, and how to fix it.

Every error a user can cause by their input is an :class:`InputError`: it names the file, the
row (as a spreadsheet shows it, header = row 1), the column, what is wrong and the fix. The
runner prints ``str(error)`` and never a traceback for these.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.core.fmt import plain


class LagesbildError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(LagesbildError):
    """Bad input data or configuration.

    Parameters
    ----------
    file : str or Path
        The file the problem is in.
    problem : str
        What is wrong, in one sentence.
    fix : str
        What the user should do.
    row : int, optional
        Row number as a spreadsheet shows it (the header is row 1, the first data row is row 2).
    column : str, optional
        Column (or YAML key) name.

    Examples
    --------
    >>> e = InputError("data/raw/x.csv", "value is negative", "counts cannot be negative", row=5, column="value")
    >>> print(e)
    data/raw/x.csv, row 5, column 'value': value is negative. Fix: counts cannot be negative.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        fix: str,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem.rstrip(".")
        self.fix = fix.rstrip(".")
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {plain(self.column)}")
        return f"{', '.join(where)}: {self.problem}. Fix: {self.fix}."

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (self.file, self.problem, self.fix, self.row, self.column))


class ParamsError(InputError):
    """Bad parameters: a YAML file in ``params/`` or values passed to a notebook."""
