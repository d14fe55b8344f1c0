"""YAML read into plain data plus the position of every key and value.

PyYAML's constructors drop positions, so the node graph is composed with the C parser and
walked here: each mapping key and each value gets a :class:`Position` under its path
(``("lists", 0, "items", 2, "expression")``). Duplicate keys, which PyYAML silently
overwrites, are reported as problems, and so is a file holding more than one document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any, final

import attrs
import yaml

from governance_core.errors import Problem, ProblemsError

__all__ = ["Located", "Path", "Position", "load_yaml", "parse_yaml"]

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


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.problems: list[Problem] = []

    def walk(self, node: yaml.Node, path: Path) -> Any:
        self.values[path] = _position(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(
                    key_node, "YAML merge keys ('<<') are not supported", "write the keys out"
                )
                continue
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int):
                self._problem(key_node, f"a key must be text, not {type(key).__name__}", None)
                continue
            if key in result:
                first = self.keys[(*path, key)]
                self._problem(
                    key_node,
                    f"duplicate key {key!r}",
                    f"it was first given at line {first.line}; keep one",
                )
                continue
            self.keys[(*path, key)] = _position(key_node)
            result[key] = self.walk(value_node, (*path, key))
        return result

    def _problem(self, node: yaml.Node, message: str, hint: str | None) -> None:
        at = _position(node)
        self.problems.append(Problem(message, self.file, at.line, at.column, None, hint))


def parse_yaml(text: str, file: str, error: type[ProblemsError] = ProblemsError) -> Located:
    """Parse one YAML document; raise ``error`` listing every syntax or key problem."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            column = mark.column + 1 if mark else None
            reason = exc.problem or exc.context or "invalid YAML"
            raise error([Problem(f"malformed YAML: {reason}", file, line, column)]) from None
        except yaml.YAMLError as exc:
            raise error([Problem(f"malformed YAML: {exc}", file)]) from None
        if node is None:
            raise error([Problem("the file is empty", file, 1, 1)])
        walker = _Walker(loader, file)
        try:
            data = walker.walk(node, ())
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            column = mark.column + 1 if mark else None
            raise error([Problem(f"invalid value: {exc.problem}", file, line, column)]) from None
        if walker.problems:
            raise error(walker.problems)
        return Located(data, file, walker.values, walker.keys, tuple(text.splitlines()))
    finally:
        loader.dispose()


def load_yaml(path: str | FilePath, error: type[ProblemsError] = ProblemsError) -> Located:
    """Read and parse a YAML (or JSON) file; unreadable files are problems too."""
    name = str(path)
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error([Problem("file not found", name, hint="check the path")]) from None
    except UnicodeDecodeError as exc:
        raise error(
            [Problem(f"not UTF-8 text (byte {exc.start})", name, hint="save the file as UTF-8")]
        ) from None
    except OSError as exc:
        raise error([Problem(f"cannot read the file: {exc.strerror}", name)]) from None
    return parse_yaml(text, name, error)
