"""Assessments and points over HTTP: an assessment file or a ledger file sent as the body
(JSON), answered in the shapes of `governance score|rank -f json` and `governance points -f
json`, and located where the body has problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.errors import LedgerError, ScoringError
from governance_core.messages import _
from governance_core.present.shapes import assessment_data, statements_data
from governance_core.rules.points import LedgerFile, ledger_from
from governance_core.rules.scoring import AssessmentFile, assessment_file
from governance_core.service.context import (
    JSON_OBJECT,
    CallerDep,
    Day,
    ServiceDep,
    answer,
    bounded_rows,
    file_body,
    located_body,
    read_body,
    work,
)
from governance_core.service.problems import PROBLEMS

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["scoring and points"], responses=PROBLEMS)


@router.post(
    "/assessments",
    response_class=Response,
    responses=JSON_OBJECT,
    openapi_extra={
        "requestBody": file_body(
            "An assessment file (docs/scoring.md): policy, as_of, entries with inputs and ballots.",
            AssessmentFile,
        )
    },
)
async def assess(
    request: Request, running: ServiceDep, who: CallerDep, grade_policy: str | None = None
) -> Response:
    """Score sheets, votes and grades of an assessment, exact (numbers as text): under the
    grade policy the body names, or ``grade_policy``. Vetoes read the service's roster."""
    body = await read_body(request, running.limits)

    def job() -> Any:
        located = located_body(body, ScoringError, running.limits)
        bounded_rows(located, "entries", running.limits.max_people, _("entries"))
        read = assessment_file(located)
        policy = grade_policy or read.policy
        result = running.engine.assess(policy, read.entries, read.as_of, roster=running.roster)
        return assessment_data(result)

    return answer(await work(running, job, body), who)


@router.post(
    "/points/statements",
    response_class=Response,
    responses=JSON_OBJECT,
    openapi_extra={
        "requestBody": file_body(
            "A ledger file (docs/points.md): scheme, households, claims, redemptions.", LedgerFile
        )
    },
)
async def statements(
    request: Request,
    running: ServiceDep,
    who: CallerDep,
    household: str | None = None,
    as_of: Day | None = None,
) -> Response:
    """Points statements: every posting with why it was earned, the balance, pending claims;
    as of ``as_of`` (default: the ledger's last day)."""
    body = await read_body(request, running.limits)

    def job() -> Any:
        located = located_body(body, LedgerError, running.limits)
        rows = {
            "households": _("households"),
            "claims": _("claims"),
            "redemptions": _("redemptions"),
        }
        for key, words in rows.items():
            bounded_rows(located, key, running.limits.max_people * 20, words)
        ledger = ledger_from(located, running.engine.open_ledger)
        day = as_of or ledger.latest() or date.min
        wanted = [household] if household else [h.id for h in ledger.households()]
        return statements_data(ledger.catalogue, [ledger.statement(h, day) for h in wanted])

    return answer(await work(running, job, body), who)
