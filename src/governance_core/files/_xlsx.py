"""The cells of an .xlsx workbook, read by python-calamine (Rust): about twelve times faster
than openpyxl's reader on a 50,000-row sheet (docs/performance.md, "Excel import").

calamine holds a sheet as one dense block from A1 to its last cell, so a single cell at
XFD1048576 would ask for seventeen billion. Before calamine reads anything, each sheet's extent
is taken from the cell references its XML gives (``<c r="F12">``), a search in C over the
unpacked part: a sheet whose block would pass the table limits is refused, and a sheet whose
cells do not all say where they are (the format allows it; Excel always writes them) is left to
openpyxl, which streams it (:func:`extent` returns None).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

__all__ = ["extent", "read_sheets", "unsaved_formulas"]

_CELL_REFERENCE = re.compile(rb'<c [^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REFERENCE = re.compile(rb'<row [^>]*?\br="([0-9]{1,7})"')
_PREFIXED = re.compile(rb"<[A-Za-z_][-.A-Za-z0-9_]*:(?:c|row)[ >]")  # <x:c r=...>: not seen above


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def extent(archive: zipfile.ZipFile) -> tuple[int, int] | None:
    """The most rows and the most columns any worksheet of ``archive`` spans from A1, or
    None when a cell does not give its reference. The parts were checked for size before."""
    rows = columns = 0
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
            continue
        xml = archive.read(member)
        references = _CELL_REFERENCE.findall(xml)
        if len(references) != xml.count(b"<c ") + xml.count(b"<c>") or _PREFIXED.search(xml):
            return None
        if references:  # each column's letters and each row's number converted once
            columns = max(columns, max(map(_column, {letters for letters, _ in references})))
            rows = max(rows, max(map(int, {number for _, number in references})))
        # a row that does not say its number follows the one before
        rows = max(
            rows,
            xml.count(b"<row ") + xml.count(b"<row>"),
            max(map(int, _ROW_REFERENCE.findall(xml)), default=0),
        )
    return rows, columns


def read_sheets(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's name and rows from A1, in the workbook's order, as calamine gives them (an
    empty cell is ``""``, every number a float). Any failure is calamine's: the caller reports
    the workbook as damaged."""
    from python_calamine import CalamineWorkbook  # only reading workbooks needs it

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets.append((name, rows))
    return sheets


# a cell with content (not self-closing), its attributes and what it holds
_CELL = re.compile(rb"<c\b([^>/]*)>(.*?)</c>", re.DOTALL)
_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<v>[^<]")


def unsaved_formulas(archive: zipfile.ZipFile) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the cells (row, column; from 1) that hold a formula but no value:
    a book written by a program that does not compute (openpyxl, a script) until Excel saves
    it again. Read as empty, such a cell would look like a value left out."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("}Relationship")}
    found: dict[str, set[tuple[int, int]]] = {}
    for sheet in (e for e in book.iter() if e.tag.endswith("}sheet")):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        try:
            xml = archive.read(part)
        except KeyError:
            continue
        if b"<f" not in xml and b":f" not in xml:  # no formula at all (most sheets)
            continue
        cells = {
            (int(ref[2]), _column(ref[1]))
            for attributes, inner in _CELL.findall(xml)
            if b"<f" in inner
            and not _VALUE.search(inner)
            and (ref := _REFERENCE.search(attributes)) is not None
        }
        if cells:
            found[sheet.get("name", "")] = cells
    return found
