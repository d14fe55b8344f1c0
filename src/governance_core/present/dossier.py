"""A person's dossier as a reader checks it (the workbench's 核查 page): who they are, the
posts they hold, and every fact a rule may read on the day — findings, counts, amounts,
documents, grades and ranks — each table saying when a source gave none (unknown, not
"none")."""

from __future__ import annotations

from collections.abc import Mapping

from governance_core.messages import _, in_language
from governance_core.model import Dossier, OrganisationTree
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.verdicts import Language
from governance_core.present.words import number_text

__all__ = ["dossier_rows"]


def _unknown(title: str) -> Rows:
    """A table whose facts no source gave: unknown to every rule that reads them."""
    said = Marked.of(_("not given by any source: unknown to the rules"), Tone.DOUBT)
    return Rows.of((_("Facts"),), [(said,)], title=title)


def dossier_rows(dossier: Dossier, tree: OrganisationTree, lang: Language) -> list[Rows]:
    """The person, their posts, and each kind of fact on the dossier's day."""
    with in_language(lang):
        person = dossier.person
        facts = [
            (_("Full name"), person.name),
            (_("Id"), person.id),
            (_("Birth date"), str(person.birth_date or "—")),
            (_("Gender"), person.gender or "—"),
            (_("Education"), person.education or "—"),
            (_("Party member since"), str(person.party_member_since or "—")),
        ]
        tables = [
            Rows.of((_("Item"), _("Value")), facts, title=_("The person")),
            Rows.of(
                (_("Post"), _("Organisation"), _("From"), _("To")),
                [
                    (
                        post.role,
                        _organisation(tree, post.organisation),
                        str(post.start),
                        str(post.end or "—"),
                    )
                    for post in dossier.posts
                ],
                title=_("Posts"),
            ),
        ]
        findings_title = _("Findings")
        if dossier.findings is None:
            tables.append(_unknown(findings_title))
        else:
            tables.append(
                Rows.of(
                    (_("Finding"), _("Established on"), _("By"), _("Evidence")),
                    [
                        (f.kind, str(f.established_on), f.organ, f.evidence or f.text or "")
                        for f in dossier.findings
                    ],
                    title=findings_title,
                )
            )
        tables += [
            _named(_("Counts"), {k: number_text(v) for k, v in dossier.counts.items()}),
            _named(_("Amounts"), {k: number_text(v) for k, v in dossier.amounts.items()}),
            _named(_("Grades"), {str(year): g for year, g in sorted(dossier.grades.items())}),
            _named(_("Ranks"), {k: str(v) for k, v in sorted(dossier.ranks.items())}),
        ]
        documents_title = _("Documents")
        if dossier.documents is None:
            tables.append(_unknown(documents_title))
        else:
            tables.append(
                Rows.of(
                    (_("Document"), _("Kind"), _("Dated")),
                    [(d.id, d.kind, str(d.dated)) for d in dossier.documents],
                    title=documents_title,
                )
            )
        return tables


def _organisation(tree: OrganisationTree, org_id: str) -> str:
    found = tree.get(org_id)
    return f"{found.name} ({org_id})" if found is not None else org_id


def _named(title: str, values: Mapping[str, str]) -> Rows:
    return Rows.of((_("Name"), _("Value")), sorted(values.items()), title=title)
