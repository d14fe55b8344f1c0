"""YAML read into plain data straight from the parser's events, with the position of every value
and key when asked for.

PyYAML's own loaders compose a graph of node objects (about 1.6 KB a value) before the first
value is built, and keep it until the end: a flat 8 MB mapping took 800 MB and 8 s, and a
second walk to find positions as much again. Here each event of libyaml's parser is turned into
its value at once and dropped, so memory is the data's own (and the positions', when a problem
needs them), and the work is linear in the events.

Everything a file may not do is refused where it is written: nesting deeper than
:data:`~.limits.MAX_DEPTH`, aliases repeating more than :data:`~.limits.MAX_ALIAS_VALUES`
values, an alias inside its own anchor, an undefined alias, a second document; a scalar its tag
cannot hold, a tag the safe loader does not know, an integer of more than
:data:`MAX_INTEGER_DIGITS` digits, a key that is not text or a number, a duplicate key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final, final

import yaml

from governance_core.errors import Problem
from governance_core.files._positions import VALUE_BITS, Mark, Positions, pack
from governance_core.files.limits import MAX_ALIAS_VALUES, MAX_DEPTH
from governance_core.messages import _

__all__ = [
    "MAX_INTEGER_DIGITS",
    "Built",
    "NeedPositionsError",
    "RefusedError",
    "TooManyValuesError",
    "build",
    "syntax_problem",
    "too_deep",
]

Path = tuple[str | int, ...]

MAX_INTEGER_DIGITS: Final = 100
"""An integer with more digits is refused as it is read: no field holds one, and a 5,000-digit
integer cannot even be printed in a message."""

# PyYAML is built with libyaml almost everywhere; fall back to the pure parser otherwise.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTORS: dict[Any, Callable[..., Any]] = _Loader.yaml_constructors
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_NOWHERE: Mark = (0, 0, None)  # a position not kept (read without positions)
# the first characters of the plain scalars that may read as something else than text
_IMPLICIT = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
# what a scalar's constructor raises on a value its tag cannot hold (!!int abc, 2024-02-30,
# !!bool maybe): a located problem, never a traceback
_BAD_SCALAR = (ValueError, TypeError, OverflowError, KeyError, yaml.constructor.ConstructorError)
_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAPPING, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_IMMUTABLE = frozenset((int, float, bool, type(None), date, datetime))
_KEPT = 4096  # distinct scalar texts whose reading is kept
_INVALID: Any = object()  # a scalar already reported as a problem
_SKIP: Any = object()  # the value of a key already reported: read, then dropped


class RefusedError(Exception):
    """The file is refused as a whole at ``problem`` (malformed, too deep, aliases)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class TooManyValuesError(Exception):
    """The file holds more values than the reader was allowed to build."""


class NeedPositionsError(Exception):
    """A read without positions met a problem: it must be read again, locating it."""


@final
class Built:
    """What a file holds: its data, where it and each value and key below it was written
    (when asked for), and the problems found."""

    __slots__ = ("data", "mark", "positions", "problems")

    def __init__(self) -> None:
        self.data: Any = None
        self.mark: Mark = (1, 1, None)
        self.positions: Positions | None = None
        self.problems: list[Problem] = []


def _mark(event: Any) -> Mark:
    style = getattr(event, "style", None)
    return event.start_mark.line + 1, event.start_mark.column + 1, style or None


def syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    """A parser's error as a located problem."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        return Problem(_("malformed YAML: {reason}").format(reason=reason), file, line, column)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character such as NUL
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(
            _("a control character (#x{code:04x}) is not allowed in a YAML file").format(code=code),
            file,
            line,
            column,
            hint=_("remove it; the file may not be text"),
        )
    return Problem(_("malformed YAML: {reason}").format(reason=exc), file)


def too_deep() -> tuple[str, str]:
    """The problem and hint of a file nested deeper than the bound."""
    message = _("the file nests lists and mappings more than {limit} levels deep")
    return message.format(limit=MAX_DEPTH), _("flatten it")


@final
class _Frame:
    """A mapping or list being read: its value so far, where it is, how many values it holds
    (an alias to it repeats them all), and for a mapping the key waiting for its value."""

    __slots__ = (
        "anchor",
        "count",
        "is_key",
        "key",
        "key_mark",
        "mark",
        "merges",
        "path",
        "positions",
        "value",
    )

    def __init__(
        self, value: Any, path: Path, mark: Mark, anchor: str | None, is_key: bool
    ) -> None:
        self.value, self.path, self.mark, self.anchor = value, path, mark, anchor
        self.is_key = is_key  # a list or mapping written where a key belongs
        self.count = 1
        self.key: Any = None  # None: a key is expected next
        self.key_mark: Mark = mark
        self.merges: list[tuple[Any, Mark, Positions | None]] = []
        self.positions = Positions([] if isinstance(value, list) else {})


class _Reader:
    """One pass over the events of ``text``; see the module."""

    def __init__(
        self, text: str, file: str, located: bool, most: int | None, values: bool = True
    ) -> None:
        self.text, self.file, self.located, self.most = text, file, located, most
        self.values = values  # False: only where values are written is wanted, not the values
        self.built = Built()
        self.loader: Any = _Loader(text)  # libyaml's parser: untyped
        self.stack: list[_Frame] = []
        # each anchor's value, its count of values and its positions; None while still open
        self.anchors: dict[str, tuple[Any, int, Mark, Positions | None] | None] = {}
        self.repeats = 0
        self.resolved: dict[str, str] = {}
        self.constructed: dict[tuple[str, str], Any] = {}

    # --- problems ---------------------------------------------------------------------

    def problem(self, mark: Mark, message: str, hint: str | None) -> None:
        if not self.located:
            raise NeedPositionsError
        self.built.problems.append(Problem(message, self.file, mark[0], mark[1], None, hint))

    def refuse(self, mark: Mark, message: str, hint: str | None = None) -> RefusedError:
        return RefusedError(Problem(message, self.file, mark[0], mark[1], None, hint))

    # --- the document -----------------------------------------------------------------

    def read(self) -> Built:
        events = self.loader
        try:
            events.get_event()  # the stream starts
            if events.check_event(yaml.StreamEndEvent):
                raise self.refuse((1, 1, None), _("the file is empty"))
            events.get_event()  # the document starts
            self.events(events.get_event)
            if events.check_event(yaml.DocumentStartEvent):
                found = _mark(events.peek_event())
                reason = "but found another document"
                raise self.refuse(found, _("malformed YAML: {reason}").format(reason=reason))
        except yaml.YAMLError as exc:
            raise RefusedError(syntax_problem(exc, self.text, self.file)) from None
        finally:
            events.dispose()
        return self.built

    def events(self, get: Callable[[], Any]) -> None:
        """Read the document's events up to its end (the hottest loop of a read: one call
        of the parser per event, the dispatch inline)."""
        scalar, open_, close, alias = self.scalar, self.open, self.close, self.alias
        text_put = self.text_put if not self.located else None
        most = self.most  # a bound on the values read: memory grows with them
        while True:
            event = get()
            kind = type(event)
            if kind is _SCALAR:
                if text_put is None or event.anchor is not None or not text_put(event):
                    scalar(event)
            elif kind is _MAPPING:
                open_(event, {})
            elif kind is _SEQUENCE:
                open_(event, [])
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                close()
            elif kind is _ALIAS:
                alias(event)
                if most is not None and self.repeats > most:  # what aliases repeat counts
                    raise TooManyValuesError
            else:  # the document's end: libyaml sends nothing else inside one
                return
            if most is not None:
                most -= 1
                if most < 0:
                    raise TooManyValuesError

    def _path(self) -> tuple[Path, bool]:
        """Where the next value goes, and whether it is a key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value)), False
        if top.key is None:
            return top.path, True
        key = top.key
        return (*top.path, key if key not in (_SKIP, _MERGE) else "<<"), False

    # --- values -----------------------------------------------------------------------

    def _tag(self, event: Any) -> str:
        """The tag a scalar resolves to: its own, text when quoted, or what its plain text
        reads as (true, 3, 2024-06-30, null…; resolved once per distinct text)."""
        tag: str | None = event.tag
        if tag is not None and tag != "!":
            return tag
        if not event.implicit[0]:  # quoted, or a block: text
            return _STR
        value: str = event.value
        if value and value[0] not in _IMPLICIT:  # no implicit resolver starts so: text
            return _STR
        found = self.resolved.get(value)
        if found is None:
            found = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            if len(self.resolved) < _KEPT:
                self.resolved[event.value] = found
        return found

    def text_put(self, event: Any) -> bool:
        """Put a scalar with no tag or anchor straight into the list or mapping being read,
        when no position is wanted and it is text, or a plain text read before (most scalars
        of a file); False to read it the general way (:meth:`scalar`)."""
        if not self.stack:
            return False
        tag, value = event.tag, event.value
        if tag is not None and tag != "!":
            return False
        top = self.stack[-1]
        into = top.value
        if event.implicit[0] and not (value and value[0] not in _IMPLICIT):
            # a plain text that may read as a number, a date, null…: what it read as before
            found = self.resolved.get(value)
            if found is None:
                return False
            if found != _STR:
                value = self.constructed.get((found, value), _INVALID)
                if value is _INVALID or (top.key is None and type(into) is dict):
                    return False  # not read before, or a key: the general way checks it
        if type(into) is list:
            into.append(value)
        elif top.key is None:
            if value in into:
                return False  # a duplicate key: a problem
            top.key = value
        elif top.key is _MERGE:
            return False
        else:
            into[top.key] = value
            top.key = None
        top.count += 1
        return True

    def scalar(self, event: Any) -> None:
        # a position is kept only when asked for (or named by an anchor an alias may repeat)
        mark = _mark(event) if self.located or event.anchor is not None else _NOWHERE
        tag = self._tag(event)
        if tag == _STR:
            self.deliver(event.value, mark, 1, event.anchor)
            return
        if not self.values and not (self.stack and self.stack[-1].key is None):
            self.deliver(None, mark, 1, event.anchor)  # a value whose place is all that counts
            return
        if tag == _MERGE and self.stack and self.stack[-1].key is None:
            self.deliver(_MERGE, mark, 1, None)
            return
        value = self.constructed.get((tag, event.value), _INVALID)
        if value is _INVALID:
            value = self.construct(event, tag, mark)
        self.deliver(value, mark, 1, event.anchor)

    def construct(self, event: Any, tag: str, mark: Mark) -> Any:
        """The value of a scalar that is not text (a number, a date, true, null…), kept for
        the same text again when it is immutable: a roster repeats its dates."""
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        constructor = _CONSTRUCTORS.get(tag, _CONSTRUCTORS[None])  # None: an unknown tag, refused
        try:
            value = constructor(self.loader, node)
            if isinstance(value, int) and value.bit_length() > MAX_INTEGER_DIGITS * 4:
                raise OverflowError
        except _BAD_SCALAR:
            self.problem(
                mark, _bad_scalar(event.value, tag), _("quote it to keep it as text, or correct it")
            )
            return _INVALID
        if type(value) in _IMMUTABLE and len(self.constructed) < _KEPT:
            self.constructed[tag, event.value] = value
        return value

    def open(self, event: Any, value: dict[Any, Any] | list[Any]) -> None:
        path, is_key = self._path()
        mark = _mark(event)
        if len(self.stack) + 1 > MAX_DEPTH:
            raise self.refuse(mark, *too_deep())
        if event.anchor is not None:
            self.anchors[event.anchor] = None  # open: an alias to it inside itself is refused
        self.stack.append(_Frame(value, path, mark, event.anchor, is_key))

    def close(self) -> None:
        frame = self.stack.pop()
        value = frame.value
        if isinstance(value, dict) and frame.merges:
            value = self.merged(frame, value)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, frame.count, frame.mark, frame.positions)
        self.deliver(value, frame.mark, frame.count, None, frame.positions, collection=True)

    def alias(self, event: Any) -> None:
        mark = _mark(event)
        if event.anchor not in self.anchors:
            reason = f"found undefined alias {event.anchor!r}"
            raise self.refuse(mark, _("malformed YAML: {reason}").format(reason=reason))
        found = self.anchors[event.anchor]
        if found is None:
            raise self.refuse(
                mark,
                _("an alias refers to a list or mapping that contains it"),
                _("an anchor cannot be used inside itself"),
            )
        value, count, anchored, positions = found
        self.repeats += count
        if self.repeats > MAX_ALIAS_VALUES:
            raise self.refuse(
                mark,
                _("aliases (*name) repeat more than {limit} values").format(
                    limit=f"{MAX_ALIAS_VALUES:,}"
                ),
                _("write the values out instead of repeating anchors"),
            )
        self.deliver(value, anchored, count, None, positions)

    def deliver(
        self,
        value: Any,
        mark: Mark,
        count: int,
        anchor: str | None,
        positions: Positions | None = None,
        *,
        collection: bool = False,
    ) -> None:
        """Put a finished value where it belongs: the document, a list, or a mapping (as its
        next key, or as the value of the key waiting), with its position and, for a list or
        mapping, its values' positions."""
        if anchor is not None:
            self.anchors[anchor] = (value, count, mark, positions)
        if not self.stack:
            self.built.data, self.built.mark, self.built.positions = value, mark, positions
            return
        top = self.stack[-1]
        top.count += count
        if isinstance(top.value, list):
            if self.located:
                index = len(top.value)
                top.positions.marks.append(pack(mark))  # type: ignore[union-attr]
                if positions is not None:
                    top.positions.children[index] = positions
            top.value.append(value)
            return
        if top.key is None:
            top.key, top.key_mark = self.key(value, mark, collection), mark
            return
        key, top.key = top.key, None
        if key is _MERGE:
            top.merges.append((value, mark, positions))
        elif key is not _SKIP:
            if self.located:
                packed = pack((*top.key_mark[:2], None)) >> 3 << VALUE_BITS | pack(mark)
                top.positions.marks[key] = packed
                if positions is not None:
                    top.positions.children[key] = positions
            top.value[key] = value

    def key(self, value: Any, mark: Mark, collection: bool) -> Any:
        """The key a mapping's next value goes under, or _SKIP when it cannot be one."""
        if value is _INVALID:
            return _SKIP
        if value is _MERGE:
            return _MERGE
        if collection or isinstance(value, dict | list):
            self.problem(mark, _("a key must be text, not a list or mapping"), None)
            return _SKIP
        if not isinstance(value, str | int) or isinstance(value, bool):
            kind = type(value).__name__
            self.problem(mark, _("a key must be text, not {kind}").format(kind=kind), _("quote it"))
            return _SKIP
        top = self.stack[-1]
        if value in top.value:
            first = top.positions.key(value) if self.located else mark
            self.problem(
                mark,
                _("duplicate key {key!r}").format(key=value),
                _("it was first given at line {line}; keep one").format(line=first[0]),
            )
            return _SKIP
        return value

    def merged(self, frame: _Frame, own: dict[Any, Any]) -> dict[Any, Any]:
        """The mapping with the keys its merge keys (``<<: *defaults``) bring and it does not
        give itself: of one merge key's list, the first mapping wins; a later merge key wins
        over an earlier one."""
        found: dict[Any, Any] = {}
        where: dict[Any, tuple[int, Positions | None]] = {}  # a key brought: its position
        for value, mark, positions in frame.merges:
            sources = value if isinstance(value, list) else [value]
            brought: dict[Any, Any] = {}
            for index in reversed(range(len(sources))):
                source = sources[index]
                if not isinstance(source, dict):
                    self.problem(
                        mark,
                        _("a merge key ('<<') takes a mapping or a list of them"),
                        _("write <<: *anchor, with the anchor on a mapping"),
                    )
                    continue
                brought.update(source)
                if self.located and positions is not None:
                    held = positions.children.get(index) if isinstance(value, list) else positions
                    for key in source:
                        if held is not None:
                            where[key] = (held.entry(key), held.children.get(key))
            found.update(brought)
        if self.located:
            marks = frame.positions.marks
            assert isinstance(marks, dict)  # a merge key is a mapping's
            for key in found.keys() - own.keys():
                if key in where:
                    marks[key], child = where[key]
                    if child is not None:
                        frame.positions.children[key] = child
        return {**found, **own}


def _bad_scalar(value: str, tag: str) -> str:
    shown = str(value)[:40]
    kind = str(tag).rsplit(":", 1)[-1]
    if kind == "timestamp":
        return _("{value} is not a date that exists").format(value=shown)
    if kind in ("int", "float"):
        return _("{value} is not a number that can be read here").format(value=shown)
    if kind == "bool":
        return _("{value} is not true or false").format(value=shown)
    return _("the tag {tag} is not allowed here").format(tag=tag)


def build(
    text: str, file: str, *, located: bool, most: int | None = None, values: bool = True
) -> Built:
    """The data of ``text``, with positions when ``located``. Without them, the first problem
    raises NeedPositionsError (read again, locating it); with them, every problem is listed
    in the result. RefusedError for a file refused as a whole; TooManyValuesError as soon as
    more than ``most`` values (lists, mappings, keys and values) are read. ``values=False``:
    the positions are wanted, not the data (its scalars other than keys are left None)."""
    return _Reader(text, file, located, most, values).read()
