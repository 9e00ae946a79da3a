"""A report figure's PNG: drawn once, and (for runs that leave cores idle) in a process of its own.

:func:`lagesbild.render.report.figure` shows a matplotlib figure as an inline PNG; this module draws it.
A figure with a layout engine is drawn once on its Agg canvas (:func:`png_laid_out`). With
:func:`figures_in_processes` on, each figure is drawn by a forked process while the notebook goes on, and
:func:`resolve_figures` puts the PNGs into the executed notebook before it is exported
(:func:`lagesbild.run.jobs.render_notebook`).
"""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Callable

#: Resolution of a report's PNG figures.
FIGURE_DPI = 150
#: zlib level of a report figure's PNG (:func:`png_laid_out`): level 6, Pillow's default, takes half as long
#: again to encode charts for 3 % smaller files.
PNG_COMPRESSION = 3

#: Placeholder of a figure drawn in a process of its own (:func:`figures_in_processes`): token → (pid, fd).
_PENDING: dict[str, tuple[int, int]] = {}
_IN_PROCESSES = False
_TOKEN = "lagesbild-pending-figure-"


def figures_in_processes(on: bool | Callable[[], bool] = True) -> None:
    """Draw each figure of this process in a forked process of its own, beside the notebook's next cells.

    For a report child of the warm engine when the run leaves cores idle (one kommun's reports: the
    runner decides, :mod:`lagesbild.run.local`): :func:`lagesbild.render.report.figure` then returns at once
    with a placeholder for the PNG, and :func:`resolve_figures` puts every PNG in before the page is exported.
    The PNGs are the bytes it would have drawn itself (the same code draws them; tested). Never in
    a Jupyter kernel: nothing there would resolve the placeholders. ``on`` may be a function asked at
    each figure (e.g. whether a core is idle now).
    """
    global _IN_PROCESSES
    _IN_PROCESSES = (on if callable(on) else bool(on)) if hasattr(os, "fork") else False


def png_bytes(fig) -> bytes:
    """The figure's PNG: drawn once on its canvas with a layout engine, else ``savefig`` with a tight box.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1), layout="constrained"); _ = fig.add_subplot().plot([1, 2])
    >>> png_bytes(fig)[1:4]
    b'PNG'
    """
    buffer = io.BytesIO()
    if fig.get_layout_engine() is not None:
        png_laid_out(fig, buffer, FIGURE_DPI)
    else:
        fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def png_base64(fig) -> str:
    """The figure's PNG as base64, or (with :func:`figures_in_processes`) a placeholder a forked process fills."""
    if not (_IN_PROCESSES() if callable(_IN_PROCESSES) else _IN_PROCESSES):
        return base64.b64encode(png_bytes(fig)).decode("ascii")
    token = f"{_TOKEN}{os.getpid()}-{len(_PENDING)}"
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the figure's process: draw, send, and end without running anything of the report's
        code = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as pipe:
                try:
                    payload = base64.b64encode(png_bytes(fig))
                except Exception as exc:  # noqa: BLE001 — sent to the report, which fails with it
                    payload = f"ERROR:{type(exc).__name__}: {exc}".encode()
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    _PENDING[token] = (pid, read_fd)
    return token


def resolve_figures(nb) -> int:
    """Put the PNG of every figure drawn in a process of its own into the notebook's outputs; how many.

    Waits for each figure's process. Nothing to do (0) unless :func:`figures_in_processes` was on.

    Examples
    --------
    >>> import nbformat
    >>> resolve_figures(nbformat.v4.new_notebook())
    0

    Raises
    ------
    RuntimeError
        A figure's process ended without its PNG (the report then fails; nothing is published).
    """
    drawn: dict[str, str] = {}
    for token, (pid, fd) in list(_PENDING.items()):
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        del _PENDING[token]
        if data.startswith(b"ERROR:"):
            raise RuntimeError(f"a figure could not be drawn: {data[6:].decode(errors='replace')}")
        if status != 0 or not data:
            raise RuntimeError(f"a figure could not be drawn: its process ended with status {status}")
        drawn[token] = data.decode("ascii")
    if not drawn:
        return 0
    pattern = re.compile("|".join(re.escape(t) for t in drawn))
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            value = data.get("text/html")
            text = "".join(value) if isinstance(value, list) else value
            if isinstance(text, str) and _TOKEN in text:
                data["text/html"] = pattern.sub(lambda m: drawn[m.group(0)], text)
    return len(drawn)


def png_laid_out(fig, buffer, dpi: int) -> None:
    """Write a figure with a layout engine (constrained layout) as PNG, drawing it once.

    ``savefig`` draws such a figure twice: a dry pass for the layout, then the real one, which lays it out
    again. Drawing the Agg canvas of a new figure at the target resolution does the layout and the rendering
    in one pass: the pixels ``savefig`` writes (tested), about 15 % less time per figure (``bench/README.md``).

    An opaque figure (every report figure: white background) is written as an RGB PNG, at zlib level
    :data:`PNG_COMPRESSION`: the same picture in 43 % less encoding time than ``savefig``'s RGBA at level 6, and 6 %
    smaller (measured on the figures of three real reports, issue 16; a plain line chart can come out a little
    larger). A figure with any transparency keeps its alpha channel.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESSION)


__all__ = ["FIGURE_DPI", "PNG_COMPRESSION", "figures_in_processes", "png_base64", "png_bytes", "png_laid_out", "resolve_figures"]
