"""YAML read into plain data plus the position of every key and value.

Each mapping key and each value has a :class:`Position` under its path (``("lists", 0,
"items", 2, "expression")``). Duplicate keys, which PyYAML silently overwrites, are reported
as problems, and so is a file holding more than one document. The work is bounded
(:mod:`.limits`): nesting depth, the values aliases add, the problems listed; the values are
built from libyaml's events as they come (:mod:`._yaml_events`), so memory is the data's own.

Positions are needed only to say where a problem is, and recording them costs as much again.
So a file is first read without them (JSON by the standard library's C parser, YAML from the
events), and read again, located, when a problem first asks for a position
(docs/performance.md, "Loading").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path as FilePath
from typing import Any, final

import attrs
import yaml

from governance_core.errors import Problem, ProblemKind, ProblemsError
from governance_core.files._positions import Mark, Positions
from governance_core.files._yaml_events import (
    MAX_INTEGER_DIGITS,
    NeedPositionsError,
    RefusedError,
    TooManyValuesError,
    build,
)
from governance_core.files.limits import MAX_DEPTH, capped, read_bounded
from governance_core.messages import _

__all__ = [
    "Located",
    "Path",
    "Position",
    "TooManyValuesError",
    "decode_text",
    "load_yaml",
    "parse_json",
    "parse_yaml",
    "value_count",
]

Path = tuple[str | int, ...]


@final
@attrs.frozen(slots=True)
class Position:
    """1-based line and column of a node; ``style`` is the YAML scalar style (None = plain).
    ``file``: where the node is when it is not the located file itself (a workbook's sheet)."""

    line: int
    column: int
    style: str | None = None
    file: str | None = None


@final
@attrs.frozen(slots=True)
class Located:
    """Plain data read from a file, with the position of every value and mapping key."""

    data: Any
    file: str
    values: Mapping[Path, Position]
    keys: Mapping[Path, Position]
    lines: Sequence[str] = ()
    cells: bool = False
    """The values are a table's cells: a problem is named by its cell, not by its path."""

    def position(self, path: Path) -> Position | None:
        """The position of the value at ``path``, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return None

    def key_position(self, path: Path) -> Position | None:
        """The position of the key that introduces ``path``, falling back to the value's."""
        return self.keys.get(path) or self.position(path)

    def text_position(self, path: Path, line: int, column: int) -> tuple[int | None, int | None]:
        """File position of (1-based line, 0-based column) inside the scalar at ``path``.

        Exact for plain and quoted one-line scalars and for block scalars (| and >); a quoted
        scalar with escapes may be off by the escapes' length.
        """
        where = self.values.get(path)
        if where is None:
            return None, None
        if where.style in ("|", ">"):
            file_line = where.line + line
            text = self.lines[file_line - 1] if 0 < file_line <= len(self.lines) else ""
            return file_line, len(text) - len(text.lstrip(" ")) + column + 1
        quote = 1 if where.style in ('"', "'") else 0
        if line == 1:
            return where.line, where.column + quote + column
        return where.line + line - 1, column + 1

    def problem(
        self,
        path: Path,
        message: str,
        *,
        rule_id: str | None = None,
        hint: str | None = None,
        at_key: bool = False,
        kind: ProblemKind | None = None,
    ) -> Problem:
        where = self.key_position(path) if at_key else self.position(path)
        return Problem(
            message=message,
            file=where.file or self.file if where else self.file,
            line=where.line if where else None,
            column=where.column if where else None,
            rule_id=rule_id,
            hint=hint,
            kind=kind,
        )


def parse_yaml(
    text: str, file: str, error: type[ProblemsError] = ProblemsError, *, most: int | None = None
) -> Located:
    """Parse one YAML (or JSON) document; raise ``error`` listing every syntax or key problem.
    Positions are found when first asked for (see the module). TooManyValuesError as soon
    as more than ``most`` values are read."""
    try:
        data = _fast(text, file, most)
    except (NeedPositionsError, RefusedError):
        return _located(text, file, error, most)
    find = _Positions(text, file, error)
    return Located(data, file, _Deferred(find, 0), _Deferred(find, 1), _Lines(text))


def parse_json(
    text: str, file: str, error: type[ProblemsError] = ProblemsError, *, most: int | None = None
) -> Located:
    """Parse one JSON document (a body whose content type says JSON): JSON's own numbers and
    syntax, YAML's never; a duplicate key, a document nested too deep or an integer too long
    to read are located problems as in :func:`parse_yaml`. TooManyValuesError, before it is
    read, when it may hold more than ``most`` values, or once read, when it holds more (values
    counted as :func:`value_count` counts them)."""
    counted = _json_values(text, most)
    try:
        data = json.loads(
            text, object_pairs_hook=_unique, parse_constant=_not_json, parse_int=_bounded_int
        )
    except json.JSONDecodeError as exc:
        problem = Problem(
            _("malformed JSON: {reason}").format(reason=exc.msg), file, exc.lineno, exc.colno
        )
        raise error([problem]) from None
    except ValueError as exc:  # NaN or Infinity
        raise error([Problem(_("malformed JSON: {reason}").format(reason=exc), file)]) from None
    except _WalkerNeededError:  # a duplicate key: located by the located read
        return _located(text, file, error, most)
    if not isinstance(data, dict | list):
        raise error([Problem(_("the body is not a JSON object or list"), file, 1, 1)])
    if _deeper_than(data, MAX_DEPTH):
        return _located(text, file, error, most)
    _counted(data, counted)
    find = _Positions(text, file, error)
    return Located(data, file, _Deferred(find, 0), _Deferred(find, 1), _Lines(text))


def _json_values(text: str, most: int | None) -> int | None:
    """TooManyValuesError when JSON ``text`` may hold more than ``most`` values: counted before
    it is read (every list's and object's value but the first follows a comma, and each list
    and object opens with a bracket), so that no more is built than allowed. A comma or a
    bracket inside a string counts too: a body whose texts hold hundreds of thousands of them
    is refused, with the bound named. Returns the bound to count the values read against
    (:func:`_counted`), or None when the text cannot hold more: the keys are at most the
    values, so a text holds at most 1 + 2 × (its commas and brackets) as :func:`value_count`
    counts them."""
    if most is None:
        return None
    marks = text.count(",") + text.count("[") + text.count("{")
    if marks > most:
        raise TooManyValuesError
    return most if 1 + 2 * marks > most else None


def _counted(data: Any, most: int | None) -> None:
    """TooManyValuesError when ``data`` read from JSON holds more than ``most`` values (None:
    its text could not hold more, see :func:`_json_values`)."""
    if most is not None and value_count(data, most) > most:
        raise TooManyValuesError


def value_count(data: Any, limit: int) -> int:
    """How many values ``data`` holds (lists, mappings and what they hold), counting no
    further than ``limit + 1``."""
    count, stack = 0, [data]
    while stack and count <= limit:
        found = stack.pop()
        count += 1
        if isinstance(found, dict):
            count += len(found)  # the keys
            stack.extend(found.values())
        elif isinstance(found, list):
            stack.extend(found)
    return count


def _located(
    text: str, file: str, error: type[ProblemsError], most: int | None = None, *, data: bool = True
) -> Located:
    """``text`` read with the position of every value and key, every problem located
    (``data=False``: for the positions only, its scalars other than keys left None)."""
    try:
        built = build(text, file, located=True, most=most, values=data)
    except RefusedError as refused:
        raise error([refused.problem]) from None
    if built.problems:
        raise error(capped(built.problems, file))
    values = _Marks(built.mark, built.positions, keys=False)
    keys = _Marks(built.mark, built.positions, keys=True)
    return Located(built.data, file, values, keys, _Lines(text))


class _WalkerNeededError(Exception):
    """The JSON read cannot vouch for this file: the located read reads it."""


def _unique(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _WalkerNeededError  # a duplicate key: a problem to locate
    return mapping


def _yaml_float(text: str) -> float:
    if "e" in text or "E" in text:
        raise _WalkerNeededError  # YAML 1.1 reads 1e5 (no dot, no sign) as text, JSON as a number
    return float(text)


def _not_json(text: str) -> Any:
    raise ValueError(f"{text} is not a JSON number")


def _refuse(_text: str) -> Any:
    raise _WalkerNeededError  # NaN and Infinity are not JSON, and plain text in YAML


# what JSON's reader takes and YAML's does not: surrogate escapes, characters YAML forbids
_JSON_ONLY = re.compile(r"\\u[dD][89a-fA-F]")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# YAML reads these as line breaks (folded inside a quoted string), JSON as characters
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")


def _deeper_than(data: Any, limit: int) -> bool:
    level, depth = [data], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [
            v
            for c in level
            for v in (c.values() if isinstance(c, dict) else c)
            if isinstance(v, dict | list)
        ]
    return False


def _fast(text: str, file: str, most: int | None = None) -> Any:
    """The data of ``text`` read without positions: JSON by the standard library's C parser,
    YAML from the parser's events. NeedPositionsError when a problem must be located (the
    data are then those the located read gives: tests/loading/test_loading_fast.py)."""
    if text.lstrip()[:1] not in ("{", "["):
        data = build(text, file, located=False, most=most).data
        if not isinstance(data, dict | list):  # an empty file or a lone scalar: located
            raise NeedPositionsError
        return data
    if _JSON_ONLY.search(text) or _NON_PRINTABLE.search(text) or _YAML_BREAKS.search(text):
        raise NeedPositionsError
    counted = _json_values(text, most)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique,
            parse_float=_yaml_float,
            parse_constant=_refuse,
            parse_int=_bounded_int,
        )
    except Exception:  # a syntax error, a duplicate key, a YAML-only number: located
        raise NeedPositionsError from None
    if not isinstance(data, dict | list) or _deeper_than(data, MAX_DEPTH):
        raise NeedPositionsError
    _counted(data, counted)
    return data


def _bounded_int(text: str) -> int:
    """A JSON integer; _WalkerNeededError when it is too long to read, before it is read (JSON's
    reader takes any): the located read refuses it at its place."""
    if len(text) > MAX_INTEGER_DIGITS + 1:  # a sign, and the digits the YAML reader takes
        raise _WalkerNeededError
    return int(text)


@final
class _Marks(Mapping[Path, Position]):
    """The positions of a file's values (or of its keys), found by following a path down the
    tree of :class:`~._yaml_events.Positions` (a file may hold a million values)."""

    __slots__ = ("_keys", "_mark", "_tree")

    def __init__(self, mark: Mark, tree: Positions | None, *, keys: bool) -> None:
        self._mark, self._tree, self._keys = mark, tree, keys

    def __getitem__(self, path: Path) -> Position:
        if not path:
            if self._keys:
                raise KeyError(path)
            return Position(*self._mark)
        tree = self._tree
        for part in path[:-1]:
            if tree is None:
                raise KeyError(path)
            tree = tree.children.get(part)
        if tree is None:
            raise KeyError(path)
        return Position(*(tree.key(path[-1]) if self._keys else tree.value(path[-1])))

    def __iter__(self) -> Iterator[Path]:
        if not self._keys:
            yield ()
        stack: list[tuple[Path, Positions]] = [((), self._tree)] if self._tree else []
        while stack:
            path, tree = stack.pop()
            for part in tree.parts():
                if not (self._keys and isinstance(tree.marks, list)):
                    yield (*path, part)
                child = tree.children.get(part)
                if child is not None:
                    stack.append(((*path, part), child))

    def __len__(self) -> int:
        return sum(1 for _path in self)


@final
class _Lines(Sequence[str]):
    """A file's lines, split when a message first quotes one."""

    __slots__ = ("_lines", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines, self._text = self._text.splitlines(), ""
        return self._lines

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._split()[index]

    def __len__(self) -> int:
        return len(self._split())


@final
class _Deferred(Mapping[Path, Position]):
    """Positions of a file read fast: found by reading it again, located, when first asked
    for."""

    __slots__ = ("_find", "_which")

    def __init__(self, find: _Positions, which: int) -> None:
        self._find, self._which = find, which

    def _found(self) -> Mapping[Path, Position]:
        return self._find()[self._which]

    def __getitem__(self, path: Path) -> Position:
        return self._found()[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


@final
class _Positions:
    """Reads a file read fast again, located, once, when a position is first asked for."""

    __slots__ = ("_error", "_file", "_found", "_text")

    def __init__(self, text: str, file: str, error: type[ProblemsError]) -> None:
        self._text, self._file, self._error = text, file, error
        self._found: tuple[Mapping[Path, Position], Mapping[Path, Position]] | None = None

    def __call__(self) -> tuple[Mapping[Path, Position], Mapping[Path, Position]]:
        if self._found is None:
            try:
                located = _located(self._text, self._file, self._error, data=False)
                self._found = (located.values, located.keys)
            except ProblemsError:  # JSON the YAML reader refuses: its problems go unlocated
                self._found = ({}, {})
            self._text = ""
        return self._found


def _at(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode_text(data: bytes, file: str, error: type[ProblemsError]) -> str:
    """UTF-8 text of a file's bytes; a leading byte-order mark (Windows editors write one) is
    dropped, and a byte that is not UTF-8 is a problem at its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8-sig", errors="replace")
        line, column = _at(good, len(good))
        raise error(
            [
                Problem(
                    _("not UTF-8 text (byte 0x{byte:02x})").format(byte=data[exc.start]),
                    file,
                    line,
                    column,
                    hint=_("save the file as UTF-8"),
                )
            ]
        ) from None


def load_yaml(path: str | FilePath, error: type[ProblemsError] = ProblemsError) -> Located:
    """Read and parse a YAML (or JSON) file within the bounds of :mod:`.limits`; unreadable
    files are problems too."""
    name = str(path)
    return parse_yaml(decode_text(read_bounded(path, error), name, error), name, error)
