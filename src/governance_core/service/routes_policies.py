"""The loaded policies: what there is, one with its completeness and citations, and the
check `governance check` prints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.model import converter
from governance_core.present.shapes import check_data, list_facts_data
from governance_core.present.verdicts import Language, completeness_text
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.points.kind import POINTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING
from governance_core.service.authorisation import Resource
from governance_core.service.context import (
    JSON_OBJECT,
    AccessDep,
    CallerDep,
    Day,
    ServiceDep,
    answer,
)
from governance_core.service.problems import PROBLEMS, ProblemError, refused

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["policies"], responses=PROBLEMS)


def _heading(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "title": converter.unstructure(record.title),
        "citation": converter.unstructure(record.citation),
    }


@router.get("/policies", response_class=Response, responses=JSON_OBJECT)
def policies(running: ServiceDep, who: CallerDep, lang: Language = "zh") -> Response:
    """Every loaded list (with its completeness), grade policy, rubric, points scheme and
    procedure, each with its title and citation."""
    found = running.engine.policies
    scoring = found.of(SCORING)
    lists = [list_facts_data(c.facts, lang) for c in found.of(CRITERIA).values()]
    return answer(
        {
            "lists": lists,
            "grade_policies": [_heading(p) for p in scoring.grade_policies.values()],
            "rubrics": [_heading(r) for r in scoring.rubrics.values()],
            "points_schemes": [_heading(c.scheme) for c in found.of(POINTS).catalogues.values()],
            "procedures": [_heading(p) for p in found.of(PROCEDURES).values()],
        },
        who,
    )


@router.get("/policies/{policy_id}", response_class=Response, responses=JSON_OBJECT)
def policy(policy_id: str, running: ServiceDep, who: CallerDep, lang: Language = "zh") -> Response:
    """One policy whole: a list with its items, completeness and citations, a grade policy, a
    rubric, a points scheme or a procedure."""
    found = running.engine.policies
    scoring = found.of(SCORING)
    if policy_id in found.of(CRITERIA):
        compiled = found.of(CRITERIA)[policy_id]
        return answer(
            {
                "kind": "list",
                **converter.unstructure(compiled.criteria),
                "completeness": converter.unstructure(compiled.facts.completeness),
                "completeness_text": completeness_text(compiled.facts.completeness, lang),
            },
            who,
        )
    kinds = (
        ("grade_policy", scoring.grade_policies),
        ("rubric", scoring.rubrics),
        ("points_scheme", found.of(POINTS).catalogues),
        ("procedure", found.of(PROCEDURES)),
    )
    for kind, records in kinds:
        if policy_id in records:
            return answer({"kind": kind, **converter.unstructure(records[policy_id])}, who)
    known = [*found.of(CRITERIA), *(k for _, records in kinds for k in records)]
    hint = did_you_mean(policy_id, known)
    raise ProblemError(
        404, _("no policy has the id {id!r}").format(id=policy_id) + (f"; {hint}" if hint else "")
    )


@router.get("/check", response_class=Response, responses=JSON_OBJECT)
def check(
    running: ServiceDep, may: AccessDep, as_of: Day | None = None, lang: Language = "zh"
) -> Response:
    """What `governance check` reports: problems, incomplete lists, parameters without a value
    on ``as_of`` (default: today on the service's clock), what overlays changed. Needs the
    role ``auditor`` or ``policy_staff``."""
    refusal = may.read(Resource.CHECK)
    if refusal is not None:
        raise refused(refusal)
    day = as_of or running.clock().date()
    return answer(check_data(running.engine.check(day), lang), may)
