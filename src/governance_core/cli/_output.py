"""Verdicts and check reports as rich tables or JSON, in Chinese or English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance_core.analysis import Defect
from governance_core.engine import CheckReport, PluginReport
from governance_core.files import masked
from governance_core.loading.kinds import policy_sections
from governance_core.messages import _, in_language
from governance_core.rendering.verdicts import (
    Language,
    completeness_text,
    item_reasons,
    outcome_text,
    status_text,
)
from governance_core.rules.criteria.verdicts import ItemStatus, ListVerdict
from governance_core.rules.provenance import ChangeKind

__all__ = [
    "plain_console",
    "print_check",
    "print_plugins",
    "print_verdicts",
]

_STYLE = {
    ItemStatus.MET: "bold red",
    ItemStatus.NOT_MET: "green",
    ItemStatus.UNKNOWN: "yellow",
    ItemStatus.NOT_IN_EFFECT: "dim",
}


class _PlainConsole(Console):
    """Text as it is, and masked before it is laid out: a table may wrap a long number over
    two lines, where the masking of the output stream would no longer see it whole."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(masked(text), **options)


def plain_console(*, stderr: bool = False) -> Console:
    """A console that prints text as it is: names, subjects and titles are never read as
    rich markup (``[/x]`` in a name would end a style that was never opened, and crash),
    and personal data is masked under the policy of :mod:`governance_core.files`."""
    return _PlainConsole(stderr=stderr, markup=False, emoji=False, highlight=False)


def print_verdicts(console: Console, verdicts: Sequence[ListVerdict], lang: Language) -> None:
    """One table per list: a row per person, every item with the values that decided it."""
    with in_language(lang):
        headers = (_("Person"), _("Outcome"), _("Items"), _("Source"))
    for _list_id, group in groupby(verdicts, key=lambda v: v.list_id):
        rows = list(group)
        first = rows[0]
        table = Table(
            title=f"{first.title.in_language(lang)}  [{first.list_id}]",
            caption=f"{first.citation}  ·  {completeness_text(first.completeness, lang)}",
            show_lines=True,
        )
        for header in headers:
            table.add_column(header, overflow="fold")
        for v in rows:
            # Text, not markup: titles and reasons hold brackets such as evidence ids
            items = Text()
            for n, item in enumerate(v.items):
                number = f"{item.number}. " if item.number else ""
                reasons = "".join(f"\n    {r}" for r in item_reasons(item, lang))
                items.append_text(
                    Text.assemble(
                        "\n" if n else "",
                        (status_text(item.status, lang), _STYLE[item.status]),
                        f" {number}{item.title.in_language(lang)}{reasons}",
                    )
                )
            sources = sorted({i.citation.article for i in v.items})
            table.add_row(
                Text(f"{v.person_name}\n{v.person_id}"),
                Text(outcome_text(v, lang)),
                items,
                Text("\n".join(sources)),
            )
        console.print(table)


def print_check(console: Console, report: CheckReport, lang: Language) -> None:
    """Every list with its completeness, then the parameters with no value on the date."""
    with in_language(lang):
        _print_check(console, report, lang)


def _print_check(console: Console, report: CheckReport, lang: Language) -> None:
    table = Table(title=_("Loaded lists"))
    for header in (_("List"), _("Title"), _("Completeness"), _("Supplied by")):
        table.add_column(header, overflow="fold")
    for compiled in report.lists:
        c = compiled.criteria
        completeness = Text(
            completeness_text(compiled.completeness(), lang), "" if c.complete else "yellow"
        )
        table.add_row(
            Text(c.id),
            Text(c.title.in_language(lang)),
            completeness,
            Text(compiled.supplied_by.words()),
        )
    console.print(table)
    titles = {section.name: section.title_in(lang) for section in policy_sections()}
    counts = (f"{titles.get(section, section)} {n}" for section, n in report.loaded.items())
    console.print(Text(_("Loaded: {counts}").format(counts=_(", ").join(counts))))
    if report.unvalued:
        console.print(Text(_("Parameters with no value on {day}:").format(day=report.as_of)))
        for p in report.unvalued:
            console.print(Text(f"  {p.id} ({p.title.in_language(lang)}) — {p.citation}"))
    if report.changes:
        console.print(Text(_("Changes made by overlays:")))
        for change in report.changes:
            reason = f" — {change.reason}" if change.reason else ""
            by = change.supplier.words()
            console.print(Text(f"  {_change_words(change.kind)} {change.rule_id} ({by}){reason}"))


