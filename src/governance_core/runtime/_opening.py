"""Which findings open which procedures: every conclusive hit of an ``opens_procedure`` list
(a finding of one of the 有错无为 conditions opens the dismissal), with the request id and the
instance id that follow from the finding itself, so that the same finding seen again next
quarter, or in another run anywhere, opens nothing new."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import final

import attrs

from governance_core.messages import RECORDS_LANGUAGE, _, in_language
from governance_core.rules.criteria.definition import Effect
from governance_core.rules.criteria.verdicts import ItemVerdict, ListVerdict, Outcome

__all__ = ["Opening", "openings"]


@final
@attrs.frozen(slots=True)
class Opening:
    """A procedure a verdict opens: about whom, under which ids, and the note saying why."""

    procedure: str
    subject: str
    instance_id: str
    request_id: str
    note: str


def openings(verdicts: Iterable[ListVerdict]) -> Iterator[Opening]:
    for v in verdicts:
        if v.effect is not Effect.OPENS_PROCEDURE or v.procedure is None:
            continue
        if v.outcome is not Outcome.HIT or not v.conclusive:
            continue
        met = ", ".join(f"{i.id} ({i.title.zh})" for i in v.met())
        evidence = sorted({e for i in v.met() for e in i.evidence})
        with in_language(RECORDS_LANGUAGE):  # kept in the records, read by the district
            note = _("opened by list {list} on {day}: {met}").format(
                list=v.list_id, day=v.as_of, met=met
            )
            if evidence:
                note += _("; evidence {ids}").format(ids=", ".join(evidence))
        request = _opened_by(v.list_id, v.person_id, evidence, v.met())
        # the instance's id follows from the finding too: a run gives the same records
        # however often, and wherever, it is repeated (benchmarks/province.py --jobs)
        digest = hashlib.sha256(request.encode("utf-8")).hexdigest()[:12]
        yield Opening(v.procedure, v.person_id, f"{v.procedure}/{digest}", request, note)


def _opened_by(list_id: str, person: str, evidence: list[str], met: Iterable[ItemVerdict]) -> str:
    """The request id of a procedure opened by a list's hit: the same findings, the same id."""
    basis = "+".join(evidence) if evidence else "+".join(f"item:{i.id}" for i in met)
    if len(basis) > 80:  # many findings: their digest, so the id stays short
        basis = "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
    return f"opened-by/{list_id}/{person}/{basis}"
