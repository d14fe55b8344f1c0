"""Assemble policy sources and overlays into one checked, compiled :class:`PolicySet`.

Each source was checked on its own (:mod:`.sources`); here what needs all of them together:
ids supplied twice (naming both suppliers), overlays applied in order, and every expression
checked against the parameters and functions of the whole set — by each registered kind of
rule in turn (:mod:`.kinds`). Every problem of every source is reported in one error, located
in the file or record it came from; when a plugin supplied the record concerned the error is a
:class:`PluginError`, so nothing is evaluated without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from governance_core.errors import PolicyError, Problem
from governance_core.expressions import BUILTIN_FUNCTIONS, ExpressionSchema, FunctionRegistry
from governance_core.loading import kinds as registry
from governance_core.loading.manifest import manifest_of
from governance_core.loading.overlays import OverlayFile, read_overlay
from governance_core.loading.policy_set import PolicySet
from governance_core.loading.sources import PolicySource, read_policy_file
from governance_core.messages import _
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.kinds import Assembly
from governance_core.rules.parameter_sections import PARAMETERS, apply_parameter_changes
from governance_core.rules.provenance import Problems

__all__ = ["assemble", "load_policies", "read_files"]


def assemble(
    sources: Sequence[PolicySource],
    overlays: Sequence[OverlayFile] = (),
    *,
    functions: FunctionRegistry = BUILTIN_FUNCTIONS,
) -> PolicySet:
    """One policy set from ``sources``, with ``overlays`` applied in order.

    Parameters come first (every kind's expressions read them), then each registered kind
    (:func:`~governance_core.loading.kinds.registered`) assembles its own records. Raises
    :class:`PluginError` when a plugin's record is concerned in any problem, else
    :class:`PolicyError`; either lists every problem found. The sources are not changed.
    """
    problems = Problems()
    assembly = Assembly(sources, overlays, problems, functions)
    # every id of every kind is known before any kind refers to another's
    sections = registry.policy_sections()
    for section in sections:
        if section.unique:
            assembly.records(section)
    parameters = dict(assembly.records(PARAMETERS))
    apply_parameter_changes(assembly, parameters)
    for name, (_parameter, origin) in parameters.items():
        if name in functions:  # a plugin's function may take a name a parameter has
            problems.at(
                origin,
                ("id",),
                _("parameter id {name!r} is also the name of an expression function").format(
                    name=name
                ),
                name,
                _("rename the parameter"),
            )
    assembly.parameters = {k: p for k, (p, _) in parameters.items()}
    assembly.schema = ExpressionSchema(
        {k: p.kind.expr_type for k, p in assembly.parameters.items()}, functions
    )
    built = {kind.name: kind.assemble(assembly) for kind in registry.registered()}
    assembly.finish(built)
    problems.raise_any()
    suppliers = {
        section.name: assembly.supplied(section.name) for section in sections if section.unique
    }
    origins = {
        section.name: assembly.origins(section.name) for section in sections if section.unique
    }
    return PolicySet(
        assembly.parameters,
        assembly.schema,
        built,
        suppliers,
        tuple(assembly.changes),
        origins,
        manifest_of(sources, overlays),
    )


def _read(
    policies: Iterable[str | Path], overlays: Iterable[str | Path]
) -> tuple[list[PolicySource], list[OverlayFile], list[Problem]]:
    problems: list[Problem] = []
    sources = []
    for path in policies:
        try:
            sources.append(read_policy_file(path, Supplier(SupplierKind.FILE, str(path))))
        except PolicyError as exc:
            problems += exc.problems
    read = []
    for path in overlays:
        try:
            read.append(read_overlay(path))
        except PolicyError as exc:
            problems += exc.problems
    return sources, read, problems


def read_files(
    policies: Iterable[str | Path], overlays: Iterable[str | Path] = ()
) -> tuple[list[PolicySource], list[OverlayFile]]:
    """Read policy files (each its own supplier, named by its path) and overlay files;
    PolicyError lists every problem of every file."""
    sources, read, problems = _read(policies, overlays)
    if problems:
        raise PolicyError(problems)
    return sources, read


def load_policies(
    paths: Iterable[str | Path],
    *,
    overlays: Iterable[str | Path] = (),
    functions: FunctionRegistry = BUILTIN_FUNCTIONS,
) -> PolicySet:
    """Read policy files and overlay files and assemble them, without plugins; PolicyError
    lists every problem of every file: those of the files that could not be read, and those
    that only assembling the others finds (expressions, duplicate ids)."""
    sources, read, problems = _read(paths, overlays)
    try:
        policies = assemble(sources, read, functions=functions)
    except PolicyError as exc:
        problems += exc.problems
    if problems:
        raise PolicyError(problems)
    return policies
