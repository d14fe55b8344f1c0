"""Points statements as rich tables or exact JSON: every posting with why it was made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance_core.messages import _, in_language
from governance_core.rendering.verdicts import Language, number_text
from governance_core.rules.points import Catalogue, Statement

__all__ = ["print_statements"]


def _signed(points: Any) -> str:
    text = number_text(points)
    return text if text.startswith("-") else f"+{text}"


def print_statements(
    console: Console, catalogue: Catalogue, statements: Sequence[Statement], lang: Language
) -> None:
    with in_language(lang):
        _print_statements(console, catalogue, statements, lang)


def _print_statements(
    console: Console, catalogue: Catalogue, statements: Sequence[Statement], lang: Language
) -> None:
    for s in statements:
        h = s.household
        place = " ".join(filter(None, (h.town, h.village)))
        provisional = _("(provisional)") if s.provisional else ""
        table = Table(title=f"{h.name} {h.id}  {place}  {s.as_of}", show_lines=True)
        for header in (_("Date"), _("Points earned"), _("Balance"), _("Why")):
            table.add_column(header, overflow="fold")
        for p in s.postings:
            table.add_row(
                Text(str(p.on)),
                Text(_signed(p.points)),
                Text(number_text(p.balance)),
                Text(p.explain(catalogue, lang)),
            )
        console.print(table)
        console.print(_("Balance: {balance}").format(balance=number_text(s.balance)) + provisional)
        for note in s.notes:
            console.print(f"  {note}")
        for label, claims in (
            (_("Pending"), s.pending),
            (_("Refused"), s.rejected),
        ):
            for c in claims:
                refused = next(
                    (r for r in (c.member_review, c.committee_review) if r and not r.approved),
                    None,
                )
                why = f" — {refused.by}: {refused.note}" if refused and refused.note else ""
                console.print(f"  {label}: {c.id} {c.item} ({c.occurred_on}){why}")
