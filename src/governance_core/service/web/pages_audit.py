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
    Visitor,
    admitted,
    running_of,
    shell,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/audit")
async def audit_page(request: Request) -> Response:
    visitor = admitted(request, Resource.AUDIT)
    if not isinstance(visitor, Visitor):
        return visitor
    running = running_of(request)
    found = await work(running, lambda: audit_data(running))
    return page(request, "audit.html", {**shell(visitor), "report": found})
