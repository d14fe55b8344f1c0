"""Load the plugins a configuration names, from the entry-point group ``governance_core``.

An entry point names either a module with hook implementations or, for a data-only plugin, a
package of policy files (:mod:`.folder`).

Only named plugins load: an installed plugin nobody named stays out, and a named one that is
missing, of a version outside its specifier, or fails to import is a PluginError naming it
and its version. Every problem of every named plugin is reported together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib.metadata import EntryPoint, entry_points

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from governance_core.errors import PluginError, Problem
from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.plugins._folder import FolderError, data_only
from governance_core.plugins._manager import Plugins
from governance_core.plugins.hookspecs import PROJECT
from governance_core.rules.common import Supplier, SupplierKind

__all__ = ["installed_plugins", "load_named"]


def installed_plugins() -> tuple[EntryPoint, ...]:
    """The plugins installed in this environment (loaded or not), by name."""
    return tuple(sorted(entry_points(group=PROJECT), key=lambda ep: ep.name))


def _requirement(text: str) -> Requirement | Problem:
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        return Problem(
            _("{text!r} is not a plugin name with an optional version: {reason}").format(
                text=text, reason=exc
            ),
            rule_id=text,
            hint=_('write e.g. "shizhong" or "shizhong>=0.1,<1"'),
        )
    if requirement.extras or requirement.url or requirement.marker:
        return Problem(
            _("{text!r}: only a name and a version specifier are allowed").format(text=text),
            rule_id=text,
        )
    return requirement


def _distribution(entry: EntryPoint) -> str:
    """The distribution offering ``entry``, as "name version"."""
    dist = entry.dist
    return f"{dist.name} {dist.version}" if dist is not None else entry.value


def _version(entry: EntryPoint) -> str:
    return entry.dist.version if entry.dist is not None else "unknown"


def _load_one(plugins: Plugins, requirement: Requirement, entry: EntryPoint) -> Problem | None:
    version = _version(entry)
    supplier = Supplier(SupplierKind.PLUGIN, requirement.name, version)
    where = str(supplier)
    if requirement.specifier:
        try:
            ok = Version(version) in requirement.specifier
        except InvalidVersion:
            ok = False
        if not ok:
            return Problem(
                _("version {version} does not satisfy {specifier}").format(
                    version=version, specifier=requirement.specifier
                ),
                file=where,
                rule_id=str(requirement),
                hint=_("install a matching version or change the specifier"),
            )
    try:
        plugin = entry.load()
    except BaseException as exc:  # an import failure of any kind (SystemExit too) fails closed
        return Problem(
            _("failed to import {module}: {kind}: {reason}").format(
                module=entry.value, kind=type(exc).__name__, reason=exc
            ),
            file=where,
        )
    try:
        folder = data_only(plugin)
    except FolderError as refused:
        return Problem(
            str(refused),
            file=where,
            hint=_("a plugin's policy files are regular files in its own folder"),
        )
    if folder is not None:
        if not folder.files:
            return Problem(
                _("{module} holds no policy files (*.yaml) and implements no hook").format(
                    module=entry.value
                ),
                file=where,
                hint=_(
                    "put the district's YAML files in that package's folder, or name the "
                    "module with its @hookimpl functions"
                ),
            )
        plugin = folder
    try:
        plugins.register(plugin, supplier)
    except PluginError as exc:
        return exc.problems[0]
    return None


def load_named(
    plugins: Plugins,
    names: Sequence[str],
    *,
    available: Iterable[EntryPoint] | None = None,
) -> None:
    """Load and register the plugins ``names`` asks for ("shizhong", "shizhong>=0.1").

    ``available`` replaces the installed entry points (tests use it). Raises PluginError
    listing every plugin that could not be loaded; on error none of them is of use, since
    the caller evaluates nothing.
    """
    offered: dict[str, list[EntryPoint]] = {}
    for ep in installed_plugins() if available is None else available:
        same = offered.setdefault(ep.name, [])
        if not any(_distribution(e) == _distribution(ep) for e in same):
            same.append(ep)
    installed = {name: entries[0] for name, entries in offered.items()}
    problems: list[Problem] = []
    seen: set[str] = set()
    for text in names:
        requirement = _requirement(text)
        if isinstance(requirement, Problem):
            problems.append(requirement)
            continue
        if requirement.name in seen:
            continue  # named twice (config and command line): load once
        seen.add(requirement.name)
        entry = installed.get(requirement.name)
        if len(offered.get(requirement.name, ())) > 1:
            # which one would load depends on sys.path order: never guess whose rules apply
            both = " and ".join(_distribution(e) for e in offered[requirement.name])
            problems.append(
                Problem(
                    _(
                        "plugin {name!r} is offered by more than one installed distribution: {both}"
                    ).format(name=requirement.name, both=both),
                    rule_id=str(requirement),
                    hint=_("uninstall all but one of them"),
                )
            )
            continue
        if entry is None:
            hint = did_you_mean(requirement.name, installed) or (
                _(
                    "installed plugins: {installed}; install the distribution that provides it "
                    "(e.g. pip install -e plugins_contrib/{name})"
                ).format(installed=", ".join(sorted(installed)) or "—", name=requirement.name)
            )
            problems.append(
                Problem(
                    _("plugin {name!r} is not installed").format(name=requirement.name),
                    rule_id=str(requirement),
                    hint=hint,
                )
            )
            continue
        problem = _load_one(plugins, requirement, entry)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise PluginError(problems)
