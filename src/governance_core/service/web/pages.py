"""The workbench's pages (办理台, docs/workbench.md): signing in and out, 我的待办 (the caller's
tasks) and 程序 (one instance: where it stands, its diagram, history, deadlines, effects, and
each step the caller may take or why not, item by item). Each page reads what the API answers
(the same functions, the same authorisation policy) and the present layer's rows; a step is
taken through the same runtime call as ``POST /v1/instances/{id}/fire``."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from datetime import date
from typing import Any, final

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from governance_core.errors import (
    GovernanceError,
    RequestReusedError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.messages import _, language
from governance_core.model import OrgLevel
from governance_core.present.diagram import svg
from governance_core.present.effects import effects_rows
from governance_core.present.procedures import deadline_rows, history_rows, permission_rows
from governance_core.present.verdicts import verdict_rows
from governance_core.rules.effects import EFFECTS
from governance_core.runtime import ProcessInstance, fingerprint, request_key
from governance_core.service.authorisation import Access
from governance_core.service.context import Caller, Service, access_for, work
from governance_core.service.problems import ProblemError
from governance_core.service.routes_procedures import readable
from governance_core.service.routes_tasks import task_list
from governance_core.service.web.rendering import HEADERS, page
from governance_core.service.web.sessions import (
    COOKIE,
    LOGIN_COOKIE,
    Session,
    Sessions,
    new_key,
    same,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_FORM_BYTES = 64 * 1024
_FORM_FIELDS = 200


@final
@attrs.frozen(slots=True)
class Visitor:
    """A signed-in person: the session, the token's caller and the authorisation policy."""

    session: Session
    who: Caller
    may: Access


