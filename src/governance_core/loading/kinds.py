"""The registered kinds of rule and the sections of policy and overlay files they make up.

A kind is registered under the entry-point group ``governance_core.kinds``
(:data:`~governance_core.rules.kinds.KIND_GROUP`): the library's own in its ``pyproject.toml``,
a plugin's kind in its own, alike. :func:`registered` loads them once, by entry-point name;
a kind that cannot be loaded, or that claims a section another kind holds, is a
:class:`~governance_core.errors.PluginError` naming its distribution. Loading asks for the
kinds each time it reads a file or assembles a set (the file forms are built once per set of
kinds).
"""

from __future__ import annotations

import functools
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from governance_core.errors import PluginError, Problem
from governance_core.messages import _
from governance_core.rules.kinds import KIND_GROUP, PolicyKind, Section
from governance_core.rules.parameter_sections import PARAMETER_CHANGES, PARAMETERS

__all__ = ["overlay_sections", "policy_sections", "registered"]

_MEMBERS = ("name", "sections", "overlay_sections", "titles", "hookspecs", "assemble")


@functools.cache
def registered() -> tuple[PolicyKind[Any], ...]:
    """Every registered kind of rule, by entry-point name.

    A kind may refer to the records of any other (by section name), so every id is known
    before the first is assembled: the order only decides the order problems are reported in.
    """
    kinds: list[PolicyKind[Any]] = []
    problems: list[Problem] = []
    held = {PARAMETERS.name: "parameters"}
    for entry in sorted(entry_points(group=KIND_GROUP), key=lambda e: e.name):
        kind = _load(entry, problems)
        if kind is None:
            continue
        for section in kind.sections:
            other = held.setdefault(section.name, kind.name)
            if other != kind.name:
                problems.append(
                    _problem(
                        entry,
                        _("section {section!r} is held by kind {other!r}").format(
                            section=section.name, other=other
                        ),
                    )
                )
        kinds.append(kind)
    if problems:
        raise PluginError(problems)
    return tuple(kinds)


def _load(entry: EntryPoint, problems: list[Problem]) -> PolicyKind[Any] | None:
    try:
        kind = entry.load()
    except Exception as exc:  # a broken distribution of any kind fails closed, named
        problems.append(_problem(entry, _("cannot be loaded: {reason}").format(reason=exc)))
        return None
    missing = [m for m in _MEMBERS if not hasattr(kind, m)]
    if missing:
        problems.append(
            _problem(
                entry,
                _("is not a kind of rule: it lacks {members}").format(members=", ".join(missing)),
            )
        )
        return None
    result: PolicyKind[Any] = kind
    return result


def _problem(entry: EntryPoint, message: str) -> Problem:
    dist = entry.dist
    by = f"{dist.name} {dist.version}" if dist is not None else entry.value
    return Problem(
        _("kind {name!r} ({value}, from {by}) {message}").format(
            name=entry.name, value=entry.value, by=by, message=message
        ),
        rule_id=entry.name,
        hint=_("fix or uninstall the distribution that registers it"),
    )


def policy_sections() -> tuple[Section[Any], ...]:
    """Every section a policy file may hold; parameters, which every kind reads, first."""
    return _sections(registered(), overlay=False)


def overlay_sections() -> tuple[Section[Any], ...]:
    """Every section an overlay file may hold besides its ``overlay:`` header."""
    return _sections(registered(), overlay=True)


@functools.cache
def _sections(kinds: tuple[PolicyKind[Any], ...], *, overlay: bool) -> tuple[Section[Any], ...]:
    if overlay:
        return (PARAMETER_CHANGES, *(s for kind in kinds for s in kind.overlay_sections))
    return (PARAMETERS, *(s for kind in kinds for s in kind.sections))
