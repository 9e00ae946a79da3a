"""The kommun's own texts in the lägesbild: one Markdown file per section, found, read and checked.

The numbers come from the suite; the conclusions, dialogues and causes come from people. A kommun's
YAML may point the lägesbild at a folder of Markdown files (``reports: lagesbild: texts: "<folder>"``),
one per section of the report (:data:`TEXT_SECTIONS`):

``sammanfattning.md``     under "Det viktigaste"
``kartlaggning.md``       under "1. Kartläggning"
``annan_information.md``  under "2. Annan information"
``analys.md``             under "3. Analys"
``atgardsplan.md``        under the åtgärdsplan in "3. Analys"
``uppfoljning.md``        under "4. Uppföljning"

Every file is optional: a missing (or empty) file means no text in that section, and nothing is said
about it. Another Markdown or text file (``Analys.md``, ``analys.txt``, ``slutsatser.md`` …) is an
error that names it and lists the allowed names, so a misspelt file is never silently left out.
``README.md`` (for the people who write the texts) and ``metadata.yaml`` (the keys of
:data:`lagesbild.inputs.folders.METADATA_KEYS`; ``exempeldata: true`` marks invented example text,
which the report then labels as such) are allowed; other files (pictures, Word files) are ignored.
The files are UTF-8, with or without a byte-order mark.

This module only reads and checks; :mod:`lagesbild.render.markdown` turns a text into safe HTML. The
folder and every file read are recorded (:mod:`lagesbild.core.reads`), so editing a text rebuilds the
lägesbild. The documented template folder, with guiding example texts, is written by
:func:`write_templates` to ``data/templates/lagesbild_texter/``.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "analys.md").write_text("Våldet i **centrum** har ökat.", encoding="utf-8")
>>> own = load_texts(str(d))
>>> own.text("analys"), own.text("sammanfattning"), own.label("analys")
('Våldet i **centrum** har ökat.', '', 'Kommunens egen text (analys.md)')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.files import atomic_write_text
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA, PROJ_ROOT, input_folder
from lagesbild.inputs.folders import EXAMPLE_MARK, read_metadata, read_metadata_defaults
from lagesbild.summary.texts_template import README, TEMPLATE_METADATA, TEMPLATE_TEXTS

#: The report's sections that may carry the kommun's own text: file stem → where it is shown (Swedish).
TEXT_SECTIONS: dict[str, str] = {
    "sammanfattning": "Det viktigaste",
    "kartlaggning": "1. Kartläggning",
    "annan_information": "2. Annan information",
    "analys": "3. Analys",
    "atgardsplan": "åtgärdsplanen i 3. Analys",
    "uppfoljning": "4. Uppföljning",
}
#: The allowed file names, in the report's order.
TEXT_FILE_NAMES: tuple[str, ...] = tuple(f"{s}.md" for s in TEXT_SECTIONS)
#: Suffixes of files that are checked as would-be texts (a near miss such as ``analys.txt`` is an error).
TEXT_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text")
#: Files a texts folder may hold besides the texts (compared case-insensitively).
OTHER_TEXT_FILES: tuple[str, ...] = ("readme.md", "metadata.yaml")
#: Largest text file read (bytes): a section's text is a few paragraphs, not a document.
MAX_TEXT_BYTES = 200_000
#: The documented template folder with guiding example texts (labelled as example text: its metadata.yaml).
TEXTS_TEMPLATE = DATA / "templates" / "lagesbild_texter"

#: The label of a box with the kommun's text, and of one with invented example text.
OWN_TEXT_LABEL = "Kommunens egen text ({file})"
EXAMPLE_TEXT_LABEL = "EXEMPELTEXT, inte kommunens egen ({file})"


def texts_folder(value: str | Path = "") -> Path | None:
    """The folder the lägesbild reads the kommun's texts from, or None when ``value`` is empty.

    A relative path is relative to the project root, like every other folder parameter
    (:func:`lagesbild.core.paths.input_folder`). The folder is recorded as read (also when it is
    missing: creating it must rebuild the report).

    Raises
    ------
    InputError
        A folder that does not exist (or is a file).

    Examples
    --------
    >>> texts_folder("") is None
    True
    >>> texts_folder("data/templates/lagesbild_texter") == TEXTS_TEMPLATE
    True
    >>> texts_folder("/no/such/texter")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: /no/such/texter: the texts folder does not exist. Fix: create it with one or more of sammanfattning.md, kartlaggning.md, annan_information.md, analys.md, atgardsplan.md, uppfoljning.md (copy data/templates/lagesbild_texter/), correct the path, or leave texts empty.
    """
    if not str(value).strip():
        return None
    folder = input_folder(str(value), PROJ_ROOT)
    reads.folder(folder)  # its listing and every file's bytes: what a rebuild of the report depends on
    if folder.is_file():
        raise InputError(folder, "texts names a file, not a folder",
                         f"give the folder that holds {', '.join(TEXT_FILE_NAMES)} (one or more), or leave texts empty")
    if not folder.is_dir():
        raise InputError(folder, "the texts folder does not exist",
                         f"create it with one or more of {', '.join(TEXT_FILE_NAMES)} (copy data/templates/lagesbild_texter/), "
                         "correct the path, or leave texts empty")
    return folder


def find_texts(folder: str | Path) -> dict[str, Path]:
    """The text files in ``folder`` by section, in the report's order; a misnamed text is an error.

    A file counts as a would-be text when its suffix is one of :data:`TEXT_SUFFIXES` or its name
    starts with a section's name in any case (``Analys.docx``); it must then be named exactly as in
    :data:`TEXT_FILE_NAMES`. ``README.md``, ``metadata.yaml``, hidden files, Excel's lock files (``~$…``),
    sub-folders and other files are left alone.

    Raises
    ------
    InputError
        A would-be text whose name is not one of :data:`TEXT_FILE_NAMES`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("uppfoljning.md", "sammanfattning.md", "README.md", "karta.png"):
    ...     _ = (d / name).write_text("x", encoding="utf-8")
    >>> list(find_texts(d))
    ['sammanfattning', 'uppfoljning']
    >>> _ = (d / "Analys.md").write_text("x", encoding="utf-8")
    >>> find_texts(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: .../Analys.md: 'Analys.md' is not one of the lägesbild's text files. Fix: name it one of sammanfattning.md, kartlaggning.md, annan_information.md, analys.md, atgardsplan.md, uppfoljning.md (lower case, .md), or move it out of the folder.
    """
    folder = Path(folder)
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        name = p.name
        if not p.is_file() or name.startswith((".", "~$")) or name.lower() in OTHER_TEXT_FILES:
            continue
        if name in TEXT_FILE_NAMES:
            found[name[:-3]] = p
        elif p.suffix.lower() in TEXT_SUFFIXES or name.split(".")[0].lower() in TEXT_SECTIONS:
            raise InputError(p, f"{plain(name)} is not one of the lägesbild's text files",
                             f"name it one of {', '.join(TEXT_FILE_NAMES)} (lower case, .md), or move it out of the folder")
    return {s: found[s] for s in TEXT_SECTIONS if s in found}


def read_text(path: str | Path) -> str:
    """A text file's content: UTF-8 with or without a byte-order mark, line ends made ``\\n``.

    Raises
    ------
    InputError
        A file over :data:`MAX_TEXT_BYTES`, or not UTF-8 (the row of the first bad byte is named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "analys.md"
    >>> _ = p.write_bytes("\\ufeffRad ett\\r\\nRåd två".encode("utf-8"))
    >>> read_text(p)
    'Rad ett\\nRåd två'
    >>> _ = p.write_bytes("Rad ett\\nRåd två".encode("cp1252"))
    >>> read_text(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: .../analys.md, row 2: the file is not UTF-8 text (it may be saved as Windows-1252 or Latin-1). Fix: save it as UTF-8 (in Notepad: Spara som, Kodning UTF-8; any text editor can).
    """
    path = Path(path)
    reads.file(path)
    data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(path, f"the file is {len(data):,} bytes, more than a section's text may be ({MAX_TEXT_BYTES:,})",
                         "shorten the text; long material belongs in an appendix the text links to")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "the file is not UTF-8 text (it may be saved as Windows-1252 or Latin-1)",
                         "save it as UTF-8 (in Notepad: Spara som, Kodning UTF-8; any text editor can)",
                         row=data[:exc.start].count(b"\n") + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class OwnTexts:
    """The kommun's own texts for the lägesbild (:func:`load_texts`).

    Attributes
    ----------
    folder : Path or None
        The texts folder; None when the report has none.
    texts : dict of str to str
        Section (a key of :data:`TEXT_SECTIONS`) → its Markdown; only sections with a non-empty text.
    files : dict of str to Path
        Section → the file it was read from (the same keys as ``texts``).
    metadata : dict
        The folder's ``metadata.yaml`` (:func:`lagesbild.inputs.folders.read_metadata`) or its defaults.

    Examples
    --------
    >>> own = OwnTexts()
    >>> own.text("analys"), own.example, own.provenance()
    ('', False, [])
    """

    folder: Path | None = None
    texts: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    metadata: dict = field(default_factory=read_metadata_defaults)

    @property
    def example(self) -> bool:
        """True when the folder holds invented example text (``exempeldata: true`` in ``metadata.yaml``)."""
        return bool(self.metadata["exempeldata"])

    def text(self, section: str) -> str:
        """The Markdown of ``section`` ("" when the kommun wrote none).

        Examples
        --------
        >>> OwnTexts(texts={"analys": "Text."}).text("analys")
        'Text.'
        >>> OwnTexts().text("slutsats")
        Traceback (most recent call last):
        ...
        ValueError: unknown section 'slutsats'; the sections are sammanfattning, kartlaggning, annan_information, analys, atgardsplan, uppfoljning
        """
        if section not in TEXT_SECTIONS:
            raise ValueError(f"unknown section {plain(section)}; the sections are {', '.join(TEXT_SECTIONS)}")
        return self.texts.get(section, "")

    def label(self, section: str) -> str:
        """The visible label of the section's text box: whose text it is, and its file.

        Examples
        --------
        >>> OwnTexts().label("sammanfattning")
        'Kommunens egen text (sammanfattning.md)'
        >>> OwnTexts(metadata={**read_metadata_defaults(), "exempeldata": True}).label("analys")
        'EXEMPELTEXT, inte kommunens egen (analys.md)'
        """
        self.text(section)  # checks the name
        return (EXAMPLE_TEXT_LABEL if self.example else OWN_TEXT_LABEL).format(file=f"{section}.md")

    def show(self, section: str, *, top: int = 3) -> str:
        """Show the section's text in the report, in its labelled box; nothing when the kommun wrote none.

        Parameters
        ----------
        section : str
            A key of :data:`TEXT_SECTIONS`.
        top : int
            The level of a ``#`` heading in the text: 3 under a section (``##``), 4 under a subsection.

        Returns
        -------
        str
            The HTML shown (:func:`lagesbild.render.markdown.own_text`), "" when there is no text.

        Examples
        --------
        >>> OwnTexts().show("analys")
        ''
        >>> OwnTexts(texts={"atgardsplan": "# Plan"}).show("atgardsplan", top=4)[-40:]
        '(atgardsplan.md)</p>\\n<h4>Plan</h4></div>'
        """
        from lagesbild.render.markdown import own_text  # here: loading texts needs no mistune

        return own_text(self.text(section), self.label(section), top=top, example=self.example,
                        name=f"{section}.md")

    def provenance(self) -> list[dict]:
        """The files read, for the report's provenance: ``name``, ``description``, ``sha256``, ``date``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp()) / "texter"; d.mkdir()
        >>> _ = (d / "analys.md").write_text("Text.", encoding="utf-8")
        >>> [(f["name"], f["description"]) for f in load_texts(d).provenance()]
        [('texter/analys.md', 'Kommunens egen text under 3. Analys')]
        """
        from lagesbild.sources.processed import sha256

        out = []
        for section, p in self.files.items():
            date = self.metadata["datum"] or dt.date.fromtimestamp(p.stat().st_mtime).isoformat()
            description = f"Kommunens egen text under {TEXT_SECTIONS[section]}" + (EXAMPLE_MARK if self.example else "")
            out.append({"name": f"{p.parent.name}/{p.name}", "description": description, "sha256": sha256(p),
                        "date": date})
        return out


def load_texts(value: str | Path = "") -> OwnTexts:
    """Find, read and check the kommun's own texts (the lägesbild's parameter ``texts``).

    Parameters
    ----------
    value : str or Path
        The texts folder (relative to the project root, or absolute); empty for none.

    Returns
    -------
    OwnTexts
        Empty when ``value`` is empty. A file with only blank lines counts as missing.

    Raises
    ------
    InputError
        The errors of :func:`texts_folder`, :func:`find_texts`, :func:`read_text` and
        :func:`lagesbild.inputs.folders.read_metadata`.

    Examples
    --------
    >>> load_texts("").texts
    {}
    >>> own = load_texts("data/templates/lagesbild_texter")
    >>> list(own.texts) == list(TEXT_SECTIONS), own.example
    (True, True)
    """
    folder = texts_folder(value)
    if folder is None:
        return OwnTexts()
    texts, files = {}, {}
    for section, path in find_texts(folder).items():
        text = read_text(path)
        if text.strip():
            texts[section], files[section] = text, path
    meta_path = next((p for p in folder.iterdir() if p.name.lower() == "metadata.yaml" and p.is_file()), None)
    meta = read_metadata(meta_path) if meta_path is not None else read_metadata_defaults()
    return OwnTexts(folder, texts, files, meta)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the template folder: the six texts with guiding example content, ``metadata.yaml``, ``README.md``.

    The content is :mod:`lagesbild.summary.texts_template`; the committed folder
    ``data/templates/lagesbild_texter/`` must equal what this writes (a test checks).

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing).

    Returns
    -------
    list of Path
        The texts in the report's order, ``metadata.yaml``, ``README.md``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))][-3:]
    ['uppfoljning.md', 'metadata.yaml', 'README.md']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    contents: Mapping[str, str] = {**{f"{s}.md": TEMPLATE_TEXTS[s] for s in TEXT_SECTIONS},
                                   "metadata.yaml": TEMPLATE_METADATA, "README.md": README}
    written = []
    for name, text in contents.items():
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    return written


__all__ = ["EXAMPLE_TEXT_LABEL", "TEXT_FILE_NAMES", "MAX_TEXT_BYTES", "OWN_TEXT_LABEL", "OwnTexts", "TEXT_SECTIONS", "TEXTS_TEMPLATE",
           "TEXT_SUFFIXES", "find_texts", "load_texts", "read_text", "texts_folder"]
