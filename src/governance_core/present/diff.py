"""What `governance diff` reports, for people: whose outcome, grade, place, balance or allowed
step changes, with the items and rules that decided it, the counts per town, and the records
the two sets hold differently. The same tables on the terminal and in the workbook."""

from __future__ import annotations

from pathlib import Path

from governance_core.analysis.impact import Impact
from governance_core.files.spreadsheets import writing_book
from governance_core.loading.kinds import policy_sections
from governance_core.messages import _, language
from governance_core.present.rows import Rows, plain_rows
from governance_core.present.words import status_words, yes_no
from governance_core.rules.criteria import ItemStatus

__all__ = ["diff_heading", "diff_rows", "write_diff_workbook"]


def _items_in_words(items: dict[str, tuple[str, str]]) -> str:
    """Each changed item with its status before and after."""

    def word(status: str) -> str:
        return status if status == "—" else status_words(ItemStatus(status))

    return "; ".join(f"{k}: {word(a)}→{word(b)}" for k, (a, b) in items.items())


def diff_heading(result: Impact) -> str:
    return _("{people} people compared: {base} → {other}").format(
        people=result.people, base=result.base_as_of, other=result.other_as_of
    )


def diff_rows(result: Impact) -> list[Rows]:
    """Each table of a diff, in the language of the moment."""
    changes = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}
    sections = {section.name: section.title_in(language()) for section in policy_sections()}
    outcomes = Rows.of(
        (
            _("List"),
            _("Person"),
            _("Name"),
            _("Town"),
            _("Before"),
            _("After"),
            _("Items"),
            _("Explained before"),
            _("Explained after"),
        ),
        (
            (
                c.list,
                c.person,
                c.name,
                c.town,
                c.before,
                c.after,
                _items_in_words(c.items),
                c.explained_before,
                c.explained_after,
            )
            for c in result.outcomes
        ),
        title=_("Outcomes that change"),
    )
    grades = Rows.of(
        (
            _("Grade policy"),
            _("Person"),
            _("Name"),
            _("Town"),
            _("Before"),
            _("After"),
            _("Place before"),
            _("Place after"),
            _("Rule"),
        ),
        (
            (
                g.grade_policy,
                g.person,
                g.name,
                g.town,
                g.before or "",
                g.after or "",
                g.place_before,
                g.place_after,
                g.rule_after,
            )
            for g in result.grades
        ),
        title=_("Grades and places that change"),
    )
    provisional = _(" (provisional)")
    points = Rows.of(
        (_("Scheme"), _("Household"), _("Name"), _("Town"), _("Before"), _("After")),
        (
            (
                c.scheme,
                c.household,
                c.name,
                c.town,
                c.before + (provisional if c.provisional_before else ""),
                c.after + (provisional if c.provisional_after else ""),
            )
            for c in result.points
        ),
        title=_("Points balances that change"),
    )
    steps = Rows.of(
        (_("Instance"), _("Subject"), _("Step"), _("Before"), _("After"), _("Why not")),
        (
            (c.instance, c.subject, c.step, yes_no(c.before), yes_no(c.after), "; ".join(c.why))
            for c in result.steps
        ),
        title=_("Steps allowed differently"),
    )
    towns = Rows.of(
        (_("Rule"), _("Town"), _("People")),
        ((rule, town, n) for rule, towns in result.by_town.items() for town, n in towns.items()),
        title=_("By town"),
    )
    records = Rows.of(
        (_("Change"), _("Section"), _("Id"), _("What"), _("Citation")),
        (
            (changes[s.change], sections.get(s.section, s.section), s.id, s.what, s.citation)
            for s in result.structure
        ),
        title=_("Records"),
    )
    return [outcomes, grades, points, steps, towns, records]


def write_diff_workbook(result: Impact, path: Path) -> None:
    """The diff's tables, a sheet each."""
    with writing_book(path) as book:
        for rows in diff_rows(result):
            book.table(rows.title or "", list(rows.headers), plain_rows(rows))
