"""程序: one instance — where it stands, its diagram, history, deadlines and effects, and
each step the person may take (a form) or why not, item by item; a step is taken through the
same runtime call as ``POST /v1/instances/{id}/fire``."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from governance_core.errors import (
    GovernanceError,
    RequestReusedError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.messages import _, language
from governance_core.present.diagram import svg
from governance_core.present.effects import effects_rows
from governance_core.present.procedures import deadline_rows, history_rows, permission_rows
from governance_core.present.verdicts import verdict_rows
from governance_core.rules.effects import EFFECTS
from governance_core.runtime import ProcessInstance, fingerprint, request_key
from governance_core.service.authorisation import Access
from governance_core.service.context import Service, work
from governance_core.service.problems import ProblemError
from governance_core.service.routes_procedures import readable
from governance_core.service.web.rendering import HEADERS, page
from governance_core.service.web.sessions import (
    new_key,
    same,
)
from governance_core.service.web.visit import (
    Visitor,
    form_of,
    problem_page,
    running_of,
    shell,
    to_sign_in,
    visitor_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _instance_data(running: Service, may: Access, instance_id: str) -> dict[str, Any]:
    """Everything the instance page shows, read under the caller's authorisation."""
    lang = language()
    instance = readable(running, may, instance_id)
    runtime = running.runtime
    definition = runtime.process(instance.process).definition
    now = running.clock()
    permissions = runtime.allowed(instance, may.acting(instance.subject), now)
    deadlines = [
        d.deadline
        for d in runtime.due(now.date(), horizon_days=366 * 5)
        if d.deadline.instance == instance.id
    ]
    refused_lists = {
        p.step: verdict_rows([v.list_verdict for v in p.verdicts if v.list_verdict], lang)
        for p in permissions
        if not p.allowed
    }
    effects = [
        r.effect
        for r in running.store.effects.effects(in_force_on=now.date())
        if r.effect.person == instance.subject
    ]
    declared = running.engine.policies.of(EFFECTS).effects
    steps = {s.id: s for s in definition.steps}
    return {
        "instance": instance,
        "definition": definition,
        "state": definition.state(instance.state).title.in_language(lang),
        "history": history_rows(list(runtime.history(instance.id)), lang),
        "deadlines": deadline_rows(deadlines, lang),
        "permissions": permissions,
        "permission_table": permission_rows(permissions, lang),
        "refused_lists": refused_lists,
        "evidence_titles": {
            p.step: {e.id: e.title.in_language(lang) for e in steps[p.step].evidence}
            for p in permissions
            if p.step in steps
        },
        "effects": effects_rows(effects, declared, now.date(), lang) if effects else None,
        "key": new_key(),
        "terminal": instance.state in runtime.process(instance.process).terminal,
    }


def _instance_page(
    request: Request,
    running: Service,
    visitor: Visitor,
    instance_id: str,
    *,
    message: str | None = None,
    status: int = 200,
) -> Response:
    try:
        data = _instance_data(running, visitor.may, instance_id)
    except ProblemError as error:
        return problem_page(request, error.status, error.detail, visitor)
    except LookupError as error:
        return problem_page(request, 404, str(error), visitor)
    taken = request.query_params.get("taken")
    steps = {s.id: s.title.in_language(language()) for s in data["definition"].steps}
    data = {**shell(visitor), **data, "message": message, "taken": steps.get(taken or "")}
    raw = visitor.who.raw_personal_data
    return page(request, "instance.html", data, status=status, raw_personal_data=raw)


@router.get("/instances/{instance_id:path}/diagram.svg")
async def instance_diagram(request: Request, instance_id: str) -> Response:
    """The procedure drawn by Graphviz, the instance's state lit."""
    visitor = visitor_of(request)
    if visitor is None:
        return Response(status_code=401)
    running = running_of(request)

    def draw() -> str:
        instance: ProcessInstance = readable(running, visitor.may, instance_id)
        definition = running.runtime.process(instance.process).definition
        return svg(definition, lit=instance.state)

    try:
        drawn = await work(running, draw)
    except (ProblemError, GovernanceError, LookupError):
        return Response(status_code=404)
    headers = {
        **HEADERS,
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    }
    return Response(drawn, media_type="image/svg+xml", headers=headers)


@router.get("/instances/{instance_id:path}")
async def instance_page(request: Request, instance_id: str) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    running = running_of(request)
    return await work(running, lambda: _instance_page(request, running, visitor, instance_id))


def _take_step(running: Service, may: Access, instance_id: str, fields: dict[str, str]) -> str:
    """Take the form's step through the runtime, as ``POST /v1/instances/{id}/fire`` does
    (a form sent twice, a double click, takes it once); the step taken."""
    instance = readable(running, may, instance_id)
    step = fields.get("step", "")
    evidence = {
        name.removeprefix("evidence."): value.strip()
        for name, value in fields.items()
        if name.startswith("evidence.") and value.strip()
    }
    note = fields.get("note", "").strip()[:2000] or None
    version_text = fields.get("version", "")
    version = int(version_text) if version_text.isdigit() else None
    key = fields.get("key", "")
    request_id = request_key(may.actor, key) if key else None
    digest = fingerprint(
        f"fire {instance_id}",
        {"step": step, "evidence": evidence, "version": version, "note": note},
        may.actor,
    )
    running.runtime.fire(
        instance,
        step,
        may.acting(instance.subject),
        running.clock(),
        evidence=evidence,
        request_id=request_id,
        note=note,
        expected_version=version,
        fingerprint=digest if key else None,
    )
    return step


def _refusal_words(error: GovernanceError) -> tuple[int, str]:
    if isinstance(error, VersionConflictError):
        return 409, _(
            "someone else acted on this instance since the page was opened: it is now at "
            "version {version}. Read it again below, then decide."
        ).format(version=error.actual)
    if isinstance(error, StepRefusedError):
        return 422, "；".join(error.reasons) or str(error)
    if isinstance(error, RequestReusedError):
        return 422, _("this form was already sent for another step; open the page again")
    return 422, str(error)


@router.post("/instances/{instance_id:path}/steps")
async def take_step(request: Request, instance_id: str) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    running = running_of(request)
    try:
        fields = await form_of(request)
    except ProblemError as error:
        return problem_page(request, error.status, error.detail, visitor)
    if not same(fields.get("csrf"), visitor.session.csrf):
        detail = _("the form has expired or did not come from this page: open the page again")
        return problem_page(request, 403, detail, visitor)

    def again(message: str, status: int) -> Callable[[], Response]:
        return lambda: _instance_page(
            request, running, visitor, instance_id, message=message, status=status
        )

    if fields.get("confirm") != "yes":
        message = _("tick the confirmation to take the step")
        return await work(running, again(message, 422))
    try:
        step = await work(running, lambda: _take_step(running, visitor.may, instance_id, fields))
    except ProblemError as error:
        return problem_page(request, error.status, error.detail, visitor)
    except GovernanceError as error:
        status, message = _refusal_words(error)
        return await work(running, again(message, status))
    except LookupError as error:
        return problem_page(request, 404, str(error), visitor)
    target = f"/instances/{urllib.parse.quote(instance_id)}?taken={urllib.parse.quote(step)}"
    return RedirectResponse(target, status_code=303, headers=dict(HEADERS))
