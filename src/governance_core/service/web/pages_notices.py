"""公示: printable announcements — a run's ranking per town (the 通报 市中区 makes of its
monthly ranking), and the people a procedure holds in a state such as its public notice
(a selection's 公示), with the notice's dates on the official calendar. The sources name
these announcements but publish no form for them: the page gives what the records hold, and
the source of each, nothing more."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.errors import UnknownPolicyError
from governance_core.messages import _, language
from governance_core.present.runs import group_of, score_text
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING
from governance_core.service.authorisation import Access, Resource
from governance_core.service.context import Service, work
from governance_core.service.web.rendering import page
from governance_core.service.web.visit import (
    Visitor,
    admitted,
    problem_page,
    running_of,
    shell,
    to_sign_in,
    visitor_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _where(running: Service, person: str, day: date) -> str:
    """The person's posts on the day, in words (职务 at 组织)."""
    dossier = running.roster.dossier(person, day) if running.roster is not None else None
    if dossier is None:
        return ""
    posts = []
    for post in dossier.posts:
        if post.held_on(day):
            found = running.tree.get(post.organisation)
            posts.append(f"{found.name if found else post.organisation} {post.role}")
    return "；".join(posts)


def _name(running: Service, person: str, day: date) -> str:
    dossier = running.roster.dossier(person, day) if running.roster is not None else None
    return dossier.person.name if dossier is not None else person


def _ranking(running: Service, may: Access, run: str, town: str) -> dict[str, Any] | None:
    sheets = [
        s
        for s in running.store.decisions.recorded_score_sheets(run=run)
        if may.sees(Resource.RUNS, s.person_id) and (not town or group_of(s) == town)
    ]
    if not sheets:
        return None
    lang = language()
    policies = running.engine.policies.of(SCORING).grade_policies
    groups: dict[str, list[Any]] = {}
    for s in sorted(sheets, key=lambda s: (group_of(s), s.place or 10**9, s.person_id)):
        groups.setdefault(group_of(s), []).append(s)
    policy = policies.get(sheets[0].policy_id)
    return {
        "title": policy.title.in_language(lang) if policy else sheets[0].policy_id,
        "citation": str(policy.citation) if policy else "",
        "as_of": sheets[0].as_of,
        "groups": groups,
        "settled": all(s.conclusive for s in sheets),
        "name": lambda s: str(s.body.get("graded", {}).get("name", "")) or s.person_id,
        "score": score_text,
    }


@router.get("/notices/runs/{run:path}")
async def ranking_notice(request: Request, run: str) -> Response:
    visitor = admitted(request, Resource.RUNS)
    if not isinstance(visitor, Visitor):
        return visitor
    running = running_of(request)
    town = request.query_params.get("town", "")
    found = await work(running, lambda: _ranking(running, visitor.may, run, town))
    if found is None:
        return problem_page(request, 404, _("no run {run!r} is recorded").format(run=run), visitor)
    data = {**shell(visitor), **found, "run": run}
    raw = visitor.who.raw_personal_data
    return page(request, "notice_ranking.html", data, raw_personal_data=raw)


def _held(running: Service, may: Access, process_id: str, state: str) -> dict[str, Any]:
    lang = language()
    definition = running.engine.policies.of(PROCEDURES).find(process_id)
    if state not in {s.id for s in definition.states}:
        message = _("{process} has no state {state!r}").format(process=process_id, state=state)
        raise LookupError(message)
    day = running.clock().date()
    deadlines = {
        d.deadline.instance: d.deadline for d in running.runtime.due(day, horizon_days=366 * 5)
    }
    people = []
    for instance in running.store.instances():
        if instance.process != process_id or instance.state != state:
            continue
        if may.read_instance(instance, definition) is not None:
            continue
        deadline = deadlines.get(instance.id)
        people.append(
            {
                "name": _name(running, instance.subject, day),
                "where": _where(running, instance.subject, day),
                "from": instance.entered_on,
                "to": deadline.last_day if deadline else None,
                "unknown_because": deadline.unknown_because if deadline else None,
            }
        )
    people.sort(key=lambda p: (str(p["where"]), str(p["name"])))
    return {
        "title": definition.title.in_language(lang),
        "state": definition.state(state).title.in_language(lang),
        "citation": str(definition.citation),
        "people": people,
        "day": day,
    }


@router.get("/notices/procedures/{process_id}/{state}")
async def procedure_notice(request: Request, process_id: str, state: str) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    running = running_of(request)
    try:
        found = await work(running, lambda: _held(running, visitor.may, process_id, state))
    except (UnknownPolicyError, LookupError) as error:
        return problem_page(request, 404, str(error), visitor)
    raw = visitor.who.raw_personal_data
    return page(
        request, "notice_procedure.html", {**shell(visitor), **found}, raw_personal_data=raw
    )
