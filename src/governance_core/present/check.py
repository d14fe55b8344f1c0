"""What `governance check` and `governance plugins` show: the loaded lists with their
completeness, the parameters with no value on the day, what overlays changed, the analysis's
findings, what ``--equivalent`` and ``--disjoint`` proved, and the plugins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from governance_core.analysis import Defect
from governance_core.engine import CheckReport, PluginReport
from governance_core.loading.kinds import policy_sections
from governance_core.messages import _, in_language
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.verdicts import Language, completeness_text
from governance_core.present.words import change_words, severity_words

__all__ = ["check_lines", "check_rows", "comparison_rows", "finding_rows", "plugin_rows"]


def check_rows(report: CheckReport, lang: Language) -> Rows:
    """Every loaded list with its completeness and who supplied it."""
    with in_language(lang):
        headers = (_("List"), _("Title"), _("Completeness"), _("Supplied by"))
        rows = []
        for compiled in report.lists:
            c = compiled.criteria
            complete = completeness_text(compiled.completeness(), lang)
            rows.append(
                (
                    c.id,
                    c.title.in_language(lang),
                    Marked.of(complete, Tone.PLAIN if c.complete else Tone.DOUBT),
                    compiled.supplied_by.words(),
                )
            )
        return Rows.of(headers, rows, title=_("Loaded lists"))


def check_lines(report: CheckReport, lang: Language) -> list[str]:
    """What else a check reports, a line each: what is loaded, the parameters with no value
    on the day, what overlays changed."""
    with in_language(lang):
        titles = {section.name: section.title_in(lang) for section in policy_sections()}
        counts = (f"{titles.get(section, section)} {n}" for section, n in report.loaded.items())
        lines = [_("Loaded: {counts}").format(counts=_(", ").join(counts))]
        if report.unvalued:
            lines.append(_("Parameters with no value on {day}:").format(day=report.as_of))
            lines += [
                f"  {p.id} ({p.title.in_language(lang)}) — {p.citation}" for p in report.unvalued
            ]
        if report.changes:
            lines.append(_("Changes made by overlays:"))
            for change in report.changes:
                reason = f" — {change.reason}" if change.reason else ""
                by = change.supplier.words()
                lines.append(f"  {change_words(change.kind)} {change.rule_id} ({by}){reason}")
        return lines


def finding_rows(findings: Sequence[Defect], lang: Language) -> Rows | None:
    """What the analysis found, the most severe first, each where it is written; None when
    it found nothing."""
    if not findings:
        return None
    with in_language(lang):
        headers = (_("Severity"), _("Finding"), _("Rule"), _("Where"), _("Confirmed"))
        rows = [
            (
                severity_words(d.severity.value),
                d.message.in_language(lang),
                d.rule,
                _relative(d.position),
                "✓" if d.confirmed else "✗",
            )
            for d in findings
        ]
        return Rows.of(headers, rows, title=_("What the analysis found"))


def comparison_rows(found: Mapping[str, Any], lang: Language) -> Rows | None:
    """What ``--equivalent`` and ``--disjoint`` proved or refuted, with the witness's
    outcomes; None when neither was asked."""
    comparisons = [*found.get("equivalence", ()), *filter(None, [found.get("disjoint")])]
    if not comparisons:
        return None
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
        outcome = {
            "hit": _("hit"),
            "not_hit": _("not hit"),
            "unknown": _("unknown"),
            "not_in_effect": _("not in effect"),
        }
        sides = {"base": _("base"), "other": _("other")}
        rows = []
        for c in comparisons:
            outcomes = c.witness["outcomes"] if c.witness else {}
            shown = "; ".join(
                f"{sides.get(k, k)}: {outcome.get(v, v)}" for k, v in outcomes.items()
            )
            rows.append((c.list, words[c.relation], shown, "✓" if c.confirmed else "✗"))
        headers = (_("List"), _("Relation"), _("Witness"), _("Confirmed"))
        return Rows.of(headers, rows, title=_("Proved or refuted"))


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


def plugin_rows(reports: Sequence[PluginReport], lang: Language) -> Rows:
    """One row per plugin: name, version, status, hooks, what it provides."""
    with in_language(lang):
        status = {"loaded": _("loaded"), "installed": _("installed, not named")}
        rows = [
            (
                r.supplier.name,
                r.supplier.version,
                Marked.of(
                    status.get(r.status, r.status),
                    Tone.GOOD if r.status == "loaded" else Tone.QUIET,
                ),
                "\n".join(r.hooks),
                "\n".join(_provides(r, lang)),
            )
            for r in reports
        ]
        headers = (_("Name"), _("Version"), _("Status"), _("Hooks"), _("Provides"))
        return Rows.of(headers, rows, title=_("Plugins"), separated=True)
