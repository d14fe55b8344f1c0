"""Hostile and malformed input files, each small (under 1 MB), for every loader: what an
attacker or a damaged e-mail attachment brings. ``benchmarks/hostile.py`` times the same
corpus; the tests check that each is refused with a located problem and no traceback."""

from __future__ import annotations

import io
import itertools
import re
import zipfile

from openpyxl import Workbook


def _laughs(levels: int = 9) -> bytes:
    lines = ["a: &a [" + ",".join(["lol"] * 9) + "]"]
    for previous, name in itertools.pairwise("abcdefghijklmnop"[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


YAML: dict[str, bytes] = {
    "billion laughs": _laughs(),
    "self-referencing alias": b"lists: &a [*a]\n",
    "nested 600 deep (flow)": b"lists: " + b"[" * 600 + b"]" * 600 + b"\n",
    "nested 600 deep (block)": "".join(f"{'  ' * i}k{i}:\n" for i in range(600)).encode(),
    "!!int abc": b"lists: !!int abc\n",
    "!!python/object": b"lists: !!python/object:os.system ls\n",
    "2024-02-30": b"as_of: 2024-02-30\n",
    "2024-13-01": b"as_of: 2024-13-01\n",
    "0000-01-01": b"as_of: 0000-01-01\n",
    "5,000-digit integer": b"lists: " + b"7" * 5000 + b"\n",
    "5,000-digit hex integer": b"lists: 0x" + b"f" * 5000 + b"\n",
    "5,000-digit hex id": b"lists:\n  - id: 0x" + b"f" * 5000 + b"\n",
    "!!bool maybe": b"lists: !!bool maybe\n",
    "undefined alias": b"lists: *nowhere\n",
    "not UTF-8": "lists: 名单\n".encode("gbk"),
    "NUL byte": b"lists: a\x00b\n",
    "a mapping where a list belongs": b"lists: {a: 1}\n",
    "a long string where a list belongs": b"lists: " + b"x" * 900_000 + b"\n",
    "a list at the top": b"- 1\n- 2\n",
    "two documents": b"a: 1\n---\nb: 2\n",
    "empty": b"",
    "duplicate key": b"lists: []\nlists: []\n",
    "unclosed bracket": b"lists: [1, 2\n",
}

# in numbers a loader reads as amounts, scores or parameter values
NUMBERS = ["1e999999999", "1e-999999999", "9" * 40, "NaN", "-Infinity"]


def _workbook_parts() -> dict[str, bytes]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(["编号", "姓名"])
    sheet.append(["p1", "张三"])
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def _sheet_xml(parts: dict[str, bytes]) -> str:
    return parts["xl/worksheets/sheet1.xml"].decode()


def _with_sheet(xml: str) -> bytes:
    parts = _workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    return _zipped(parts)


def _shared_strings_bomb() -> bytes:
    parts = _workbook_parts()
    strings = "<si><t>a</t></si>" * 6_000_000
    parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    ).encode()
    return _zipped(parts)


def workbooks() -> dict[str, bytes]:
    """Hostile .xlsx files by what they try."""
    parts = _workbook_parts()
    sheet = _sheet_xml(parts)
    far_cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    missing = dict(parts)
    del missing["xl/worksheets/sheet1.xml"]
    good = _zipped(parts)
    return {
        "dimension claims A1:XFD1048576": _with_sheet(
            re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', sheet)
        ),
        "a cell at XFD1048576": _with_sheet(
            sheet.replace("</sheetData>", far_cell + "</sheetData>")
        ),
        "shared-strings bomb": _shared_strings_bomb(),
        "sheet part missing": _zipped(missing),
        "malformed XML": _with_sheet(sheet[: len(sheet) // 2]),
        "shared string out of range": _with_sheet(
            sheet.replace(
                "</sheetData>", '<row r="3"><c r="A3" t="s"><v>99999</v></c></row></sheetData>'
            )
        ),
        "NUL in a name": _with_sheet(
            sheet.replace("张三", "张&#0;三").replace("<is><t>张", "<is><t>张")
        ),
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "old .xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "PDF": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        "text": "编号,姓名\np1,张三\n".encode(),
    }


CSV: dict[str, bytes] = {
    "field over the csv limit": b'name\n"' + b"a" * 200_000 + b'"\n',
    "NUL in a name": "编号,姓名\np1,张\x00三\n".encode(),
    "two 姓名 columns": "编号,姓名,姓名\np1,张三,李四\n".encode(),
    "姓名 and name": "编号,姓名,name\np1,张三,李四\n".encode(),
    # GBK is what Chinese Excel saves, and is read; a byte neither encoding has is not
    "neither UTF-8 nor GB18030": "编号,姓名\np1,".encode() + b"\xff\xff\n",
}