def print_findings(console: Console, findings: Sequence[Defect], lang: Language) -> None:
    """What the analysis found, the most severe first, each with where it is written."""
    with in_language(lang):
        if not findings:
            console.print(Text(_("The analysis found nothing.")))
            return
        table = Table(title=_("What the analysis found"))
        for header in (_("Severity"), _("Finding"), _("Rule"), _("Where"), _("Confirmed")):
            table.add_column(header, overflow="fold")
        words = {"error": _("error"), "warning": _("warning"), "info": _("info")}
        for d in findings:
            table.add_row(
                Text(words[d.severity.value]),
                Text(d.message.in_language(lang)),
                Text(d.rule),
                Text(_relative(d.position)),
                "✓" if d.confirmed else "✗",
            )
        console.print(table)


def print_comparisons(console: Console, found: Mapping[str, Any], lang: Language) -> None:
    """What ``--equivalent`` and ``--disjoint`` proved or refuted, with the witness's
    outcomes."""
    with in_language(lang):
        words = {
            "equivalent": _("equivalent: no one's outcome changes"),
            "wider": _("wider: everyone hit before still is, and more"),
            "narrower": _("narrower: some hit before no longer are"),
            "different": _("different: outcomes change both ways"),
            "added": _("added"),
            "removed": _("removed"),
            "disjoint": _("disjoint: no one can be hit by both"),
            "overlapping": _("overlapping: someone can be hit by both"),
            "undecided": _("undecided: the solver did not answer in time"),
        }
        comparisons = [*found.get("equivalence", ()), *filter(None, [found.get("disjoint")])]
        if not comparisons:
            return
        table = Table(title=_("Proved or refuted"))
        for header in (_("List"), _("Relation"), _("Witness"), _("Confirmed")):
            table.add_column(header, overflow="fold")
        outcome = {
            "hit": _("hit"),
            "not_hit": _("not hit"),
            "unknown": _("unknown"),
            "not_in_effect": _("not in effect"),
        }
        sides = {"base": _("base"), "other": _("other")}
        for c in comparisons:
            outcomes = c.witness["outcomes"] if c.witness else {}
            shown = "; ".join(
                f"{sides.get(k, k)}: {outcome.get(v, v)}" for k, v in outcomes.items()
            )
            table.add_row(
                Text(c.list), Text(words[c.relation]), Text(shown), "✓" if c.confirmed else "✗"
            )
        console.print(table)


def _relative(position: str) -> str:
    """A position under the working folder, relative to it (shorter to read)."""
    here = f"{Path.cwd()}/"
    return position.removeprefix(here)


def _provides(report: PluginReport, lang: Language) -> list[str]:
    lines = [
        f"{facts.list_id}  {completeness_text(facts.completeness, lang)}" for facts in report.lists
    ]
    named = [(_("parameters"), report.parameters), (_("functions"), report.functions)]
    titles = {section.name: section.title_in(lang) for section in policy_sections()}
    named += [(titles.get(section, section), ids) for section, ids in report.records.items()]
    for title, ids in named:
        if ids:
            lines.append(_("{title}: {ids}").format(title=title, ids=", ".join(ids)))
    return lines


def print_plugins(console: Console, reports: Sequence[PluginReport], lang: Language) -> None:
    """One row per plugin: name, version, status, hooks, what it provides."""
    with in_language(lang):
        _print_plugins(console, reports, lang)


def _print_plugins(console: Console, reports: Sequence[PluginReport], lang: Language) -> None:
    table = Table(title=_("Plugins"), show_lines=True)
    for header in (_("Name"), _("Version"), _("Status"), _("Hooks"), _("Provides")):
        table.add_column(header, overflow="fold")
    for r in reports:
        table.add_row(
            Text(r.supplier.name),
            Text(r.supplier.version),
            Text(_status_words(r.status), "green" if r.status == "loaded" else "dim"),
            Text("\n".join(r.hooks)),
            Text("\n".join(_provides(r, lang))),
        )
    console.print(table)


def _change_words(kind: ChangeKind) -> str:
    words = {
        ChangeKind.ADDED: _("added"),
        ChangeKind.REPLACED: _("replaced"),
        ChangeKind.REMOVED: _("removed"),
        ChangeKind.VALUES_ADDED: _("values added"),
        ChangeKind.VALUES_REPLACED: _("values replaced"),
        ChangeKind.EXTENDED: _("extended"),
    }
    return words[kind]


def _status_words(status: str) -> str:
    words = {"loaded": _("loaded"), "installed": _("installed, not named")}
    return words.get(status, status)
