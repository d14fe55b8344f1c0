"""政策: the rules in force on a day, as a legislation explorer — every loaded list with its
completeness (已编码3/9项) and who supplied it, each list's items with the expression that
decides each and its article, the other kinds' rules with their sources and dates, the
parameters without a value, what overlays changed, and (for ``auditor`` or ``policy_staff``)
what the analysis proves about the rules."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.analysis import analyse
from governance_core.errors import UnknownPolicyError
from governance_core.messages import _, language
from governance_core.present.check import check_lines, check_rows, finding_rows
from governance_core.present.policies import list_item_rows, rules_rows
from governance_core.present.verdicts import completeness_text, hit_means
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.service.authorisation import Resource
from governance_core.service.context import work
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

ANALYSIS_SECONDS = 20.0
"""How long the analysis may take on a page (the command has a minute)."""


def _day(request: Request) -> date | None:
    asked = request.query_params.get("on")
    if not asked:
        return running_of(request).clock().date()
    try:
        return date.fromisoformat(asked)
    except ValueError:
        return None


def _bad_day(request: Request, visitor: Visitor) -> Response:
    return problem_page(request, 422, _("give a date as YYYY-MM-DD"), visitor)


@router.get("/policies")
async def policies_page(request: Request) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    day = _day(request)
    if day is None:
        return _bad_day(request, visitor)
    running, lang = running_of(request), language()
    report = running.engine.check(day)
    lists = sorted(running.engine.policies.of(CRITERIA).values(), key=lambda c: c.criteria.id)
    data = {
        **shell(visitor),
        "day": day,
        "lists": check_rows(report, lang),
        "list_links": [(c.criteria.id, c.criteria.title.in_language(lang)) for c in lists],
        "lines": check_lines(report, lang),
        "kinds": rules_rows(running.engine.policies, day, lang),
        "may_analyse": visitor.may.read(Resource.CHECK) is None,
    }
    return page(request, "policies.html", data)


@router.get("/policies/lists/{list_id}")
async def list_page(request: Request, list_id: str) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    day = _day(request)
    if day is None:
        return _bad_day(request, visitor)
    running, lang = running_of(request), language()
    try:
        compiled = running.engine.policies.of(CRITERIA).find(list_id)
    except UnknownPolicyError as error:
        return problem_page(request, 404, str(error), visitor)
    criteria = compiled.criteria
    data = {
        **shell(visitor),
        "day": day,
        "criteria": criteria,
        "completeness": completeness_text(compiled.facts.completeness, lang),
        "effect": hit_means(criteria.effect),
        "supplied_by": compiled.supplied_by.words(),
        "items": list_item_rows(criteria, day, lang),
    }
    return page(request, "policy_list.html", data)


@router.get("/policies/analysis")
async def analysis_page(request: Request) -> Response:
    visitor = admitted(request, Resource.CHECK)
    if not isinstance(visitor, Visitor):
        return visitor
    day = _day(request)
    if day is None:
        return _bad_day(request, visitor)
    running, lang = running_of(request), language()
    findings = await work(running, lambda: analyse(running.engine, day, seconds=ANALYSIS_SECONDS))
    data = {**shell(visitor), "day": day, "findings": finding_rows(findings, lang)}
    return page(request, "analysis.html", data)
