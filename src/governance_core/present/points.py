"""Points statements for people: every posting with why it was made, the balance, the claims
pending or refused."""

from __future__ import annotations

from typing import Any

from governance_core.messages import _, in_language
from governance_core.present.rows import Rows
from governance_core.present.verdicts import Language
from governance_core.present.words import number_text
from governance_core.rules.points import Catalogue, Statement

__all__ = ["statement_lines", "statement_rows"]


def _signed(points: Any) -> str:
    text = number_text(points)
    return text if text.startswith("-") else f"+{text}"


def statement_rows(catalogue: Catalogue, s: Statement, lang: Language) -> Rows:
    """A household's postings: day, points, balance after, why."""
    with in_language(lang):
        h = s.household
        place = " ".join(filter(None, (h.town, h.village)))
        rows = [
            (str(p.on), _signed(p.points), number_text(p.balance), p.explain(catalogue, lang))
            for p in s.postings
        ]
        headers = (_("Date"), _("Points earned"), _("Balance"), _("Why"))
        title = f"{h.name} {h.id}  {place}  {s.as_of}"
        return Rows.of(headers, rows, title=title, separated=True)


def statement_lines(s: Statement, lang: Language) -> list[str]:
    """Below a household's postings: its balance, the notes, the claims pending or refused."""
    with in_language(lang):
        provisional = _("(provisional)") if s.provisional else ""
        lines = [_("Balance: {balance}").format(balance=number_text(s.balance)) + provisional]
        lines += [f"  {note}" for note in s.notes]
        for label, claims in ((_("Pending"), s.pending), (_("Refused"), s.rejected)):
            for c in claims:
                refused = next(
                    (r for r in (c.member_review, c.committee_review) if r and not r.approved),
                    None,
                )
                why = f" — {refused.by}: {refused.note}" if refused and refused.note else ""
                lines.append(f"  {label}: {c.id} {c.item} ({c.occurred_on}){why}")
        return lines
