"""What the store holds: recorded runs, the effects decisions imposed, the incidents, the outbox,
and the audit chain's head and check. Each needs the role the authorisation policy names (``auditor``);
runs, effects and the outbox show only the people and instances where the caller holds it,
the audit chain only to an ``auditor`` held everywhere."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from governance_core.messages import _, language
from governance_core.model import converter
from governance_core.present.effects import effects_data
from governance_core.present.shapes import run_records_data
from governance_core.rules.effects import EFFECTS
from governance_core.service.authorisation import Access, Resource
from governance_core.service.context import (
    JSON_OBJECT,
    AccessDep,
    Service,
    ServiceDep,
    answer,
    work,
)
from governance_core.service.problems import PROBLEMS, ProblemError, refused
from governance_core.storage.audit import replay_all, verify

__all__ = ["audit_data", "router"]

router = APIRouter(prefix="/v1", tags=["records"], responses=PROBLEMS)


def _may(may: Access, resource: Resource) -> None:
    refusal = may.read(resource)
    if refusal is not None:
        raise refused(refusal)


@router.get("/runs", response_class=Response, responses=JSON_OBJECT)
async def runs(running: ServiceDep, may: AccessDep) -> Response:
    """Every run that recorded decisions, with how many verdicts and score sheets (of the
    whole run: which runs there are is not personal)."""
    _may(may, Resource.RUNS)
    found = await work(running, running.store.decisions.runs)
    return answer({"runs": converter.unstructure(found)}, may)


@router.get("/runs/{run:path}", response_class=Response, responses=JSON_OBJECT)
async def run(run: str, running: ServiceDep, may: AccessDep) -> Response:
    """What a run recorded, the shape of `governance runs show -f json`, of the people where
    the caller holds ``auditor``."""
    _may(may, Resource.RUNS)
    found = await work(running, lambda: run_records_data(running.store.decisions, run))
    if not found["records"]:
        raise ProblemError(404, _("no run {run!r} is recorded").format(run=run))
    seen = [r for r in found["records"] if may.sees(Resource.RUNS, str(r["person"]))]
    return answer({**found, "records": seen}, may)


@router.get("/effects", response_class=Response, responses=JSON_OBJECT)
async def effects(
    running: ServiceDep,
    may: AccessDep,
    person: str | None = None,
    as_of: date | None = None,
    every: Annotated[bool, Query(alias="all")] = False,
) -> Response:
    """The effects decisions imposed, the shape of `governance effects -f json`: those in force
    on ``as_of`` (the service's date by default), or ``all=true`` every one with its state; of
    one ``person``, or of everyone where the caller holds ``auditor``."""
    _may(may, Resource.EFFECTS)
    day = as_of or may.today
    declared = running.engine.policies.of(EFFECTS).effects

    def job() -> list[Any]:
        found = running.store.effects.effects(person_id=person, in_force_on=None if every else day)
        seen = [r.effect for r in found if may.sees(Resource.EFFECTS, r.effect.person)]
        return effects_data(seen, declared, day, language())

    return answer({"as_of": day.isoformat(), "effects": await work(running, job)}, may)


@router.get("/incidents", response_class=Response, responses=JSON_OBJECT)
async def incidents(
    running: ServiceDep, may: AccessDep, every: Annotated[bool, Query(alias="all")] = False
) -> Response:
    """The incidents open (``all=true``: resolved too), the shape of `governance incidents
    -f json`, of the people where the caller holds ``auditor``."""
    _may(may, Resource.INCIDENTS)

    def job() -> list[Any]:
        found = running.store.incidents.incidents(open_only=not every)
        seen = [i for i in found if i.subject is None or may.sees(Resource.INCIDENTS, i.subject)]
        return converter.unstructure(seen)  # type: ignore[no-any-return]

    return answer({"incidents": await work(running, job)}, may)


def _outbox_rows(running: Service, may: Access, status: str | None) -> list[Any]:
    readable: dict[str, bool] = {}
    shown = []
    for row in running.store.outbox.rows(status):
        if row.instance not in readable:
            instance = running.store.load(row.instance)
            definition = running.runtime.process(instance.process).definition
            readable[row.instance] = may.read_instance(instance, definition) is None
        if readable[row.instance]:
            shown.append(row)
    return converter.unstructure(shown)  # type: ignore[no-any-return]


@router.get("/outbox", response_class=Response, responses=JSON_OBJECT)
async def outbox(running: ServiceDep, may: AccessDep, status: str | None = None) -> Response:
    """Every consequence with its delivery (status, attempts, next attempt, last error), of
    the instances the caller may read."""
    _may(may, Resource.OUTBOX)
    rows = await work(running, lambda: _outbox_rows(running, may, status))
    return answer({"outbox": rows}, may)


@router.get("/audit/head", response_class=Response, responses=JSON_OBJECT)
async def head(running: ServiceDep, may: AccessDep) -> Response:
    """The chain's head as recorded (``POSITION:HASH`` to keep elsewhere)."""
    _may(may, Resource.AUDIT)
    position, digest = await work(running, running.store.head)
    return answer({"position": position, "hash": digest}, may)


@router.get("/audit/verify", response_class=Response, responses=JSON_OBJECT)
async def audit(running: ServiceDep, may: AccessDep) -> Response:
    """`governance audit verify`: every event and row checked against the chain, and every
    instance replayed against its pinned definition."""
    _may(may, Resource.AUDIT)
    return answer(await work(running, lambda: audit_data(running)), may)


def audit_data(running: Service) -> dict[str, Any]:
    """The chain checked and every instance replayed (the API's and the workbench's)."""
    report = verify(running.store)
    differing = replay_all(running.store) if report.ok else []
    return {**converter.unstructure(report), "ok": report.ok, "replay_differs": differing}
