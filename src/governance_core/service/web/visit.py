"""What every page of the workbench starts from: the service, the signed-in person (a
session whose token is checked again on every request), the form a page sent (bounded), and
the page that says what could not be done."""

from __future__ import annotations

import urllib.parse
from typing import Any, final

import attrs
from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from governance_core.messages import _
from governance_core.service.authorisation import Access, Resource
from governance_core.service.context import Caller, Service, access_for
from governance_core.service.problems import ProblemError
from governance_core.service.web.rendering import HEADERS, page
from governance_core.service.web.sessions import (
    COOKIE,
    Session,
)

__all__ = [
    "Visitor",
    "admitted",
    "form_of",
    "problem_page",
    "running_of",
    "shell",
    "to_sign_in",
    "visitor_of",
]

FORM_BYTES = 64 * 1024
FORM_FIELDS = 200


@final
@attrs.frozen(slots=True)
class Visitor:
    """A signed-in person: the session, the token's caller and the authorisation policy."""

    session: Session
    who: Caller
    may: Access


def running_of(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def visitor_of(request: Request) -> Visitor | None:
    """The signed-in person, checked against the store on every request (a token revoked or
    expired ends its sessions)."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    running = running_of(request)
    now = running.clock()
    found = running.store.sessions.find(session_id, now)
    token = running.store.tokens.valid(found.token_id, now.date()) if found else None
    if found is None or token is None:
        return None
    who = Caller(token)
    return Visitor(Session(session_id, found.csrf), who, access_for(running, who))


def admitted(request: Request, resource: Resource) -> Visitor | Response:
    """The signed-in person who may read ``resource``; otherwise the answer instead: the
    sign-in page, or what the authorisation policy refuses (403), in words."""
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    refusal = visitor.may.read(resource)
    if refusal is not None:
        return problem_page(request, 403, refusal.message, visitor)
    return visitor


def to_sign_in() -> Response:
    return RedirectResponse("/signin", status_code=303, headers=dict(HEADERS))


async def form_of(request: Request) -> dict[str, str]:
    """A form's fields (the last value of each), refused when it is not a form, too large,
    not UTF-8 or of too many fields."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise ProblemError(415, _("send the form as application/x-www-form-urlencoded"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_BYTES:
            raise ProblemError(413, _("the form is over {size:,} bytes").format(size=FORM_BYTES))
    try:
        fields = urllib.parse.parse_qs(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise ProblemError(400, _("the form could not be read")) from None
    return {name: values[-1] for name, values in fields.items()}


def problem_page(request: Request, status: int, detail: str, visitor: Visitor | None) -> Response:
    around = shell(visitor) if visitor is not None else {"visitor": None, "csrf": ""}
    data = {**around, "status": status, "detail": detail}
    return page(request, "problem.html", data, status=status)


def shell(visitor: Visitor) -> dict[str, Any]:
    """What every signed-in page shows around its content: the person, the forms' CSRF
    token, and whether the runs and the audit are theirs to read (the bar links to them only
    then)."""
    return {
        "visitor": visitor,
        "csrf": visitor.session.csrf,
        "reads_runs": visitor.may.read(Resource.RUNS) is None,
        "reads_audit": visitor.may.read(Resource.AUDIT) is None,
    }
