"""Policy sources: a policy file or a plugin's records, read and checked on their own.

A source is the records one supplier gives, by section (``parameters:``, ``lists:``,
``rubrics:``, … — the sections of the registered kinds, :mod:`.kinds`), with the position of
every value: a YAML file keeps its lines and columns; records a plugin builds in Python are
turned back into plain data and structured again, so a malformed record is caught by the same
checks as a malformed file and reported under the supplier's name. What needs every source
together (duplicate ids, overlays, expressions against all parameters) is in :mod:`.assembly`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, final

import attrs

from governance_core.errors import PolicyError, Problem, ProblemsError
from governance_core.files import Located, load_yaml, structure_located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.loading._schema_titles import field_words
from governance_core.loading.kinds import policy_sections
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.common import Supplier
from governance_core.rules.kinds import Section

__all__ = ["PolicySource", "file_form", "read_policy_file", "records_source", "rule_of"]


def file_form(name: str, sections: Sequence[Section[Any]], **fields: Any) -> type[Any]:
    """The attrs class a file is structured as: one tuple of records per section (empty by
    default), plus ``fields``; an unknown top-level key is then a located problem naming the
    known sections."""
    attributes: dict[str, Any] = dict(fields)
    for section in sections:
        records: Any = tuple[section.record, ...]  # type: ignore[name-defined]
        attributes[section.name] = attrs.field(type=records, default=())
    return attrs.make_class(name, attributes, frozen=True, slots=True)


@functools.cache
def _policy_file(sections: tuple[Section[Any], ...]) -> type[Any]:
    return file_form("PolicyFile", sections)


@final
@attrs.frozen(slots=True)
class PolicySource:
    """One supplier's policies, checked on their own, by section, with where each value came
    from."""

    located: Located
    sections: Mapping[str, tuple[Any, ...]]
    supplier: Supplier

    def records(self, section: str) -> tuple[Any, ...]:
        """The records of one section (none when the source has no such section)."""
        return self.sections.get(section, ())


def rule_of(data: Any, sections: Sequence[Section[Any]]) -> Any:
    """Names the rule a problem at a path of ``data`` belongs to, by its section."""
    by_name = {s.name: s for s in sections}

    def rule(path: DataPath) -> str | None:
        if len(path) < 2 or path[0] not in by_name:
            return None
        try:
            return by_name[str(path[0])].rule(data[path[0]][path[1]], path[2:])
        except (KeyError, IndexError, TypeError):
            return None

    return rule


def _checked(located: Located, supplier: Supplier, error: type[ProblemsError]) -> PolicySource:
    sections_read = policy_sections()
    form = structure_located(
        converter,
        located,
        _policy_file(sections_read),
        error,
        rule_of(located.data, sections_read),
        field_words,
    )
    problems: list[Problem] = []
    sections: dict[str, tuple[Any, ...]] = {}
    for section in sections_read:
        fixed = []
        for i, record in enumerate(getattr(form, section.name)):
            checked, found = section.check(located, (section.name, i), record)
            fixed.append(checked)
            problems += found
        if fixed:
            sections[section.name] = tuple(fixed)
    if problems:
        raise error(problems)
    return PolicySource(located, MappingProxyType(sections), supplier)


def read_policy_file(path: str | Path, supplier: Supplier) -> PolicySource:
    """Read and check one policy file; PolicyError lists every problem found in it."""
    return _checked(load_yaml(path, PolicyError), supplier, PolicyError)


def records_source(
    sections: Mapping[str, Sequence[Any]],
    supplier: Supplier,
    error: type[ProblemsError] = PolicyError,
) -> PolicySource:
    """Check records built in Python (a plugin's), by section, as if they had been read from
    a file.

    The records are unstructured to plain data and structured again, so a field of the wrong
    type, which attrs does not check, is a problem here, reported under ``str(supplier)``.
    """
    try:
        data = {name: converter.unstructure(list(records)) for name, records in sections.items()}
    except Exception as exc:  # anything a malformed record makes cattrs raise
        raise error(
            [
                Problem(
                    _("records that cannot be read: {name}: {exc}").format(
                        name=type(exc).__name__, exc=exc
                    ),
                    str(supplier),
                )
            ]
        ) from None
    return _checked(Located(data, str(supplier), {}, {}), supplier, error)
