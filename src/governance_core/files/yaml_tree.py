"""YAML read into plain data plus the position of every key and value.

PyYAML's constructors drop positions, so the node graph is composed with the C parser and
walked here: each mapping key and each value gets a :class:`Position` under its path
(``("lists", 0, "items", 2, "expression")``). Duplicate keys, which PyYAML silently
overwrites, are reported as problems, and so is a file holding more than one document. The
work is bounded (:mod:`.limits`): nesting depth, the values aliases add, the problems listed.

Walking for positions costs ten times the parsing, and positions are needed only to say where
a problem is. So a file is first read without them (JSON by the standard library's C parser,
YAML by PyYAML's C loader), refusing anything only the walker bounds or reports (anchors,
merge keys, tags, duplicate keys, characters YAML forbids, nesting); the positions are found
by walking the file when a problem first asks for one (docs/performance.md, "Loading").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path as FilePath
from typing import Any, final

import attrs
import yaml

from governance_core.errors import Problem, ProblemsError
from governance_core.files.limits import MAX_ALIAS_VALUES, MAX_DEPTH, capped, read_bounded
from governance_core.messages import _

__all__ = ["Located", "Path", "Position", "decode_text", "load_yaml", "parse_yaml"]

Path = tuple[str | int, ...]

# PyYAML is built with libyaml almost everywhere; fall back to the pure parser otherwise.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    lines: tuple[str, ...] = ()

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
    ) -> Problem:
        where = self.key_position(path) if at_key else self.position(path)
        return Problem(
            message=message,
            file=where.file or self.file if where else self.file,
            line=where.line if where else None,
            column=where.column if where else None,
            rule_id=rule_id,
            hint=hint,
        )


def _position(node: yaml.Node) -> Position:
    style = getattr(node, "style", None)
    return Position(node.start_mark.line + 1, node.start_mark.column + 1, style or None)


def _too_deep() -> tuple[str, str]:
    """The problem and hint of a file nested deeper than the bound."""
    message = _("the file nests lists and mappings more than {limit} levels deep")
    return message.format(limit=MAX_DEPTH), _("flatten it")


class _RefusedError(Exception):
    """The file is refused as a whole at ``node`` (too deep, aliases expanding too far)."""

    def __init__(self, node: yaml.Node, message: str, hint: str | None) -> None:
        self.node, self.message, self.hint = node, message, hint


# What a scalar's constructor raises on a value its tag cannot hold (!!int abc, 2024-02-30,
# a 5,000-digit integer): a located problem, never a traceback.
_BAD_SCALAR = (ValueError, TypeError, OverflowError, yaml.constructor.ConstructorError)


def _bad_scalar(node: yaml.Node) -> str:
    value = str(node.value)[:40]
    kind = str(node.tag).rsplit(":", 1)[-1]
    if kind == "timestamp":
        return _("{value} is not a date that exists").format(value=value)
    if kind in ("int", "float"):
        return _("{value} is not a number that can be read here").format(value=value)
    return _("the tag {tag} is not allowed here").format(tag=node.tag)


_INVALID: Any = object()  # a scalar already reported as a problem


class _Walker:
    """Turns the node graph into plain data, recording positions; bounded in depth and in
    the values aliases may add (``*a`` repeats the node anchored ``&a``, and anchors of
    anchors multiply: a few hundred bytes can stand for billions of values)."""

    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self._open: set[int] = set()
        self._repeats = 0

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.values[path] = _position(node)
        if len(path) > MAX_DEPTH:
            raise _RefusedError(node, *_too_deep())
        if id(node) in self._seen:
            self._repeats += 1
            if self._repeats > MAX_ALIAS_VALUES:
                raise _RefusedError(
                    node,
                    _("aliases (*name) repeat more than {limit} values").format(
                        limit=f"{MAX_ALIAS_VALUES:,}"
                    ),
                    _("write the values out instead of repeating anchors"),
                )
        else:
            self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return self._collection(node, path)
        return self._scalar(node)

    def _collection(self, node: yaml.MappingNode | yaml.SequenceNode, path: Path) -> Any:
        if id(node) in self._open:
            raise _RefusedError(
                node,
                _("an alias refers to a list or mapping that contains it"),
                _("an anchor cannot be used inside itself"),
            )
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        finally:
            self._open.discard(id(node))

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except _BAD_SCALAR:
            self._problem(node, _bad_scalar(node), _("quote it to keep it as text, or correct it"))
            return _INVALID

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}  # ``<<: *defaults``: keys the mapping does not give itself
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(self._merged(value_node, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, _("a key must be text, not a list or mapping"), None)
                continue
            key = self._scalar(key_node)
            if key is _INVALID:
                continue
            if not isinstance(key, str | int):
                self._problem(
                    key_node,
                    _("a key must be text, not {kind}").format(kind=type(key).__name__),
                    _("quote it"),
                )
                continue
            if key in result:
                first = self.keys[(*path, key)]
                self._problem(
                    key_node,
                    _("duplicate key {key!r}").format(key=key),
                    _("it was first given at line {line}; keep one").format(line=first.line),
                )
                continue
            self.keys[(*path, key)] = _position(key_node)
            result[key] = self.walk(value_node, (*path, key))
        return {**merged, **result}

    def _merged(self, node: yaml.Node, path: Path) -> dict[Any, Any]:
        """The keys a merge key brings: one mapping, or a list of them (the first wins)."""
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found: dict[Any, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self._problem(source, _("a merge key ('<<') takes a mapping or a list of them"),
                              _("write <<: *anchor, with the anchor on a mapping"))  # fmt: skip
                continue
            found.update(self._collection(source, path))
        return found

    def _problem(self, node: yaml.Node, message: str, hint: str | None) -> None:
        at = _position(node)
        self.problems.append(Problem(message, self.file, at.line, at.column, None, hint))


def _at(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        return Problem(_("malformed YAML: {reason}").format(reason=reason), file, line, column)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character such as NUL
        line, column = _at(text, exc.position)
        return Problem(
            _("a control character (#x{code:04x}) is not allowed in a YAML file").format(
                code=exc.character if isinstance(exc.character, int) else ord(exc.character)
            ),
            file,
            line,
            column,
            hint=_("remove it; the file may not be text"),
        )
    return Problem(_("malformed YAML: {reason}").format(reason=exc), file)


def parse_yaml(text: str, file: str, error: type[ProblemsError] = ProblemsError) -> Located:
    """Parse one YAML (or JSON) document; raise ``error`` listing every syntax or key problem.
    Positions are found when first asked for (see the module)."""
    try:
        data = _fast(text)
    except _WalkerNeededError:
        return _walked(text, file, error)
    find = _Positions(text, file, error)
    return Located(data, file, _Deferred(find, 0), _Deferred(find, 1), tuple(text.splitlines()))


def _walked(text: str, file: str, error: type[ProblemsError]) -> Located:
    """``text`` parsed by walking its nodes: every position recorded, every problem located."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise error([_syntax_problem(exc, text, file)]) from None
        except RecursionError:
            message, hint = _too_deep()
            raise error([Problem(message, file, hint=hint)]) from None
        if node is None:
            raise error([Problem(_("the file is empty"), file, 1, 1)])
        walker = _Walker(loader, file)
        try:
            data = walker.walk(node, ())
        except _RefusedError as refused:
            at = _position(refused.node)
            raise error(
                [Problem(refused.message, file, at.line, at.column, None, refused.hint)]
            ) from None
        if walker.problems:
            raise error(capped(walker.problems, file))
        return Located(data, file, walker.values, walker.keys, tuple(text.splitlines()))
    finally:
        loader.dispose()


