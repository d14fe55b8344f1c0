"""运行: the recorded runs, and one run per group (town) — grades and places with the rule
that decided each, what is provisional and why, the verdicts, the effects it imposed, a
chart of the grades against the quotas, where one person placed run after run of the same
cycle, and the run as a workbook. For ``auditor``, of the people where the role is held."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.messages import _, language
from governance_core.present.effects import effects_rows
from governance_core.present.runs import (
    grade_bars,
    group_of,
    place_points,
    placing_rows,
    run_grade_rows,
    run_verdict_rows,
)
from governance_core.present.workbook import write_tables
from governance_core.rules.effects import EFFECTS
from governance_core.rules.scoring.kind import SCORING
from governance_core.service.authorisation import Access, Resource
from governance_core.service.context import Service, work
from governance_core.service.web.rendering import HEADERS, page
from governance_core.service.web.visit import (
    Visitor,
    admitted,
    problem_page,
    running_of,
    shell,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/runs")
async def runs_page(request: Request) -> Response:
    visitor = admitted(request, Resource.RUNS)
    if not isinstance(visitor, Visitor):
        return visitor
    running = running_of(request)
    found = await work(running, running.store.decisions.runs)
    return page(request, "runs.html", {**shell(visitor), "runs": found})


def _run_data(
    running: Service, may: Access, run: str, town: str, person: str
) -> dict[str, Any] | None:
    lang = language()
    decisions = running.store.decisions
    sheets = [
        s for s in decisions.recorded_score_sheets(run=run) if may.sees(Resource.RUNS, s.person_id)
    ]
    verdicts = [
        v for v in decisions.recorded_verdicts(run=run) if may.sees(Resource.RUNS, v.person_id)
    ]
    if not sheets and not verdicts:
        return None
    towns = sorted({group_of(s) for s in sheets})
    shown = [s for s in sheets if not town or group_of(s) == town]
    people = {s.person_id for s in shown} | {v.person_id for v in verdicts}
    effects = [
        r.effect
        for r in running.store.effects.effects()
        if r.effect.decided_by == run
        and r.effect.person in people
        and may.sees(Resource.EFFECTS, r.effect.person)
    ]
    declared = running.engine.policies.of(EFFECTS).effects
    cycle = run.rsplit("/", 1)[0]
    placings = []
    if person and may.sees(Resource.RUNS, person):
        for other in decisions.runs():
            if other.run.startswith(cycle + "/"):
                placings += [
                    (other.run, s)
                    for s in decisions.recorded_score_sheets(run=other.run, person_id=person)
                ]
    policies = running.engine.policies.of(SCORING).grade_policies
    day = shown[0].as_of if shown else running.clock().date()
    return {
        "run": run,
        "towns": towns,
        "town": town,
        "person": person,
        "people": sorted(
            {(s.person_id, str(s.body.get("graded", {}).get("name", ""))) for s in sheets}
        ),
        "grades": run_grade_rows(shown, lang),
        "bars": grade_bars(shown, policies, running.engine.policies.values_on(day), lang),
        "verdicts": run_verdict_rows(verdicts, lang),
        "effects": effects_rows(effects, declared, day, lang) if effects else None,
        "placings": placing_rows(placings, lang),
        "points": place_points(placings),
        "provisional": sum(not s.conclusive for s in shown),
        "total": len(shown),
    }


@router.get("/runs/{run:path}/workbook.xlsx")
async def run_workbook(request: Request, run: str) -> Response:
    visitor = admitted(request, Resource.RUNS)
    if not isinstance(visitor, Visitor):
        return visitor
    running = running_of(request)

    def written() -> bytes | None:
        data = _run_data(running, visitor.may, run, "", "")
        if data is None:
            return None
        tables = [*data["grades"], data["verdicts"], data["effects"]]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "run.xlsx"
            write_tables([t for t in tables if t is not None], path, title=run)
            return path.read_bytes()

    found = await work(running, written)
    if found is None:
        return problem_page(request, 404, _("no run {run!r} is recorded").format(run=run), visitor)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {**HEADERS, "Content-Disposition": 'attachment; filename="run.xlsx"'}
    return Response(found, media_type=media, headers=headers)


@router.get("/runs/{run:path}")
async def run_page(request: Request, run: str) -> Response:
    visitor = admitted(request, Resource.RUNS)
    if not isinstance(visitor, Visitor):
        return visitor
    running = running_of(request)
    town = request.query_params.get("town", "")
    person = request.query_params.get("person", "")
    found = await work(running, lambda: _run_data(running, visitor.may, run, town, person))
    if found is None:
        return problem_page(request, 404, _("no run {run!r} is recorded").format(run=run), visitor)
    raw = visitor.who.raw_personal_data
    return page(request, "run.html", {**shell(visitor), **found}, raw_personal_data=raw)
