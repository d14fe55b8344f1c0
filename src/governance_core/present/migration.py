"""A migration's plan or outcome as people read it (``governance migrate``): each instance that
moves (from which state and version to which) and each that cannot, with why."""

from __future__ import annotations

from governance_core.jobs.migration import MigrationPlan
from governance_core.messages import _
from governance_core.present.rows import Marked, Rows, Tone

__all__ = ["migration_rows"]


def migration_rows(plan: MigrationPlan, *, dry_run: bool) -> Rows:
    """One row per instance: what happens to it, or why it cannot move."""
    moves = [
        (
            m.instance,
            m.subject,
            f"{m.state}（v{m.from_version}）",
            f"{m.to_state}（v{plan.to_version}）",
            Marked.of(_("moves") if dry_run else _("moved"), Tone.GOOD),
        )
        for m in plan.moves
    ]
    refused = [
        (r.instance, r.subject, r.state, "", Marked.of("；".join(r.reasons), Tone.BAD))
        for r in plan.refused
    ]
    title = (
        _("Plan: {process} to version {version}")
        if dry_run
        else _("{process} to version {version}")
    ).format(process=plan.process, version=plan.to_version)
    caption = _("{moves} move, {refused} cannot").format(moves=len(moves), refused=len(refused))
    headers = (_("instance"), _("subject"), _("from"), _("to"), _("outcome"))
    return Rows.of(headers, [*moves, *refused], title=title, caption=caption)
