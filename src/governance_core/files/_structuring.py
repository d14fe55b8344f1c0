"""Turn data read from a file into records, reporting every problem with its location.

cattrs (with ``detailed_validation``) raises a tree of exception groups whose notes say which
attribute or index failed; this module flattens that tree into :class:`Problem` records placed
on the file's lines and columns, in the spirit of cattrs' ``transform_error``.
"""

from __future__ import annotations

import collections.abc
import datetime
import decimal
import difflib
import enum
import fractions
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

import attrs
from cattrs import Converter
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from governance_core.errors import Problem, ProblemsError
from governance_core.files.limits import MAX_PROBLEMS, capped
from governance_core.files.yaml_tree import Located, Path
from governance_core.messages import _

__all__ = ["FieldWords", "RuleOf", "did_you_mean", "structure_located"]

T = TypeVar("T")
RuleOf = Callable[[Path], str | None]
FieldWords = Callable[[str], str | None]


def did_you_mean(wanted: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt name, or None when nothing is close."""
    close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
    return _("did you mean {name!r}?").format(name=close[0]) if close else None


def _type_name(tp: Any) -> str:
    """What a field takes, in words of the reader's language (never a Python type)."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        kinds = _(" or ").join(_type_name(a) for a in args)
        optional = len(args) < len(typing.get_args(tp))
        return _("{kinds} or nothing").format(kinds=kinds) if optional else kinds
    if origin in (list, tuple, frozenset, set, collections.abc.Sequence):
        return _("a list")
    if origin in (dict, collections.abc.Mapping):
        return _("a table of names and values")
    if origin is typing.Literal:
        return _("one of {values}").format(values=", ".join(repr(a) for a in typing.get_args(tp)))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _("one of {values}").format(values=", ".join(repr(m.value) for m in tp))
    simple: dict[Any, str] = {
        bool: _("true or false (是/否)"),
        int: _("a whole number"),
        float: _("a number"),
        decimal.Decimal: _("a number"),
        fractions.Fraction: _("a number"),
        str: _("text"),
        datetime.date: _("a date (YYYY-MM-DD)"),
        datetime.datetime: _("a date and time (YYYY-MM-DD HH:MM)"),
    }
    if tp in simple:
        return simple[tp]
    if attrs.has(tp):
        return _("a table of fields")
    return _("a value of another kind")


def _field_names(cls: Any) -> list[str]:
    return [a.name for a in attrs.fields(cls)] if attrs.has(cls) else []


def _leaves(
    exc: BaseException, path: Path, expected: Any
) -> Iterator[tuple[Path, Any, BaseException]]:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            yield from _leaves(inner, (*path, note.name), note.type)
        for inner in without:
            yield from _leaves(inner, path, expected)
    elif isinstance(exc, IterableValidationError):
        indexed, unindexed = exc.group_exceptions()
        for element, inote in indexed:
            # the note is a str subclass, so mypy sees str.index; cattrs sets the real index
            index: int | str = cast(Any, inote).index
            yield from _leaves(element, (*path, index), inote.type)
        for element in unindexed:
            yield from _leaves(element, path, expected)
    elif isinstance(exc, BaseExceptionGroup):
        for grouped in exc.exceptions:
            yield from _leaves(grouped, path, expected)
    else:
        yield path, expected, exc


def _problem_of(
    located: Located,
    path: Path,
    expected: Any,
    exc: BaseException,
    rule_of: RuleOf,
    words: FieldWords,
) -> Iterator[Problem]:
    rule = rule_of(path)
    if isinstance(exc, ForbiddenExtraKeysError):
        known = _field_names(exc.cl)
        # only as many as can be listed: the rest are counted by the caller
        for key in sorted(exc.extra_fields, key=str)[:MAX_PROBLEMS]:
            fields = ", ".join(known)
            if isinstance(key, str):
                hint = did_you_mean(key, known) or _("known fields: {fields}").format(fields=fields)
            else:  # YAML 1.1 reads an unquoted on/off/yes/no key as true/false
                hint = _("a key read as {key!r}: quote it ('on'); known fields: {fields}").format(
                    key=key, fields=fields
                )
            yield located.problem(
                (*path, key),
                _("unknown field {key!r}").format(key=key),
                rule_id=rule,
                hint=hint,
                at_key=True,
            )
        return
    if isinstance(exc, KeyError):
        title = words(str(path[-1])) if path else None
        yield located.problem(
            path[:-1],
            (
                _("missing required field {field!r} ({title})").format(field=path[-1], title=title)
                if title
                else _("missing required field {field!r}").format(field=path[-1])
            )
            if path
            else _("missing a required field"),
            rule_id=rule,
            hint=_("add it"),
        )
        return
    value = _value_at(located.data, path)
    reason = str(exc) or _("not readable as that")
    said = _("expected {expected}, got {value} ({reason})").format(
        expected=_type_name(expected), value=_shown(value), reason=reason
    )
    if not located.cells:  # a table's cell is named by its sheet, row and column
        said = f"{_dotted(path)}: {said}"
    yield located.problem(path, said, rule_id=rule)


def _value_at(data: Any, path: Path) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _shown(value: Any) -> str:
    """A value as it is quoted in a problem: at most 60 characters of it."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _dotted(path: Path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "$"


def structure_located(
    converter: Converter,
    located: Located,
    cls: type[T],
    error: type[ProblemsError],
    rule_of: RuleOf = lambda _path: None,
    field_words: FieldWords = lambda _field: None,
) -> T:
    """Structure ``located.data`` as ``cls``; raise ``error`` listing every problem found.

    ``converter`` must be built with ``detailed_validation=True`` so that all problems are
    collected in one pass. ``rule_of`` names the rule a path belongs to; ``field_words``
    the title of a field, said beside its id ('declared_size' (规定项数)).
    """
    try:
        return converter.structure(located.data, cls)
    except Exception as exc:  # cattrs raises many types; each is turned into located problems
        raise error(_located_problems(located, exc, cls, rule_of, field_words)) from None


def _located_problems(
    located: Located, exc: BaseException, cls: type[Any], rule_of: RuleOf, words: FieldWords
) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, located, and how many more there are: a
    file of 400,000 wrong keys costs a count past the bound, not a located message each."""
    problems: list[Problem] = []
    more = 0
    for path, expected, leaf in _leaves(exc, (), cls):
        found = len(leaf.extra_fields) if isinstance(leaf, ForbiddenExtraKeysError) else 1
        if len(problems) >= MAX_PROBLEMS:
            more += found
            continue
        listed = list(_problem_of(located, path, expected, leaf, rule_of, words))
        problems += listed
        more += found - len(listed)
    if more:
        problems.append(Problem(_("and {count:,} more problems").format(count=more), located.file))
    return capped(problems, located.file)
