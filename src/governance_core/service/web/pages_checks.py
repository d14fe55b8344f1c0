"""核查: a person's dossier on a day and the verdicts of the loaded lists on it, item by item
(met, not met, unknown and what is missing), each with its article and who supplied it;
printable. Read by whoever holds a role where the person belongs."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.errors import UnknownPolicyError
from governance_core.messages import _, language
from governance_core.present.dossier import dossier_rows
from governance_core.present.verdicts import verdict_rows
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.service.authorisation import Access
from governance_core.service.context import Service, work
from governance_core.service.web.rendering import page
from governance_core.service.web.visit import (
    problem_page,
    running_of,
    shell,
    to_sign_in,
    visitor_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

MOST_PEOPLE = 2000
"""How many people the page offers to choose from (the rest are asked for by id)."""


def _people(running: Service, may: Access) -> list[tuple[str, str]]:
    """The people the caller may check, by id, at most :data:`MOST_PEOPLE`."""
    roster = running.roster
    found: list[tuple[str, str]] = []
    for person in roster.people if roster is not None else ():
        if may.read_person(person.id) is None:
            found.append((person.id, person.name))
            if len(found) >= MOST_PEOPLE:
                break
    return found


def _checked(running: Service, person_id: str, list_id: str, day: date) -> dict[str, Any]:
    """The dossier and the verdicts: of one list, or of every list loaded."""
    lang = language()
    assert running.roster is not None  # the page asks for a roster first
    dossier = running.roster.dossier(person_id, day)
    if dossier is None:
        return {}
    lists = running.engine.policies.of(CRITERIA)
    wanted = [list_id] if list_id else sorted(lists)
    verdicts = [v for each in wanted for v in running.engine.evaluate(each, [dossier], day)]
    return {
        "dossier": dossier,
        "dossier_tables": dossier_rows(dossier, running.tree, lang),
        "verdicts": verdict_rows(verdicts, lang),
    }


@router.get("/check")
async def check_page(request: Request) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    running = running_of(request)
    if running.roster is None:
        detail = _("the service has no roster: start it with --roster to check a person")
        return problem_page(request, 422, detail, visitor)
    asked = request.query_params
    person, list_id = asked.get("person", "").strip(), asked.get("list", "").strip()
    try:
        day = date.fromisoformat(asked["on"]) if asked.get("on") else running.clock().date()
    except ValueError:
        return problem_page(request, 422, _("give a date as YYYY-MM-DD"), visitor)
    lists = running.engine.policies.of(CRITERIA)
    if list_id:
        try:
            lists.find(list_id)
        except UnknownPolicyError as error:
            return problem_page(request, 404, str(error), visitor)
    if person:
        refusal = visitor.may.read_person(person)
        if refusal is not None:
            return problem_page(request, 404, refusal.message, visitor)
    found = await work(running, lambda: _checked(running, person, list_id, day)) if person else {}
    data = {
        **shell(visitor),
        "day": day,
        "person": person,
        "list_id": list_id,
        "people": await work(running, lambda: _people(running, visitor.may)),
        "lists": [(i, lists[i].criteria.title.in_language(language())) for i in sorted(lists)],
        **found,
    }
    raw = visitor.who.raw_personal_data
    return page(request, "check.html", data, raw_personal_data=raw)