def _running(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.sessions
    return found


def _visitor(request: Request) -> Visitor | None:
    """The signed-in person, checked against the store on every request (a token revoked or
    expired ends its sessions)."""
    sessions = _sessions(request)
    session = sessions.find(request.cookies.get(COOKIE))
    if session is None:
        return None
    running = _running(request)
    token = running.store.tokens.verify(session.token, running.clock().date())
    if token is None:
        sessions.close(session.id)
        return None
    who = Caller(token)
    return Visitor(session, who, access_for(running, who))


def _to_sign_in() -> Response:
    return RedirectResponse("/signin", status_code=303, headers=dict(HEADERS))


async def _form(request: Request) -> dict[str, str]:
    """A form's fields (the last value of each), refused when it is not a form, too large,
    not UTF-8 or of too many fields."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        raise ProblemError(415, _("send the form as application/x-www-form-urlencoded"))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > _FORM_BYTES:
            raise ProblemError(413, _("the form is over {size:,} bytes").format(size=_FORM_BYTES))
    try:
        fields = urllib.parse.parse_qs(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=_FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError):
        raise ProblemError(400, _("the form could not be read")) from None
    return {name: values[-1] for name, values in fields.items()}


def _problem_page(request: Request, status: int, detail: str, visitor: Visitor | None) -> Response:
    csrf = visitor.session.csrf if visitor is not None else ""
    data = {"visitor": visitor, "csrf": csrf, "status": status, "detail": detail}
    return page(request, "problem.html", data, status=status)


def _shell(visitor: Visitor) -> dict[str, Any]:
    """What every signed-in page shows around its content."""
    return {"visitor": visitor, "csrf": visitor.session.csrf}


# --- signing in ---------------------------------------------------------------------------


@router.get("/signin")
async def sign_in_form(request: Request) -> Response:
    login = new_key()
    response = page(request, "signin.html", {"visitor": None, "login": login, "error": None})
    response.set_cookie(LOGIN_COOKIE, login, httponly=True, samesite="strict", path="/signin")
    return response


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    fields = await _form(request)
    if not same(fields.get("login"), request.cookies.get(LOGIN_COOKIE, "")) or not fields.get(
        "login"
    ):
        return _problem_page(request, 403, _("the form has expired: sign in again"), None)
    running = _running(request)
    token = fields.get("token", "").strip()
    found = running.store.tokens.verify(token, running.clock().date()) if token else None
    if found is None:
        login = new_key()
        data = {
            "visitor": None,
            "login": login,
            "error": _("the token is unknown, revoked or expired"),
        }
        response = page(request, "signin.html", data, status=401)
        response.set_cookie(LOGIN_COOKIE, login, httponly=True, samesite="strict", path="/signin")
        return response
    session = _sessions(request).open(token)
    signed_in = RedirectResponse("/tasks", status_code=303, headers=dict(HEADERS))
    secure = request.url.scheme == "https"
    signed_in.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", secure=secure)
    signed_in.delete_cookie(LOGIN_COOKIE, path="/signin")
    return signed_in


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    visitor = _visitor(request)
    fields = await _form(request)
    if visitor is not None and same(fields.get("csrf"), visitor.session.csrf):
        _sessions(request).close(visitor.session.id)
    response = _to_sign_in()
    response.delete_cookie(COOKIE)
    return response


@router.get("/")
async def home(request: Request) -> Response:
    target = "/tasks" if _visitor(request) is not None else "/signin"
    return RedirectResponse(target, status_code=303, headers=dict(HEADERS))


# --- 我的待办 -------------------------------------------------------------------------------


def _towns(running: Service) -> list[tuple[str, str]]:
    roster = running.roster
    organisations = roster.organisations if roster is not None else ()
    return sorted((o.id, o.name) for o in organisations if o.level is OrgLevel.TOWN)


def _marked_tasks(running: Service, may: Access, day: date) -> list[dict[str, Any]]:
    """The caller's tasks, each with the reminders sent about it and its open incidents."""
    tasks = task_list(running, may, day, limit=5000)
    reminded: dict[str, int] = {}
    for reminder in running.store.reminders.reminders():
        reminded[reminder.target] = reminded.get(reminder.target, 0) + 1
    incidents: dict[str, int] = {}
    for incident in running.store.incidents.incidents(open_only=True):
        target = incident.target.split("/", 1)[0] if "/" in incident.target else incident.target
        incidents[target] = incidents.get(target, 0) + 1
    lang = language()
    for task in tasks:
        target = task.get("instance") or task["effect"]
        if task["kind"] == "step":
            definition = running.runtime.process(task["process"]).definition
            task["process_title"] = definition.title.in_language(lang)
            task["state_title"] = definition.state(task["state"]).title.in_language(lang)
            roles = {r.id: r.title.in_language(lang) for r in definition.roles}
            task["role_title"] = roles.get(task["role"], task["role"])
        else:
            task["role_title"] = task["role"]
        task["reminders"] = reminded.get(target, 0)
        task["incidents"] = incidents.get(target, 0)
        task["towns"] = running.organisations_of(task["subject"], day)
    return tasks


def _filtered(tasks: list[dict[str, Any]], asked: dict[str, str]) -> list[dict[str, Any]]:
    town, process, state, due = (asked.get(k, "") for k in ("town", "process", "state", "due"))
    found = []
    for task in tasks:
        if town and town not in task["towns"]:
            continue
        if process and task.get("process", "") != process:
            continue
        if state and task.get("state", "") != state:
            continue
        if due == "overdue" and not task["overdue"]:
            continue
        if due == "week" and not (task["days_left"] is not None and task["days_left"] <= 7):
            continue
        found.append(task)
    return found


@router.get("/tasks")
async def tasks_page(request: Request) -> Response:
    visitor = _visitor(request)
    if visitor is None:
        return _to_sign_in()
    running = _running(request)
    day = running.clock().date()
    lang = language()
    asked = {
        k: v for k, v in request.query_params.items() if k in ("town", "process", "state", "due")
    }
    everything = await work(running, lambda: _marked_tasks(running, visitor.may, day))
    shown = _filtered(everything, asked)
    data = {
        **_shell(visitor),
        "today": day,
        "tasks": shown,
        "total": len(everything),
        "asked": asked,
        "towns": _towns(running),
        "processes": sorted({t["process"] for t in everything if t.get("process")}),
        "states": sorted({t["state"] for t in everything if t.get("state")}),
        "title_of": lambda t: t["title"]["zh" if lang == "zh" else "en"],
    }
    return page(request, "tasks.html", data, raw_personal_data=visitor.who.raw_personal_data)


# --- 程序 ----------------------------------------------------------------------------------


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
        return _problem_page(request, error.status, error.detail, visitor)
    except LookupError as error:
        return _problem_page(request, 404, str(error), visitor)
    taken = request.query_params.get("taken")
    steps = {s.id: s.title.in_language(language()) for s in data["definition"].steps}
    data = {**_shell(visitor), **data, "message": message, "taken": steps.get(taken or "")}
    raw = visitor.who.raw_personal_data
    return page(request, "instance.html", data, status=status, raw_personal_data=raw)


@router.get("/instances/{instance_id:path}/diagram.svg")
async def instance_diagram(request: Request, instance_id: str) -> Response:
    """The procedure drawn by Graphviz, the instance's state lit."""
    visitor = _visitor(request)
    if visitor is None:
        return Response(status_code=401)
    running = _running(request)

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
    visitor = _visitor(request)
    if visitor is None:
        return _to_sign_in()
    running = _running(request)
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
    visitor = _visitor(request)
    if visitor is None:
        return _to_sign_in()
    running = _running(request)
    try:
        fields = await _form(request)
    except ProblemError as error:
        return _problem_page(request, error.status, error.detail, visitor)
    if not same(fields.get("csrf"), visitor.session.csrf):
        detail = _("the form has expired or did not come from this page: open the page again")
        return _problem_page(request, 403, detail, visitor)

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
        return _problem_page(request, error.status, error.detail, visitor)
    except GovernanceError as error:
        status, message = _refusal_words(error)
        return await work(running, again(message, status))
    except LookupError as error:
        return _problem_page(request, 404, str(error), visitor)
    target = f"/instances/{urllib.parse.quote(instance_id)}?taken={urllib.parse.quote(step)}"
    return RedirectResponse(target, status_code=303, headers=dict(HEADERS))
