"""Evaluating a list over people the caller sends: a roster in the body (the shape of a
roster file, JSON), located where it has problems as a roster file would be."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.errors import RosterError
from governance_core.messages import _
from governance_core.model import Roster
from governance_core.model.roster_file import roster_from
from governance_core.present.shapes import verdicts_data
from governance_core.present.verdicts import Language
from governance_core.service.context import (
    JSON_ARRAY,
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
from governance_core.service.problems import PROBLEMS, ProblemError

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["lists"], responses=PROBLEMS)

_ROSTER = file_body(
    "A roster, as a roster file holds it (docs/main-job.md, `governance import`): people, "
    "organisations, posts, findings, documents, grades.",
    Roster,
)


@router.post(
    "/lists/{list_id}/evaluate",
    response_class=Response,
    openapi_extra={"requestBody": _ROSTER},
    responses=JSON_ARRAY,
)
async def evaluate(
    list_id: str,
    as_of: Day,
    request: Request,
    running: ServiceDep,
    who: CallerDep,
    person: str | None = None,
    lang: Language = "zh",
) -> Response:
    """Evaluate LIST for everyone in the roster sent (or only ``person``) as of a date,
    explaining every item: the shape of `governance evaluate -f json`."""
    body = await read_body(request, running.limits)

    def job() -> list[object]:
        located = located_body(body, RosterError, running.limits)
        bounded_rows(located, "people", running.limits.max_people, _("people"))
        roster = roster_from(located)
        people = roster.dossiers(as_of)
        if person is not None:
            people = [d for d in people if d.person.id == person]
            if not people:
                raise ProblemError(
                    404, _("the roster has no person {person!r}").format(person=person)
                )
        verdicts = running.engine.evaluate(list_id, people, as_of)
        return list(verdicts_data(verdicts, lang))

    return answer(await work(running, job, body), who)
