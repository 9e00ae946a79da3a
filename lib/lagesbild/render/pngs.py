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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
    on = getattr(fig, _ON_BACKDROP, None)
    if on is not None:
        _png_on_backdrop(fig, buffer, *on)
    elif fig.get_layout_engine() is not None:
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
    canvas = _agg_canvas(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    _encode(canvas.get_renderer(), buffer, dpi)


def _agg_canvas(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def _encode(renderer, buffer, dpi: int) -> None:
    """The Agg renderer's pixels as PNG: RGB when opaque, at :data:`PNG_COMPRESSION` (see :func:`png_laid_out`)."""
    from PIL import Image

    width, height = int(renderer.width), int(renderer.height)
    image = Image.frombuffer("RGBA", (width, height), renderer.buffer_rgba(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESSION)


# --------------------------------------------------------------------------------------------
# backdrops: the part of a figure that many reports share, drawn once
# --------------------------------------------------------------------------------------------

#: Attribute of a figure drawn on a backdrop: (backdrop, overlay artists).
_ON_BACKDROP = "_lagesbild_on_backdrop"


@dataclass(frozen=True)
class Backdrop:
    """The pixels of what many figures share, drawn once, with the layout they were drawn with.

    A figure the reports draw for every kommun (the funnel plot over all kommuner) differs between
    kommuner only in a few artists (the own kommun, its group, the legend). Its shared part is drawn once
    per process (:func:`backdrop`); each kommun's figure then has its layout fixed to the backdrop's
    (:meth:`place`), and its PNG is the backdrop's pixels with only its own artists drawn over them
    (:func:`draw_on_backdrop`, :func:`png_bytes`).

    Attributes
    ----------
    region : matplotlib BufferRegion
        The backdrop's pixels at ``dpi``.
    size : tuple of int
        Width and height in pixels.
    dpi : int
    positions : tuple
        Each axes' position (figure fractions) and view limits, in the order of ``fig.axes``.
    texts : tuple
        Positions of the figure's suptitle, supxlabel and supylabel (None where it has none).
    """

    region: object
    size: tuple[int, int]
    dpi: int
    positions: tuple
    texts: tuple

    def place(self, fig) -> None:
        """Give ``fig`` (built like the backdrop's figure) the backdrop's layout: positions, limits, titles.

        Raises
        ------
        ValueError
            ``fig`` has another number of axes than the backdrop's figure.
        """
        if len(fig.axes) != len(self.positions):
            raise ValueError(f"the figure has {len(fig.axes)} axes, its backdrop {len(self.positions)}")
        fig.set_layout_engine("none")
        for ax, (position, xlim, ylim) in zip(fig.axes, self.positions, strict=True):
            ax.set_position(position)
            ax.set_xlim(xlim)
            ax.set_ylim(ylim)
        for text, xy in zip(_super_texts(fig), self.texts, strict=True):
            if text is not None and xy is not None:
                text.set_position(xy)


def _super_texts(fig) -> tuple:
    return tuple(getattr(fig, name, None) for name in ("_suptitle", "_supxlabel", "_supylabel"))


def backdrop(fig, hide: Sequence = (), dpi: int = FIGURE_DPI) -> Backdrop:
    """Draw ``fig`` once at ``dpi`` (its layout engine included), then again without ``hide``, and keep that.

    ``hide`` are artists that take part in the layout but are each figure's own (the legend, with a
    placeholder's labels): the layout makes room for them, the pixels leave them out. The figure's layout
    is fixed afterwards.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1), layout="constrained"); ax = fig.add_subplot(); _ = ax.plot([1, 2])
    >>> b = backdrop(fig, dpi=50)
    >>> b.size, len(b.positions)
    ((100, 50), 1)
    """
    canvas = _agg_canvas(fig)
    fig.set_dpi(dpi)
    canvas.draw()
    positions = tuple((ax.get_position().frozen(), ax.get_xlim(), ax.get_ylim()) for ax in fig.axes)
    texts = tuple(None if t is None else t.get_position() for t in _super_texts(fig))
    fig.set_layout_engine("none")
    for artist in hide:
        artist.set_visible(False)
    canvas.draw()
    return Backdrop(canvas.copy_from_bbox(fig.bbox), canvas.get_width_height(physical=True), dpi, positions, texts)


def draw_on_backdrop(fig, backdrop: Backdrop, overlay: Sequence) -> None:
    """Let ``fig``'s PNG be ``backdrop``'s pixels with only ``overlay`` drawn over them (by :func:`png_bytes`).

    ``fig`` gets the backdrop's layout (:meth:`Backdrop.place`). It stays a whole figure: drawn any other
    way (``savefig``) it shows everything it holds. Its own artists must be the last drawn in the whole
    figure (the highest ``zorder``): over the backdrop they are drawn after everything else.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> def build():
    ...     fig = Figure(figsize=(2, 1), layout="constrained"); ax = fig.add_subplot()
    ...     _ = ax.plot([1, 2]); return fig, ax
    >>> shared, _ = build()
    >>> b = backdrop(shared, dpi=50)
    >>> fig, ax = build()
    >>> draw_on_backdrop(fig, b, [ax.scatter([1.5], [1.5], zorder=5)])
    >>> png_bytes(fig)[1:4]
    b'PNG'
    """
    backdrop.place(fig)
    setattr(fig, _ON_BACKDROP, (backdrop, tuple(overlay)))


def _png_on_backdrop(fig, buffer, backdrop: Backdrop, overlay: Sequence) -> None:
    """Write the PNG of a figure of :func:`draw_on_backdrop`: the backdrop's pixels, then its own artists."""
    canvas = _agg_canvas(fig)
    fig.set_dpi(backdrop.dpi)
    renderer = canvas.get_renderer()
    if (int(renderer.width), int(renderer.height)) != tuple(backdrop.size):
        raise ValueError(f"the figure is {int(renderer.width)} × {int(renderer.height)} px, its backdrop "
                         f"{backdrop.size[0]} × {backdrop.size[1]} px: build it with the backdrop's size")
    renderer.clear()
    renderer.restore_region(backdrop.region)
    for artist in overlay:
        if artist.get_visible():
            artist.draw(renderer)
    _encode(renderer, buffer, backdrop.dpi)


__all__ = [
    "FIGURE_DPI", "PNG_COMPRESSION", "Backdrop", "backdrop", "draw_on_backdrop", "figures_in_processes", "png_base64",
    "png_bytes", "png_laid_out", "resolve_figures",
]
