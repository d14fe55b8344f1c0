"""What the store holds: recorded runs, the outbox, and the audit chain's head and check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from governance_core.messages import _
from governance_core.model import converter
from governance_core.runtime.storage.audit import replay_all, verify
from governance_core.service.context import (
    JSON_OBJECT,
    CallerDep,
    ServiceDep,
    answer,
    work,
)
from governance_core.service.problems import PROBLEMS, ProblemError
from governance_core.shapes import run_records_data

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["records"], responses=PROBLEMS)


@router.get("/runs", response_class=Response, responses=JSON_OBJECT)
async def runs(running: ServiceDep, who: CallerDep) -> Response:
    """Every run that recorded decisions, with how many verdicts and score sheets."""
    found = await work(running, running.store.decisions.runs)
    return answer({"runs": converter.unstructure(found)}, who)


@router.get("/runs/{run:path}", response_class=Response, responses=JSON_OBJECT)
async def run(run: str, running: ServiceDep, who: CallerDep) -> Response:
    """What a run recorded: the shape of `governance runs show -f json`."""
    found = await work(running, lambda: run_records_data(running.store.decisions, run))
    if not found["records"]:
        raise ProblemError(404, _("no run {run!r} is recorded").format(run=run))
    return answer(found, who)


@router.get("/outbox", response_class=Response, responses=JSON_OBJECT)
async def outbox(running: ServiceDep, who: CallerDep, status: str | None = None) -> Response:
    """Every consequence with its delivery: status, attempts, next attempt, last error."""
    rows = await work(running, lambda: list(running.store.outbox.rows(status)))
    return answer({"outbox": converter.unstructure(rows)}, who)


@router.get("/audit/head", response_class=Response, responses=JSON_OBJECT)
async def head(running: ServiceDep, who: CallerDep) -> Response:
    """The chain's head as recorded (``POSITION:HASH`` to keep elsewhere)."""
    position, digest = await work(running, running.store.head)
    return answer({"position": position, "hash": digest}, who)


@router.get("/audit/verify", response_class=Response, responses=JSON_OBJECT)
async def audit(running: ServiceDep, who: CallerDep) -> Response:
    """`governance audit verify`: every event and row checked against the chain, and every
    instance replayed against its pinned definition."""

    def job() -> dict[str, Any]:
        report = verify(running.store)
        differing = replay_all(running.store) if report.ok else []
        return {**converter.unstructure(report), "ok": report.ok, "replay_differs": differing}

    return answer(await work(running, job), who)