class _WalkerNeededError(Exception):
    """The fast read cannot vouch for this file: the walker reads it."""


def _unique(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _WalkerNeededError  # a duplicate key: a problem to locate
    return mapping


def _yaml_float(text: str) -> float:
    if "e" in text or "E" in text:
        raise _WalkerNeededError  # YAML 1.1 reads 1e5 (no dot, no sign) as text, JSON as a number
    return float(text)


def _refuse(_text: str) -> Any:
    raise _WalkerNeededError  # NaN and Infinity are not JSON, and plain text in YAML


class _FastLoader(_Loader):  # type: ignore[misc,valid-type]
    """PyYAML's C loader, refusing duplicate keys and keys that are not text or numbers."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        if len(mapping) != len(node.value) or not all(isinstance(k, str | int) for k in mapping):
            raise _WalkerNeededError
        return mapping


_FastLoader.add_constructor("tag:yaml.org,2002:map", _FastLoader.construct_mapping)
# what only the walker bounds or reads: anchors and aliases, merge keys, tags; surrogate escapes
_WALKER_ONLY = re.compile(r"[&*!]|<<|\\u[dD][89a-fA-F]")
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what the YAML reader refuses


def _deeper_than(data: Any, limit: int) -> bool:
    level, depth = [data], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [v for c in level for v in (c.values() if isinstance(c, dict) else c)
                 if isinstance(v, dict | list)]  # fmt: skip
    return False


def _fast(text: str) -> Any:
    """The data of ``text`` read without positions, or raises :class:`_WalkerNeededError` when the walker
    must read it (the data are then the same: tests/test_loading_fast.py)."""
    if _WALKER_ONLY.search(text) or _NON_PRINTABLE.search(text):
        raise _WalkerNeededError
    try:
        if text.lstrip()[:1] in ("{", "["):
            data = json.loads(
                text, object_pairs_hook=_unique, parse_float=_yaml_float, parse_constant=_refuse
            )
        else:
            data = yaml.load(text, Loader=_FastLoader)
    except Exception:  # a syntax error, a bad scalar, too deep: all the walker's to say
        raise _WalkerNeededError from None
    if not isinstance(data, dict | list) or _deeper_than(data, MAX_DEPTH):
        raise _WalkerNeededError  # an empty file or a lone scalar are the walker's to say too
    return data


@final
class _Deferred(Mapping[Path, Position]):
    """Positions of a file read fast: found by walking it when first asked for."""

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
    """Walks a file read fast once, when a position is first asked for."""

    __slots__ = ("_error", "_file", "_found", "_text")

    def __init__(self, text: str, file: str, error: type[ProblemsError]) -> None:
        self._text, self._file, self._error = text, file, error
        self._found: tuple[Mapping[Path, Position], Mapping[Path, Position]] | None = None

    def __call__(self) -> tuple[Mapping[Path, Position], Mapping[Path, Position]]:
        if self._found is None:
            walked = _walked(self._text, self._file, self._error)
            self._found, self._text = (walked.values, walked.keys), ""
        return self._found


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
