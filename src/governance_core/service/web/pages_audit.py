"""审计: the store's hash chain checked row by row and every instance replayed under its
pinned definition, as ``governance audit verify`` does; for ``auditor`` held everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.service.authorisation import Resource
from governance_core.service.context import work
from governance_core.service.routes_records import audit_data
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


@router.get("/audit")
async def audit_page(request: Request) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    refusal = visitor.may.read(Resource.AUDIT)
    if refusal is not None:
        return problem_page(request, 403, refusal.message, visitor)
    running = running_of(request)
    found = await work(running, lambda: audit_data(running))
    return page(request, "audit.html", {**shell(visitor), "report": found})
